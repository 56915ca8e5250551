-- Loaded by the wrk scripts that can run paced. BENCH_RATE (requests per second, all threads together;
-- unset or 0: unpaced) spreads each thread's share on a schedule of slots 1000 * BENCH_THREADS / BENCH_RATE ms
-- apart, and a connection that has its response waits for the next free slot. With n connections per thread
-- that is a wait of about n / (the thread's rate) minus the response time on each connection: the rate holds
-- whatever the latency. Slots missed because every connection was busy are made up at once, but only those
-- of the last CATCH_UP_MS: a machine that cannot keep up gets no burst, and its achieved rate (wrk's
-- Requests/sec) falls below BENCH_RATE, which shows it. No slot is ever used twice, so a run never sends
-- more than BENCH_RATE times its duration (plus one request per thread).
-- wrk waits whole milliseconds and its timers fire up to a millisecond late; the wait is rounded down and
-- the schedule keeps the fractions, so the rate is exact on average.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("bench_timespec")

function pace_now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1000000
end

pace_rate = tonumber(os.getenv("BENCH_RATE") or "0")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local interval, next_slot

-- From init(): the thread's schedule starts now. wrk asks delay() before every request it sends, a
-- connection's first one included.
function pace_start()
  if pace_rate > 0 then
    interval = 1000 * threads / pace_rate
    next_slot = pace_now_ms()
  end
end

local CATCH_UP_MS = 10

-- Milliseconds this connection waits before its next request.
function pace_wait()
  local now = pace_now_ms()
  local slot = math.max(next_slot, now - CATCH_UP_MS)
  next_slot = slot + interval
  return math.max(0, math.floor(slot - now))
end

-- The usual wiring, which a script may replace after loading this file (write-cycle.lua does): the thread's
-- schedule starts in init(), and delay() exists only in a paced run, since wrk calls it after every response
-- once a script defines it.
function init(args)
  pace_start()
end

if pace_rate > 0 then
  function delay()
    return pace_wait()
  end
end
