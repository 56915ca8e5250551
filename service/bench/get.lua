-- wrk script: GET /api/users/{id} of one of the BENCH_USERS users the bench stored (ids 1..BENCH_USERS, see
-- ids.lua), picked at random, so every request finds its user (200).
dofile("service/bench/ids.lua")
local users = tonumber(os.getenv("BENCH_USERS") or "100")

function request()
  return wrk.format("GET", "/api/users/" .. bench_id(math.random(users)))
end
