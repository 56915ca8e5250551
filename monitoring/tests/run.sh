#!/usr/bin/env bash
# Checks of the monitoring stack (monitoring/). Each step fails with a message that says why.
#   rules       promtool: lint and unit-test the alert rules, check prometheus.yml; every alert has
#               both-way tests and a runbook
#   dashboards  dashboards against Grafana's schema, PromQL/LogQL syntax, data source uids;
#               Alloy's labels; the rendered manifests wire together (needs kubectl)
#   alertmanager amtool: check-config on alertmanager.yml; every alert rule routes to its intended receiver
#   contract    dashboards and rules against the service's captured output (run ./mvnw verify first)
#   e2e         the real service (on a throwaway PostgreSQL) and a real Prometheus on loopback: the
#               auth-failure alert fires on a burst of 401/403s and not without; every dashboard query
#               returns data; with a real Alertmanager and a local webhook, the alert reaches the chat
#               receiver and resolves, timed from the first bad request; the inhibitions mute what they
#               must (needs the jar and Debian's postgresql and prometheus-alertmanager)
#   all         every step above, in this order
# Usage: monitoring/tests/run.sh rules|dashboards|alertmanager|contract|e2e|all
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)

usage() {
  echo "usage: monitoring/tests/run.sh rules|dashboards|alertmanager|contract|e2e|all" >&2
  exit 2
}

need() { # command, how to install it
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 not found: $2" >&2; exit 1; }
}

node_deps() {
  need node "install Node.js 18 or newer (Debian: apt-get install nodejs npm)"
  need npm "install npm (Debian: apt-get install npm)"
  # The exact tree of package-lock.json; reinstalled whenever the lock file is newer than the install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

rules() {
  need promtool "apt-get install prometheus"
  promtool check rules --lint-fatal ../prometheus/rules/*.yaml
  promtool check config ../prometheus/prometheus.yml
  promtool test rules rules/*.test.yaml
  node_deps
  node --test checks/rules.test.mjs
}

dashboards() {
  need kubectl "install kubectl (it renders Kustomize: kubectl kustomize monitoring)"
  node_deps
  node --test checks/dashboards.test.mjs checks/alloy.test.mjs checks/manifests.test.mjs
}

alertmanager() {
  need amtool "apt-get install prometheus-alertmanager"
  node_deps
  node --test checks/alertmanager.test.mjs
}

contract() {
  local f
  for f in metrics.txt logs.jsonl; do
    [ -f "$repo/service/target/contract/$f" ] ||
      { echo "error: service/target/contract/$f is missing: the service's contract capture writes it; run ./mvnw -B -ntp verify first" >&2; exit 1; }
  done
  node_deps
  node --test checks/contract.test.mjs
}

e2e() {
  # shellcheck source-path=SCRIPTDIR/../.. source=scripts/lib/java.sh
  . "$repo/scripts/lib/java.sh"
  require_jdk
  need prometheus "apt-get install prometheus"
  command -v alertmanager >/dev/null 2>&1 || need prometheus-alertmanager "apt-get install prometheus-alertmanager"
  node_deps
  # The tests stop the service and Prometheus itself; the trap covers an interrupted run.
  node --test e2e/ &
  e2e_pid=$!
  trap 'kill "$e2e_pid" 2>/dev/null || true' EXIT INT TERM
  wait "$e2e_pid"
  trap - EXIT INT TERM
}

[ $# -eq 1 ] || usage
case $1 in
  rules) rules ;;
  dashboards) dashboards ;;
  alertmanager) alertmanager ;;
  contract) contract ;;
  e2e) e2e ;;
  all) rules; dashboards; alertmanager; contract; e2e ;;
  -h|--help) usage ;;
  *) usage ;;
esac
