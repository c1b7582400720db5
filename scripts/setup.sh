#!/usr/bin/env bash
# Installs what dcgrid needs on a fresh Debian/Ubuntu machine (idempotent): the XGBoost library
# (and Python's xgboost for the interoperability tests), then the npm packages, then the compiled
# CLI in dist/ (bin/dcgrid.js runs it; it starts in a fraction of the time tsx needs).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -e /usr/lib/x86_64-linux-gnu/libxgboost.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libxgboost.so.0 ] || [ -n "${XGBOOST_LIB:-}" ] || need+=(libxgboost0)
/usr/bin/python3 -c 'import xgboost' 2>/dev/null || need+=(python3-xgboost)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: please install XGBoost 1.7+ (e.g. 'brew install xgboost') and set XGBOOST_LIB" >&2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if [ ! -f dist/.build-stamp ] || [ tsconfig.json -nt dist/.build-stamp ] || [ package-lock.json -nt dist/.build-stamp ] ||
  [ -n "$(find src -name '*.ts' ! -name '*.test.ts' -newer dist/.build-stamp -print -quit)" ]; then
  echo "setup: compiling the CLI to dist/"
  npm run --silent build
fi
