-- wrk script: the write path. Each thread POSTs a new user, then DELETEs it with its next request, so
-- the store stays at its seeded size however long the run (a growing store would measure the heap,
-- not the writes). Needs an admin token: the file BENCH_TOKEN_FILE names, else BENCH_TOKEN. BENCH_RATE
-- paces the run (pace.lua); BENCH_API_PATH is the users resource (default /api/users).
-- Against an environment that keeps its data (scripts/bench.sh --url) BENCH_CREATE_MS ends the creates that
-- many ms after the start: the users still pending are deleted, then each connection waits out the run,
-- so no create is in flight when wrk stops. BENCH_LEDGER names a file that gets a line per request sent
-- ("sent POST", "sent DELETE") and per response ("status N", and "created LOCATION" for a 201), from which
-- the caller deletes whatever the run left behind.
dofile("service/bench/pace.lua")
local api = os.getenv("BENCH_API_PATH") or "/api/users"
local create_ms = tonumber(os.getenv("BENCH_CREATE_MS") or "0")
local next_thread = 1

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

local function read_token()
  local file = os.getenv("BENCH_TOKEN_FILE")
  if file and file ~= "" then
    local f = assert(io.open(file, "r"))
    local token = f:read("*l")
    f:close()
    return token
  end
  return os.getenv("BENCH_TOKEN")
end

function init(args)
  counter = 0
  in_flight = 0
  granted = 0
  -- Warm-up and measured runs start seconds apart: the start time keeps their emails distinct.
  run = os.time()
  pending = {}
  local auth = "Bearer " .. read_token()
  post_headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  delete_headers = { ["Authorization"] = auth }
  local ledger_path = os.getenv("BENCH_LEDGER")
  if ledger_path and ledger_path ~= "" then
    ledger = assert(io.open(ledger_path .. "." .. tid, "a"))
    ledger:setvbuf("line")
  end
  pace_start()
  creates_end = create_ms > 0 and pace_now_ms() + create_ms or nil
end

local function note(line)
  if ledger then
    ledger:write(line, "\n")
  end
end

-- The id is the Location's last segment, so a proxy's own idea of absolute URLs does not matter.
local function user_path(location)
  return api .. "/" .. string.match(location, "([^/]+)$")
end

-- wrk also calls request() once on its own to check the script's request, never sending that one: in a paced
-- run a request is sent only after delay() granted it, so only those count as sent.
function request()
  local sent = granted > 0
  if sent then
    granted = granted - 1
    in_flight = in_flight + 1
  end
  local location = table.remove(pending)
  if location then
    if sent then note("sent DELETE") end
    return wrk.format("DELETE", user_path(location), delete_headers)
  end
  counter = counter + 1
  local body = string.format('{"name":"Bench User %d","email":"bench-%d-%d-%d@example.org"}',
    counter, run, tid, counter)
  if sent then note("sent POST") end
  return wrk.format("POST", api, post_headers, body)
end

function response(status, headers, body)
  in_flight = in_flight - 1
  note("status " .. status)
  if status == 201 then
    table.insert(pending, headers["Location"])
    note("created " .. headers["Location"])
  end
end

if pace_rate > 0 then
  function delay()
    if creates_end and #pending == 0 and pace_now_ms() >= creates_end then
      -- Done: this connection sends nothing more; the last one to finish stops the thread.
      if in_flight == 0 then
        wrk.thread:stop()
      end
      return 3600000
    end
    granted = granted + 1
    return pace_wait()
  end
end
