-- wrk script: the URL's GET, paced at BENCH_RATE requests per second in total when it is set (pace.lua, whose
-- init() and delay() it uses as they are); unpaced (saturated) without it.
dofile("service/bench/pace.lua")
