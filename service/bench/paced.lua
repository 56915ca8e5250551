-- wrk script: every connection waits BENCH_PACE_MS between its requests, so the connections offer a
-- steady load below saturation: latency at a given load rather than the queueing of an overloaded box.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "1")

function delay()
  return pace
end
