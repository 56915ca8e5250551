-- wrk script: GET {BENCH_API_PATH}/{id} of ids the caller listed beforehand (BENCH_IDS, comma-separated),
-- picked at random, paced as BENCH_RATE says (pace.lua). scripts/bench.sh --url uses it against a deployed
-- environment, whose users it does not know in advance.
dofile("service/bench/pace.lua")
local api = os.getenv("BENCH_API_PATH") or "/api/users"
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "[^,]+") do
  table.insert(ids, id)
end
if #ids == 0 then
  error("BENCH_IDS names no id")
end

function request()
  return wrk.format("GET", api .. "/" .. ids[math.random(#ids)])
end
