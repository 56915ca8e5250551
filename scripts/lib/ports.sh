# shellcheck shell=bash
# Sourced by the scripts that start servers on loopback (bench.sh, lib/postgres.sh): finding a port to listen on.

# Exit 0 if something listens on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Prints the first TCP port from $1 upwards on 127.0.0.1 that nothing listens on.
free_port_from() {
  local port=$1
  while port_in_use "$port"; do port=$((port + 1)); done
  echo "$port"
}

# Prints a TCP port on 127.0.0.1 that nothing listens on, at random below the kernel's ephemeral range
# (ip_local_port_range), so that no outgoing connection (a test's thousand clients, say) can hold it as its
# local port between this choice and the server's bind.
free_port() {
  local port tries=0 first=32768 low=20000
  read -r first _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  [ "$first" -gt $((low + 1000)) ] || low=1024
  while [ $tries -lt 200 ]; do
    port=$((low + RANDOM % (first - low)))
    port_in_use "$port" || { echo "$port"; return; }
    tries=$((tries + 1))
  done
  echo "error: no free TCP port found on 127.0.0.1" >&2
  return 1
}
