# shellcheck shell=bash disable=SC2154 # threads, connections, duration, out, work, pg_settings: set by bench.sh
# Sourced by scripts/bench.sh: wrk runs and their figures. Needs threads, connections, duration and out.

# wrk_stats FILE: "req/s p50_ms p99_ms non-2xx" from wrk's --latency output (socket errors count as non-2xx).
wrk_stats() {
  awk 'function ms(v) {
         if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
         if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
         if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
         if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
         return v + 0
       }
       /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)} /Non-2xx or 3xx/ {bad+=$5}
       /Socket errors/ {for (i = 4; i <= NF; i += 2) {gsub(",", "", $i); bad += $i}}
       END {printf "%.1f %.3f %.3f %d\n", rps, p50, p99, bad}' "$1"
}

# sample_rss PID FUNCTION FILE: while PID runs, keep in FILE the highest RSS (KiB) that FUNCTION prints.
sample_rss() {
  local now
  while kill -0 "$1" 2>/dev/null; do
    now=$("$2")
    [ "${now:-0}" -gt "$(cat "$3")" ] && echo "$now" >"$3"
    sleep 0.2
  done
}

# measure NAME URL RSS_FUNCTION [wrk args...]: a 5 s warm-up (unless BENCH_WARM=0), then saturated (as fast as
# wrk sends; RSS sampled into $work/peak-RSS_FUNCTION) and, unless BENCH_PACED=0, paced at half the saturated
# rate just measured (service/bench/pace.lua): latency at a steady load the machine can serve rather than the
# queueing of an overloaded box. The wrk script must load pace.lua.
# Prints "NAME saturated-stats [paced-target-req/s paced-stats]".
measure() {
  local name=$1 url=$2 rss=$3
  shift 3
  local script=(-s service/bench/paced.lua)
  [ $# -gt 0 ] && script=("$@")
  local peak="$work/peak-$rss"
  [ -f "$peak" ] || echo 0 >"$peak"
  if [ "${BENCH_WARM:-1}" = 1 ]; then
    BENCH_RATE=0 wrk -t"$threads" -c"$connections" -d5s "${script[@]}" "$url" >/dev/null
  fi
  BENCH_RATE=0 wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "${script[@]}" "$url" \
    >"$out/wrk-$name-saturated.txt" &
  local wrk_pid=$!
  sample_rss "$wrk_pid" "$rss" "$peak"
  wait "$wrk_pid"
  local line saturated target
  saturated=$(wrk_stats "$out/wrk-$name-saturated.txt")
  line="$name $saturated"
  if [ "${BENCH_PACED:-1}" = 1 ]; then
    target=$(half_rate "${saturated%% *}")
    if [ "$target" -gt 0 ]; then
      paced_run "$target" "$threads" "$connections" "$duration" "$out/wrk-$name-paced.txt" "${script[@]}" "$url"
      line="$line $target $(wrk_stats "$out/wrk-$name-paced.txt")"
    else
      line="$line 0 0 0 0 0"
    fi
  fi
  echo "$line"
}

# half_rate REQ_PER_S: the paced target, half the saturated rate, in whole requests per second.
half_rate() { awk -v r="$1" 'BEGIN {printf "%d\n", r / 2}'; }

# paced_run RATE THREADS CONNECTIONS SECONDS OUTPUT wrk-args...: wrk paced at RATE req/s in total (pace.lua),
# its --latency report in OUTPUT.
paced_run() {
  local rate=$1 t=$2 c=$3 seconds=$4 output=$5
  shift 5
  BENCH_RATE=$rate BENCH_THREADS=$t wrk -t"$t" -c"$c" -d"${seconds}s" --latency "$@" >"$output"
}

# ratio A B [DIGITS]: A / B, or - when B is 0.
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {if (b + 0 == 0) print "-"; else printf "%." d "f\n", a / b}'; }

# mean A B: their average.
mean() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f\n", (a + b) / 2}'; }
