#!/usr/bin/env bash
# First start of the PostgreSQL container: a second database for MLflow's tracking store.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -q \
  -c "CREATE DATABASE ${MLFLOW_DB:-mlflow} OWNER \"$POSTGRES_USER\""
