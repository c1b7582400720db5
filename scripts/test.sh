#!/usr/bin/env bash
# The whole test suite on a fresh machine: set-up, the S3 protocol server the artifact tests use,
# then typecheck, lint, format check and tests (npm run validate).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -x ../shared/tools/s3-test-server.sh ] || [ -f ../shared/tools/s3-test-server.sh ]; then
  (echo > /dev/tcp/127.0.0.1/9000) 2>/dev/null || bash ../shared/tools/s3-test-server.sh start
fi
npm run validate
