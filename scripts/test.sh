#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, the S3 protocol server the artifact tests use,
# the two real MLflow servers the tracking tests use (both artifact modes, started side by side and
# stopped at the end), then typecheck, lint, format check and tests (npm run validate).
# In CI (CI set, as .ci/run does) an MLflow server that does not start fails the run; elsewhere
# the MLflow tests that need it are skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -x ../shared/tools/s3-test-server.sh ] || [ -f ../shared/tools/s3-test-server.sh ]; then
  (echo > /dev/tcp/127.0.0.1/9000) 2>/dev/null || bash ../shared/tools/s3-test-server.sh start
fi
trap 'bash scripts/mlflow-test-servers.sh stop' EXIT
if servers=$(bash scripts/mlflow-test-servers.sh start); then
  eval "$servers"
  export MLFLOW_TEST_URI_PROXIED MLFLOW_TEST_URI_LOCAL
else
  [ -z "${CI:-}" ] || { echo "test: CI needs the real MLflow servers" >&2; exit 1; }
  echo "test: no real MLflow servers; their tests will be skipped" >&2
fi
npm run validate
