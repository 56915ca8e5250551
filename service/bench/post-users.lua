-- wrk script: POST /api/users with a unique email per request (per thread and counter), as a writer.
-- The token comes from the environment (BENCH_TOKEN), never from this file.
local threads = {}
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  -- Warm-up and measured runs start seconds apart: the start time keeps their emails distinct.
  run = os.time()
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
end

function request()
  counter = counter + 1
  local body = string.format('{"name":"Bench User %d","email":"bench-%d-%d-%d@example.org"}',
    counter, run, tid, counter)
  return wrk.format("POST", "/api/users", headers, body)
end
