#!/usr/bin/env bash
# dcgrid on k3s in Docker (deploy/k8s/k3s/compose.yaml). The Makefile's k3s-* targets call this.
#   k3s.sh up            start k3s, write the pinned kubeconfig, wait for the node
#   k3s.sh images        build dcgrid/dcgrid and dcgrid/mlflow, tag :local, import into k3s's containerd
#   k3s.sh secrets       write overlays/k3s/secrets.env from .env (the Secret's source; never committed)
#   k3s.sh bootstrap     secrets + apply overlays/k3s, wait for PostgreSQL, MinIO and MLflow
#   k3s.sh ingest|train  (re)run that Job and wait for it, then print its logs
#   k3s.sh pipeline      run the CronJob's pipeline once now and wait for it
#   k3s.sh status|nodes  pods, jobs, services, volumes | nodes
#   k3s.sh forward [stop]  port-forwards: API 8080, MLflow 9090, MinIO 9000/9001 (background)
#   k3s.sh down [-v]     stop k3s (-v: and delete its state)
# Env: OFFLINE=1 (no Docker Hub: build every image locally, and import the PostgreSQL and S3
# stand-ins under the upstream names, so the manifests stay the same), K3S_API_PORT (6443),
# JOB_TIMEOUT (30m).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
K8S=$ROOT/deploy/k8s
export KUBECONFIG=$HERE/kubeconfig.yaml
CONTEXT=default
NS=dcgrid
log() { echo "k3s: $*" >&2; }
k3s_compose() { docker-compose -p dcgrid-k3s -f "$HERE/compose.yaml" "$@"; }
kc() { kubectl --context "$CONTEXT" "$@"; }
kns() { kc -n "$NS" "$@"; }

need_kubeconfig() {
  [ -s "$KUBECONFIG" ] || { log "no $KUBECONFIG: run 'make k3s-up' first"; exit 1; }
}

up() {
  k3s_compose up -d
  local i
  for i in $(seq 1 90); do [ -s "$KUBECONFIG" ] && break; sleep 2; done
  [ -s "$KUBECONFIG" ] || { log "k3s wrote no kubeconfig in 180 s"; k3s_compose logs --tail=40 >&2; exit 1; }
  # k3s writes its in-container address; point it at the published port.
  sed -i "s#server: https://127.0.0.1:[0-9]*#server: https://127.0.0.1:${K3S_API_PORT:-6443}#" "$KUBECONFIG"
  for i in $(seq 1 90); do
    kc get nodes 2>/dev/null | grep -q ' Ready' && { kc get nodes; return 0; }
    sleep 2
  done
  log "the node is not Ready after 180 s"; exit 1
}

images() {
  local files=(-f "$ROOT/compose.yaml")
  if [ "${OFFLINE:-0}" = 1 ]; then
    bash "$ROOT/deploy/images/build-local.sh"
    files+=(-f "$ROOT/compose.local.yaml")
  fi
  local env_file=$ROOT/.env
  [ -f "$env_file" ] || env_file=$ROOT/.env.example
  (cd "$ROOT" && docker-compose "${files[@]}" --env-file "$env_file" build api mlflow $([ "${OFFLINE:-0}" = 1 ] && echo postgres minio))
  docker tag dcgrid/dcgrid:0.1.0 dcgrid/dcgrid:local
  if [ "${OFFLINE:-0}" = 1 ]; then
    docker tag dcgrid/postgres:15-local postgres:15-bookworm
    docker tag dcgrid/s3:local minio/minio:RELEASE.2025-04-22T22-12-26Z
    set -- dcgrid/dcgrid:local dcgrid/mlflow:local postgres:15-bookworm minio/minio:RELEASE.2025-04-22T22-12-26Z
  else
    docker tag dcgrid/mlflow:2.22.0 dcgrid/mlflow:local
    set -- dcgrid/dcgrid:local dcgrid/mlflow:local
  fi
  log "importing $* into k3s's containerd"
  docker save "$@" | k3s_compose exec -T k3s ctr images import - >/dev/null
  k3s_compose exec -T k3s crictl images | grep -E 'dcgrid|postgres|minio' || true
}

