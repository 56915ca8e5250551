-- wrk script: DELETE /api/users/{id} of users the bench stored beforehand, each once: thread t (from 0)
-- deletes ids BENCH_ID_BASE + t * 10000000 + 1, 2, 3... (see ids.lua), so every request removes a row (204)
-- as long as the bench stored enough of them. Needs an admin token (BENCH_TOKEN).
dofile("service/bench/ids.lua")
local base = tonumber(os.getenv("BENCH_ID_BASE"))
local next_thread = 0

function setup(thread)
  thread:set("slot", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  counter = 0
  headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN") }
end

function request()
  counter = counter + 1
  return wrk.format("DELETE", "/api/users/" .. bench_id(base + slot * 10000000 + counter), headers)
end
