#!/usr/bin/env bash
# The container end-to-end test CI runs after the test suite: the Compose stack for real.
#   private dockerd -> local base images (debootstrap cached) -> build every image ->
#   up (PostgreSQL, S3, bucket init, MLflow, API) until healthy -> ingest (demo data) ->
#   pipeline -> the API answers a forecast -> MLflow has the runs -> down -v
# Prints the numbers (image size, build time, up-to-healthy time, end-to-end time) at the end.
# Uses compose.local.yaml (local images: no Docker Hub here) and free host ports (the machine's
# own PostgreSQL and S3 server keep 5432 and 9000). Needs root and Debian's docker.io and
# docker-compose (installed when missing).
# Env: E2E_KEEP=1 leaves the stack up; DOCKERD_DIR, DEPLOY_CACHE as in deploy/dockerd.sh and
# deploy/images/build-local.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$(date +%s)
PROJECT=dcgrid-e2e
log() { echo "e2e [$(($(date +%s) - START)) s]: $*" >&2; }

retry() { # attempts command...: network steps (apt, npm, image builds) get more than one chance
  local attempts=$1 attempt
  shift
  for attempt in $(seq 1 "$attempts"); do
    "$@" && return 0
    [ "$attempt" -lt "$attempts" ] || break
    log "'$*' failed (attempt $attempt of $attempts); retrying in $((attempt * 15)) s"
    sleep $((attempt * 15))
  done
  log "'$*' failed $attempts times"
  return 1
}

[ "$(id -u)" = 0 ] || { echo "e2e: needs root (dockerd, debootstrap)" >&2; exit 2; }
missing=()
for tool in dockerd:docker.io docker-compose:docker-compose debootstrap:debootstrap; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  retry 3 apt-get update -qq
  retry 3 env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

started_dockerd=0
eval "$(bash deploy/dockerd.sh env)"
if ! docker version >/dev/null 2>&1; then
  eval "$(bash deploy/dockerd.sh start)"
  started_dockerd=1
fi

work=$(mktemp -d)
env_file=$work/stack.env
compose() { docker-compose -p "$PROJECT" -f compose.yaml -f compose.local.yaml --env-file "$env_file" "$@"; }

finish() {
  local status=$?
  if [ "$status" != 0 ] && [ -f "$env_file" ]; then
    log "FAILED (exit $status); service states and last log lines:"
    compose ps >&2 || true
    compose logs --no-color --tail=60 >&2 || true
  fi
  if [ "${E2E_KEEP:-0}" != 1 ] && [ -f "$env_file" ]; then
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  [ "$started_dockerd" = 1 ] && [ "${E2E_KEEP:-0}" != 1 ] && bash deploy/dockerd.sh stop || true
  rm -rf "$work"
}
trap finish EXIT

# Settings: random credentials, free host ports, a pipeline small enough for CI.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
API_HOST_PORT=$(free_port)
MLFLOW_HOST_PORT=$(free_port)
cat >"$env_file" <<EOF
POSTGRES_PASSWORD=$(secret)
S3_ACCESS_KEY=dcgrid:admin
S3_SECRET_KEY=$(secret)
API_HOST_PORT=$API_HOST_PORT
MLFLOW_HOST_PORT=$MLFLOW_HOST_PORT
MINIO_HOST_PORT=$(free_port)
MINIO_CONSOLE_HOST_PORT=$(free_port)
POSTGRES_HOST_PORT=$(free_port)
DCGRID_GIT_COMMIT=$(git rev-parse HEAD 2>/dev/null || true)
TARGETS=dc_load_mw
PIPELINE_MODELS=snaive168,xgb
TRAIN_DAYS=180
BACKTEST_WEEKS=1
VALIDATION_HOURS=168
FORECAST_HORIZON_H=168
EOF

log "base images (debootstrap once, cached in ${DEPLOY_CACHE:-/var/cache/dcgrid-deploy})"
retry 2 bash deploy/images/build-local.sh

log "building the stack's images"
build_start=$(date +%s)
retry 2 compose build
build_s=$(($(date +%s) - build_start))
image_bytes=$(docker image inspect -f '{{.Size}}' "dcgrid/dcgrid:0.1.0")

