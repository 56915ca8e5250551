-- wrk script: the write path. Each thread POSTs a new user, then DELETEs it with its next request, so
-- the store stays at its seeded size however long the run (a growing store would measure the heap,
-- not the writes). Needs an admin token (BENCH_TOKEN); BENCH_PACE_MS paces each connection.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "0")
local next_thread = 1

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = 0
  -- Warm-up and measured runs start seconds apart: the start time keeps their emails distinct.
  run = os.time()
  pending = {}
  local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
  post_headers = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
  delete_headers = { ["Authorization"] = auth }
end

function request()
  local location = table.remove(pending)
  if location then
    return wrk.format("DELETE", location, delete_headers)
  end
  counter = counter + 1
  local body = string.format('{"name":"Bench User %d","email":"bench-%d-%d-%d@example.org"}',
    counter, run, tid, counter)
  return wrk.format("POST", "/api/users", post_headers, body)
end

function response(status, headers, body)
  if status == 201 then
    table.insert(pending, headers["Location"])
  end
end

function delay()
  return pace
end
