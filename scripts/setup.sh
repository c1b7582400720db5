#!/usr/bin/env bash
# Installs what dcgrid needs on a fresh Debian/Ubuntu machine (idempotent): the Debian packages of
# scripts/debian-packages.txt (the XGBoost library; Python's xgboost for the interoperability tests;
# Chromium for the dashboard's browser tests), then the npm packages, then the compiled CLI in dist/
# (bin/dcgrid.js runs it; it starts in a fraction of the time tsx needs) and the dashboard (web/ ->
# web/dist, served by `dcgrid serve` at /). The container image installs from the same list and script.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh apt all

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  bash scripts/install-deps.sh npm
fi

if [ ! -f dist/.build-stamp ] || [ tsconfig.json -nt dist/.build-stamp ] || [ package-lock.json -nt dist/.build-stamp ] ||
  [ -n "$(find src -name '*.ts' ! -name '*.test.ts' -newer dist/.build-stamp -print -quit)" ]; then
  echo "setup: compiling the CLI to dist/"
  npm run --silent build
fi

# The dashboard is rebuilt when a source of it is newer than the last build (or there is none).
if [ ! -f web/dist/index.html ] || [ -n "$(find web/index.html web/vite.config.ts web/src package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  echo "setup: building the dashboard (web/dist)"
  npm run --silent build:web >/dev/null
fi