log "starting the services"
compose down -v --remove-orphans >/dev/null 2>&1 || true
up_start=$(date +%s)
compose up -d postgres minio s3-init mlflow api
api_container=$(compose ps -q api)
for _ in $(seq 1 120); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$api_container")
  [ "$health" = healthy ] && break
  [ "$(docker inspect -f '{{.State.Status}}' "$api_container")" = exited ] && { log "the api container exited"; exit 1; }
  sleep 2
done
[ "$health" = healthy ] || { log "the api is not healthy after 240 s ($health)"; exit 1; }
up_s=$(($(date +%s) - up_start))
log "stack healthy in $up_s s"

log "ingest (offline demo data)"
ingest_start=$(date +%s)
compose run --rm ingest --no-progress
ingest_s=$(($(date +%s) - ingest_start))

log "pipeline"
pipeline_start=$(date +%s)
compose run --rm pipeline --no-progress
pipeline_s=$(($(date +%s) - pipeline_start))

log "the API's forecast"
api=http://127.0.0.1:$API_HOST_PORT
curl -fsS --retry 5 --retry-delay 2 --retry-all-errors "$api/readyz" >"$work/ready.json"
curl -fsS "$api/api/forecast?region=IE&target=dc_load_mw" >"$work/forecast.json"
node -e '
  const { readFileSync } = require("node:fs");
  const forecast = JSON.parse(readFileSync(process.argv[1], "utf8"));
  const ready = JSON.parse(readFileSync(process.argv[2], "utf8"));
  const fail = (message) => { console.error(`e2e: ${message}`); process.exit(1); };
  if (ready.status !== "ready") fail(`/readyz says ${JSON.stringify(ready)}`);
  if (forecast.target !== "dc_load_mw" || forecast.region !== "IE") fail(`forecast for ${forecast.region}/${forecast.target}`);
  if (forecast.points.length !== 168) fail(`${forecast.points.length} forecast points, not 168`);
  for (const p of forecast.points) {
    if (![p.p10, p.p50, p.p90].every(Number.isFinite)) fail(`non-numeric quantiles at ${p.ts}`);
    if (!(p.p10 <= p.p50 && p.p50 <= p.p90)) fail(`quantiles out of order at ${p.ts}: ${p.p10} ${p.p50} ${p.p90}`);
  }
  console.error(`e2e: forecast ${forecast.model} v${forecast.version} (${forecast.alias}), ${forecast.points.length} points from ${forecast.origin}, run ${forecast.runId}`);
' "$work/forecast.json" "$work/ready.json"

log "MLflow has the runs, their artifacts in S3"
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"max_results":50}' \
  "http://127.0.0.1:$MLFLOW_HOST_PORT/api/2.0/mlflow/experiments/search" >"$work/experiments.json"
node -e '
  const { experiments = [] } = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const mine = experiments.filter((e) => e.name !== "Default");
  if (mine.length === 0) { console.error("e2e: no dcgrid experiment in MLflow"); process.exit(1); }
  console.error(`e2e: MLflow experiments: ${mine.map((e) => e.name).join(", ")} (artifacts ${mine[0].artifact_location})`);
' "$work/experiments.json"

log "the model store and MLflow's artifacts are in S3"
compose run --rm --no-deps --entrypoint python3 s3-init -c '
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name=os.environ["AWS_REGION"],
                  aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])
for bucket in os.environ["S3_BUCKETS"].split(","):
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    print(f"e2e: s3://{bucket}: {len(keys)} objects, e.g. {keys[:1]}", file=sys.stderr)
    if not any(k.endswith("_COMPLETE") or "/artifacts/" in k for k in keys):
        sys.exit(f"e2e: no model files in s3://{bucket}")
'

log "down"
compose down -v --remove-orphans >/dev/null
total_s=$(($(date +%s) - START))
cat <<EOF
e2e: PASSED
e2e numbers:
  dcgrid image                 $((image_bytes / 1000000)) MB (dcgrid/dcgrid:0.1.0 on dcgrid/node:20-bookworm-local)
  image builds (all services)  $build_s s
  up to healthy                $up_s s (PostgreSQL, S3, bucket init, MLflow, API)
  ingest (demo data)           $ingest_s s
  pipeline                     $pipeline_s s (snaive168 + xgb, dc_load_mw)
  end to end                   $total_s s
EOF
