#!/usr/bin/env bash
# Installs what dcgrid needs on a fresh Debian/Ubuntu machine (idempotent): the XGBoost library
# (and Python's xgboost for the interoperability tests), Chromium (the dashboard's browser tests),
# the npm packages, then builds the dashboard (web/ -> web/dist, served by `dcgrid serve` at /).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -e /usr/lib/x86_64-linux-gnu/libxgboost.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libxgboost.so.0 ] || [ -n "${XGBOOST_LIB:-}" ] || need+=(libxgboost0)
/usr/bin/python3 -c 'import xgboost' 2>/dev/null || need+=(python3-xgboost)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need[*]} with apt-get"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: please install XGBoost 1.7+ (e.g. 'brew install xgboost') and set XGBOOST_LIB;" \
      "the dashboard's browser tests also need Chromium at /usr/bin/chromium" >&2
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# The dashboard is rebuilt when a source of it is newer than the last build (or there is none).
if [ ! -f web/dist/index.html ] || [ -n "$(find web/index.html web/vite.config.ts web/src package-lock.json -newer web/dist/index.html -print -quit)" ]; then
  echo "setup: building the dashboard (web/dist)"
  npm run --silent build:web >/dev/null
fi
