-- wrk script: the URL's GET, paced at BENCH_RATE requests per second in total when it is set (pace.lua);
-- unpaced (saturated) without it.
dofile("service/bench/pace.lua")

function init(args)
  pace_start()
end

-- wrk calls delay() after every response once the script defines it: only a paced run does.
if pace_rate > 0 then
  function delay()
    return pace_wait()
  end
end
