-- wrk script: POST /api/users only, each with a new email (the store grows by one user per request).
-- Needs a writer or admin token (BENCH_TOKEN).
local next_thread = 1

function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = 0
  -- Warm-up and measured runs start seconds apart: the start time keeps their emails distinct.
  run = os.time()
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench User %d","email":"create-%d-%d-%d@example.org"}',
    counter, run, tid, counter)
  return wrk.format("POST", "/api/users", headers, body)
end
