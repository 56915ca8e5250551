# shellcheck shell=bash disable=SC2154 # store, url, duration, rate, connections, writes, token_file, out: bench.sh's
# Sourced by scripts/bench.sh: --url mode, the read mix (and with --writes the write cycle) against a deployed
# environment through its public entry, paced at a rate that is safe for production. No JVM, no nginx: only
# wrk (the load) and curl (the first list, which also checks the TLS certificate that wrk does not, and the
# clean-up of created users).

# url_parts URL: sets url_scheme, url_host, url_origin (scheme://host[:port]) and url_path (no trailing /),
# or returns 1 when URL is not a plain http(s) URL without user info, query or fragment.
url_parts() {
  local re='^(https?)://([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?$'
  [[ $1 =~ $re ]] || return 1
  url_scheme=${BASH_REMATCH[1]}
  url_host=${BASH_REMATCH[2]}
  url_origin="$url_scheme://$url_host${BASH_REMATCH[4]}"
  url_path=${BASH_REMATCH[5]}
  while [ "${url_path%/}" != "$url_path" ]; do url_path=${url_path%/}; done
  local port=${BASH_REMATCH[4]#:}
  [ -z "$port" ] || { [ "$port" -ge 1 ] && [ "$port" -le 65535 ]; }
}

is_loopback_host() {
  case $1 in localhost | 127.* | '[::1]') return 0 ;; *) return 1 ;; esac
}

# read_token_file FILE: sets token from FILE's first line, or says why not and exits 2.
read_token_file() {
  if ! [ -f "$1" ] || ! [ -r "$1" ]; then bad_usage "--token-file $1 is not a readable file"; fi
  token=
  IFS= read -r token <"$1" || true
  token=${token%$'\r'}
  [ -n "$token" ] || bad_usage "--token-file $1 is empty: it must hold the bearer token on its first line"
  # The characters of an RFC 6750 bearer token; anything else would break the header (the token is not shown).
  [[ $token =~ ^[A-Za-z0-9._~+/-]+=*$ ]] || bad_usage "--token-file $1: its first line is not a bearer token"
}

# url_arguments: checks --url's arguments and fills in their defaults (exit 2 with the usage on a bad one);
# warns about plain http to another host. Sets parts and token.
url_arguments() {
  [ -z "$store" ] || bad_usage "--store is for the local bench; --url measures what is deployed there"
  url_parts "$url" ||
    bad_usage "--url must be an http(s) URL with no user, query or fragment, such as https://users.example.com, not '$url'"
  duration=${duration:-30} rate=${rate:-20} max_rate=${max_rate:-50} connections=${connections:-4}
  whole "$duration" || bad_usage "--duration must be a whole number of seconds, not '$duration'"
  parts=$((writes == 1 ? 3 : 2))
  [ "$duration" -ge "$parts" ] ||
    bad_usage "--duration must be at least $parts s with --url$([ "$writes" = 1 ] && echo " --writes") (1 s per part)"
  whole "$rate" || bad_usage "--rate must be a whole number of requests per second, at least 1, not '$rate'"
  whole "$max_rate" || bad_usage "--max-rate must be a whole number of requests per second, at least 1, not '$max_rate'"
  [ "$rate" -le "$max_rate" ] ||
    bad_usage "--rate $rate is above the cap of $max_rate req/s; raise the cap explicitly with --max-rate $rate"
  whole "$connections" || bad_usage "--connections must be a number of at least 1, not '$connections'"
  local plain_http=0
  if [ "$url_scheme" = http ] && ! is_loopback_host "$url_host"; then plain_http=1; fi
  if [ "$writes" = 1 ]; then
    [ -n "$token_file" ] || bad_usage "--writes needs --token-file FILE (a bearer token with the admin role)"
    [ $plain_http = 0 ] || bad_usage "--writes sends the token: use https:// for $url_host, not http://"
    read_token_file "$token_file"
  else
    [ -z "$token_file" ] || bad_usage "--token-file is only read with --writes"
  fi
  if [ $plain_http = 1 ]; then
    echo "warning: http:// to $url_host: requests and answers cross the network in clear text; use https://" >&2
  fi
}

whole() { [[ $1 =~ ^[1-9][0-9]{0,8}$ ]]; }

# url_curl METHOD URL OUTPUT [curl args...]: prints the HTTP status; certificates are verified (curl's default).
url_curl() {
  local method=$1 target=$2 output=$3
  shift 3
  curl -sS --proto '=http,https' --connect-timeout 5 --max-time 15 -X "$method" -o "$output" \
    -w '%{http_code}' "$@" "$target"
}

# A header file that never lands on disk or in a process's arguments.
auth_header() { printf 'Authorization: Bearer %s\n' "$token"; }

url_cleanup_done=1
url_status=0
url_created=0 url_cleaned=0 url_sent=0 url_answered=0
url_left=()

