#!/usr/bin/env bash
# The main job on a fresh machine: set-up (which also builds the dashboard), then `dcgrid pipeline`
# (ingest -> features -> train -> backtest -> register/promote -> forecast) on embedded defaults:
# PGlite and artifacts under ./.dcgrid, the offline demo data unless --raw-dir or --download is
# given; then `dcgrid serve`: the dashboard at http://127.0.0.1:8080/ and the API docs at
# /api/docs (API_PORT to change; Ctrl-C stops it). `--no-serve` stops after the pipeline.
# Other arguments go to the pipeline, e.g.
# `bash scripts/main.sh --raw-dir ../shared/data/raw --targets demand_mw`.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
pipeline_args=()
serve_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-serve) serve=0 ;;
    --home) pipeline_args+=("$1" "$2"); serve_args+=("$1" "$2"); shift ;;
    --home=*) pipeline_args+=("$1"); serve_args+=("$1") ;;
    *) pipeline_args+=("$1") ;;
  esac
  shift
done
bash scripts/setup.sh
node bin/dcgrid.js pipeline ${pipeline_args[@]+"${pipeline_args[@]}"}
if [ "$serve" -eq 1 ]; then
  exec node bin/dcgrid.js ${serve_args[@]+"${serve_args[@]}"} serve
fi
