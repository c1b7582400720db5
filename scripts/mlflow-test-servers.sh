#!/usr/bin/env bash
# The two real MLflow tracking servers the tests use (../shared/tools/mlflow-test-server.sh,
# MLflow 2.22), one per artifact mode: proxied (--serve-artifacts, MLflow's default) on
# MLFLOW_TEST_PORT_PROXIED (5055) and local (--no-serve-artifacts, a local artifact folder) on
# MLFLOW_TEST_PORT_LOCAL (5056).
#
#   start  starts both (about 30 s, side by side) and prints the variables that name them:
#          eval "$(bash scripts/mlflow-test-servers.sh start)"
#   stop   stops the ones this script started (not servers that were running already)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOL=${MLFLOW_TEST_SERVER_TOOL:-../shared/tools/mlflow-test-server.sh}
BASE=${TMPDIR:-/tmp}
declare -A PORT=([proxied]=${MLFLOW_TEST_PORT_PROXIED:-5055} [local]=${MLFLOW_TEST_PORT_LOCAL:-5056})
declare -A VAR=([proxied]=MLFLOW_TEST_URI_PROXIED [local]=MLFLOW_TEST_URI_LOCAL)

work() { echo "$BASE/dcgrid-mlflow-test-$1"; }
server() { MLFLOW_PORT=${PORT[$1]} MLFLOW_WORK=$(work "$1") MLFLOW_ARTIFACTS=$1 bash "$TOOL" "$2"; }

start() {
  [ -f "$TOOL" ] || { echo "mlflow-test-servers: $TOOL is missing" >&2; exit 1; }
  local pids=() mode
  for mode in proxied local; do
    if server "$mode" status >/dev/null 2>&1; then
      echo "export ${VAR[$mode]}=http://127.0.0.1:${PORT[$mode]}"
      continue
    fi
    rm -rf "$(work "$mode")"
    server "$mode" start >"$BASE/dcgrid-mlflow-test-$mode.out" 2>&1 &
    pids+=("$!:$mode")
    # The first start may install Debian packages: the second waits until that is done (the
    # tool makes its work folder after), so two apt-get runs never compete for the lock.
    while [ ! -d "$(work "$mode")" ] && kill -0 "$!" 2>/dev/null; do sleep 1; done
  done
  local failed=0 entry
  for entry in "${pids[@]}"; do
    mode=${entry#*:}
    if wait "${entry%%:*}"; then
      touch "$(work "$mode")/started-by-dcgrid-tests"
      echo "export ${VAR[$mode]}=http://127.0.0.1:${PORT[$mode]}"
    else
      echo "mlflow-test-servers: the $mode server did not start:" >&2
      tail -20 "$BASE/dcgrid-mlflow-test-$mode.out" >&2
      failed=1
    fi
  done
  return $failed
}

stop() {
  local mode
  for mode in proxied local; do
    if [ -f "$(work "$mode")/started-by-dcgrid-tests" ]; then
      server "$mode" stop >/dev/null
      rm -f "$(work "$mode")/started-by-dcgrid-tests"
    fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