# Deletes every user the write part created and did not see deleted (a 204 per create): each created
# Location gets a DELETE; 404 means the run had deleted it already. Paced at the run's rate. Runs after the
# write part, or on exit when the run is cut short; says on stderr what it could not clean up.
url_cleanup() {
  [ "$url_cleanup_done" = 0 ] || return 0
  url_cleanup_done=1
  local ledger=$work/ledger.1
  [ -f "$ledger" ] || return 0
  local created deleted_by_run
  created=$(grep -c '^created ' "$ledger" || true)
  deleted_by_run=$(grep -c '^status 204$' "$ledger" || true)
  url_created=$created
  if [ "$deleted_by_run" -lt "$created" ]; then
    local location id code pause
    pause=$(awk -v r="$rate" 'BEGIN {printf "%.3f\n", 1 / r}')
    while read -r _ location; do
      id=${location##*/}
      code=$(url_curl DELETE "$url_origin$url_path/api/users/$id" /dev/null -H @<(auth_header)) || code=000
      case $code in
        204) url_cleaned=$((url_cleaned + 1)) ;;
        404) ;;
        *) url_left+=("$url_path/api/users/$id (DELETE answered $code)") ;;
      esac
      sleep "$pause"
    done < <(grep '^created ' "$ledger")
  fi
  url_sent=$(grep -c '^sent ' "$ledger" || true)
  url_answered=$(grep -c '^status ' "$ledger" || true)
  if [ ${#url_left[@]} -gt 0 ]; then
    echo "error: these users created by the run could not be deleted; delete them by hand:" >&2
    printf '  %s\n' "${url_left[@]}" >&2
    url_status=1
  fi
  if [ "$url_answered" -lt "$url_sent" ]; then
    echo "error: $((url_sent - url_answered)) write requests had no answer when wrk stopped; a create among them" >&2
    echo "  may have stored a user this run cannot name: look for emails bench-*@example.org made around $run_date." >&2
    url_status=1
  fi
}

bench_url() {
  need wrk wrk
  need curl curl
  local part_s=$((duration / parts))
  mkdir -p "$out"
  rm -f "$out"/wrk-url-*.txt
  work=$(mktemp -d)
  trap 'url_cleanup; rm -rf "$work"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local load_at_start
  run_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  local api="$url_origin$url_path/api/users"

  # The first list: the entry answers (certificate checked), and the ids for the get part.
  local code
  code=$(url_curl GET "$api?limit=100" "$work/list.json") ||
    { echo "error: cannot reach $api (curl above); nothing was sent" >&2; exit 1; }
  [ "$code" = 200 ] ||
    { echo "error: GET $api answered $code, not 200: is $url users-api's public entry?" >&2; exit 1; }
  local ids
  ids=$(grep -o '"id":"[0-9a-fA-F-]\{36\}"' "$work/list.json" | cut -d'"' -f4 | paste -sd, -)

  local wrk_common=(--timeout 5s)
  rows=()
  paced_run "$rate" 1 "$connections" "$part_s" "$out/wrk-url-list.txt" \
    -s service/bench/paced.lua "${wrk_common[@]}" "$api"
  rows+=("GET $url_path/api/users|$(wrk_stats "$out/wrk-url-list.txt")")
  if [ -n "$ids" ]; then
    BENCH_IDS=$ids BENCH_API_PATH="$url_path/api/users" paced_run "$rate" 1 "$connections" "$part_s" \
      "$out/wrk-url-get.txt" -s service/bench/get-listed.lua "${wrk_common[@]}" "$api"
    rows+=("GET $url_path/api/users/{id} (of the users listed: $(tr ',' '\n' <<<"$ids" | wc -l))|$(wrk_stats "$out/wrk-url-get.txt")")
  else
    rows+=("GET $url_path/api/users/{id}: not run, the list had no users|")
  fi
  if [ "$writes" = 1 ]; then
    # Creates stop a third of the part (at most 3 s) before its end, so their deletes finish within it.
    part_ms=$((part_s * 1000))
    margin_ms=$((part_ms / 3 < 3000 ? part_ms / 3 : 3000))
    url_cleanup_done=0
    BENCH_TOKEN_FILE=$token_file BENCH_API_PATH="$url_path/api/users" BENCH_CREATE_MS=$((part_ms - margin_ms)) \
      BENCH_LEDGER="$work/ledger" paced_run "$rate" 1 "$connections" "$part_s" "$out/wrk-url-writes.txt" \
      -s service/bench/write-cycle.lua "${wrk_common[@]}" "$api"
    rows+=("POST $url_path/api/users, then DELETE it (writes)|$(wrk_stats "$out/wrk-url-writes.txt")")
    url_cleanup
  fi

  local cpu_model
  cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  {
    echo "# users-api benchmark: $url"
    echo
    echo "- Date: $run_date (start of the run). Client: $(nproc) cores ($(uname -m), ${cpu_model:-unknown CPU}),"
    echo "  Linux $(uname -r), load average at the start $load_at_start."
    echo "- Load: $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2) -t1 -c$connections --timeout 5s, ${part_s} s per row, paced at"
    echo "  $rate req/s in total (service/bench/pace.lua). Against a deployed environment: no warm-up and no"
    echo "  saturated run (saturated columns: not run)."
    echo "- No nginx reference in this mode, so no × nginx ratios: the figures are this client's view of the"
    echo "  environment through its public entry, network included; compare runs of the same client only."
    echo
    echo "| | saturated req/s (× nginx) | p50 | p99 | paced target req/s | achieved req/s (× target) | p50 | p99 | non-2xx |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    local row label stats rps p50 p99 bad
    for row in "${rows[@]}"; do
      label=${row%%|*} stats=${row#*|}
      if [ -z "$stats" ]; then
        echo "| $label | not run | | | | | | | |"
        continue
      fi
      read -r rps p50 p99 bad <<<"$stats"
      echo "| $label | not run | | | $rate | $(printf '%.1f' "$rps") ($(ratio "$rps" "$rate")×) |" \
        "$(printf '%.2f' "$p50") ms | $(printf '%.2f' "$p99") ms | $bad |"
    done
    if [ "$writes" = 1 ]; then
      echo
      echo "Creates stop $((margin_ms / 1000)).$((margin_ms % 1000 / 100)) s before the end of the writes part so that their deletes finish"
      echo "within it: its achieved rate counts that quieter end."
      echo
      echo "Writes: $url_created users created; $((url_created - url_cleaned - ${#url_left[@]})) deleted by the run," \
        "$url_cleaned by the clean-up after it; ${#url_left[@]} left."
    fi
  } >"$out/url-results.md"
  cat "$out/url-results.md"

  return "$url_status"
}