secrets() {
  local env_file=$ROOT/.env
  [ -f "$env_file" ] || { log "no .env: run 'make env' (or copy .env.example and set the secrets)"; exit 1; }
  set -a; . "$env_file"; set +a
  : "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}" "${S3_ACCESS_KEY:?set S3_ACCESS_KEY in .env}" "${S3_SECRET_KEY:?set S3_SECRET_KEY in .env}"
  local user=${POSTGRES_USER:-dcgrid} out=$K8S/overlays/k3s/secrets.env
  umask 077
  cat >"$out" <<EOF
POSTGRES_PASSWORD=$POSTGRES_PASSWORD
S3_ACCESS_KEY=$S3_ACCESS_KEY
S3_SECRET_KEY=$S3_SECRET_KEY
AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
DATABASE_URL=postgres://$user:$POSTGRES_PASSWORD@postgres:5432/dcgrid
MLFLOW_BACKEND_STORE_URI=postgresql://$user:$POSTGRES_PASSWORD@postgres:5432/mlflow
API_TOKEN=${API_TOKEN:-}
EOF
  log "wrote $out from .env"
}

bootstrap() {
  need_kubeconfig
  secrets
  kc apply -k "$K8S/overlays/k3s"
  kns rollout status statefulset/postgres --timeout=5m
  kns rollout status deployment/minio --timeout=5m
  kns rollout status deployment/mlflow --timeout=10m
  log "services up; the API becomes Ready once a champion has issued a forecast (make k3s-ingest k3s-train, or the pipeline)"
}

run_job() { # name overlay
  need_kubeconfig
  local job=$1 overlay=$2
  kns delete job "$job" --ignore-not-found
  kc apply -k "$K8S/overlays/$overlay"
  if ! kns wait --for=condition=complete "job/$job" --timeout="${JOB_TIMEOUT:-30m}"; then
    kns describe "job/$job" | tail -20 >&2
    kns logs "job/$job" --all-containers --tail=80 >&2 || true
    exit 1
  fi
  kns logs "job/$job" --tail=40 || true
}

pipeline() {
  need_kubeconfig
  local job=pipeline-manual-$(date +%Y%m%d%H%M%S)
  kns create job --from=cronjob/pipeline "$job"
  kns wait --for=condition=complete "job/$job" --timeout="${JOB_TIMEOUT:-30m}"
  kns logs "job/$job" --tail=40
}

forward() {
  need_kubeconfig
  local pids=$HERE/.port-forward.pids
  if [ "${1:-}" = stop ]; then
    [ -f "$pids" ] && while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$pids"
    rm -f "$pids"; log "port-forwards stopped"; return 0
  fi
  : >"$pids"
  kns port-forward svc/api "${API_HOST_PORT:-8080}:8080" >/dev/null 2>&1 & echo $! >>"$pids"
  kns port-forward svc/mlflow "${MLFLOW_HOST_PORT:-9090}:5000" >/dev/null 2>&1 & echo $! >>"$pids"
  kns port-forward svc/minio "${MINIO_HOST_PORT:-9000}:9000" "${MINIO_CONSOLE_HOST_PORT:-9001}:9001" >/dev/null 2>&1 & echo $! >>"$pids"
  log "API http://127.0.0.1:${API_HOST_PORT:-8080}  MLflow http://127.0.0.1:${MLFLOW_HOST_PORT:-9090}  MinIO http://127.0.0.1:${MINIO_HOST_PORT:-9000} (console ${MINIO_CONSOLE_HOST_PORT:-9001}); stop: k3s.sh forward stop"
}

case "${1:-}" in
  up) up ;;
  images) images ;;
  secrets) secrets ;;
  bootstrap) bootstrap ;;
  ingest) run_job ingest k3s-ingest ;;
  train) run_job train k3s-train ;;
  pipeline) pipeline ;;
  status) need_kubeconfig; kns get pods,jobs,cronjobs,svc,pvc -o wide ;;
  nodes) need_kubeconfig; kc get nodes -o wide ;;
  forward) forward "${2:-}" ;;
  down) k3s_compose down ${2:-} ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
