#!/usr/bin/env bash
# The main job on a fresh machine: set-up, then `dcgrid pipeline` (ingest -> features -> train ->
# backtest -> register/promote -> forecast) on embedded defaults: PGlite and artifacts under
# ./.dcgrid, the offline demo data unless --raw-dir or --download is given. Extra arguments go to
# the pipeline, e.g. `bash scripts/main.sh --raw-dir ../shared/data/raw --targets demand_mw`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/dcgrid.js pipeline "$@"
