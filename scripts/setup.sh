#!/usr/bin/env bash
# Installs what dcgrid needs on a fresh Debian/Ubuntu machine (idempotent): the Debian packages of
# scripts/debian-packages.txt (the XGBoost library; Python's xgboost for the interoperability
# tests), then the npm packages. The container image installs from the same list and script.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh apt all

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  bash scripts/install-deps.sh npm
fi
