# dcgrid: the deployment paths (docs/DEPLOY.md). `make help` lists the targets.
#   LOCAL_IMAGES=1  build every image locally on a debootstrapped Debian (no Docker Hub / ghcr.io)
#   RAW_DIR=path    `make data` ingests real files from that folder instead of the demo data
#   MODEL=xgb TARGET=dc_load_mw   `make train`
SHELL := bash
.DEFAULT_GOAL := help

COMPOSE_FILES := -f compose.yaml $(if $(filter 1,$(LOCAL_IMAGES)),-f compose.local.yaml)
COMPOSE := docker-compose $(COMPOSE_FILES)
K3S := bash deploy/k8s/k3s/k3s.sh
MODEL ?= xgb
TARGET ?=
BENCHES ?= features ingest eirgrid-sources xgb backtest tft

.PHONY: help demo test bench validate-k8s e2e env local-images compose-up data train pipeline compose-logs compose-down \
	k3s-up k3s-images k3s-secrets k3s-bootstrap k3s-ingest k3s-train k3s-pipeline k3s-status k3s-nodes k3s-forward k3s-run k3s-down

help: ## this list
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

demo: ## the whole job on one machine, no servers (embedded database, demo data)
	bash scripts/main.sh

test: ## typecheck, lint, format check, tests (what CI runs first)
	bash scripts/test.sh

bench: ## the benchmarks in bench/ (BENCHES=...), each against its baseline in the same run
	@for b in $(BENCHES); do echo "== bench/$$b.ts"; nice -n 10 npx tsx "bench/$$b.ts" || exit 1; done

validate-k8s: ## render every overlay and check every object
	npx tsx deploy/k8s/validate/validate.ts

e2e: ## the Compose stack end to end, for real (root; starts a private dockerd)
	bash deploy/e2e.sh

env: .env ## .env from .env.example with fresh secrets
.env:
	@cp .env.example .env
	@printf '\n# Written by make env.\nPOSTGRES_PASSWORD=%s\nS3_ACCESS_KEY=dcgrid:admin\nS3_SECRET_KEY=%s\n' \
		"$$(openssl rand -hex 16)" "$$(openssl rand -hex 20)" >> .env
	@echo "wrote .env (secrets generated); edit it to taste"

local-images: ## base images for LOCAL_IMAGES=1 (debootstrap once, cached)
	bash deploy/images/build-local.sh

compose-up: .env $(if $(filter 1,$(LOCAL_IMAGES)),local-images) ## the stack: PostgreSQL, MinIO, MLflow, API + dashboard
	$(COMPOSE) up -d --build postgres minio s3-init mlflow api
	@echo "API http://127.0.0.1:$${API_HOST_PORT:-8080}  MLflow http://127.0.0.1:$${MLFLOW_HOST_PORT:-9090}  MinIO http://127.0.0.1:$${MINIO_HOST_PORT:-9000}"

data: ## ingest into the stack (demo data, or RAW_DIR=folder)
	$(COMPOSE) run --rm $(if $(RAW_DIR),-v $(abspath $(RAW_DIR)):/raw:ro) ingest --no-progress $(if $(RAW_DIR),--raw-dir /raw)

train: ## train MODEL (xgb) for TARGET (first of TARGETS) in the stack
	$(COMPOSE) run --rm train --no-progress --model $(MODEL) $(if $(TARGET),--target $(TARGET))

pipeline: ## the whole pipeline once in the stack
	$(COMPOSE) run --rm pipeline --no-progress

compose-logs: ## follow the services' logs
	$(COMPOSE) logs -f --tail=50

compose-down: ## stop the stack (data volumes kept; `docker-compose down -v` deletes them)
	$(COMPOSE) down

k3s-up: ## k3s in Docker, pinned kubeconfig deploy/k8s/k3s/kubeconfig.yaml
	$(K3S) up

k3s-images: ## build dcgrid images and import them into k3s (OFFLINE=1: every image)
	$(K3S) images

k3s-secrets: .env ## overlays/k3s/secrets.env (the Secret's source) from .env
	$(K3S) secrets

k3s-bootstrap: .env ## Secret from .env, services applied, wait for PostgreSQL, MinIO, MLflow
	$(K3S) bootstrap

k3s-ingest: ## the ingest Job, waited for
	$(K3S) ingest

k3s-train: ## the train Job (one pod per region/target in matrix.txt), waited for
	$(K3S) train

k3s-pipeline: ## the daily pipeline CronJob, once now
	$(K3S) pipeline

k3s-status: ## pods, jobs, services, volumes in namespace dcgrid
	$(K3S) status

k3s-nodes: ## the cluster's nodes
	$(K3S) nodes

k3s-forward: ## port-forwards: API 8080, MLflow 9090, MinIO 9000/9001
	$(K3S) forward

k3s-run: k3s-up k3s-images k3s-bootstrap k3s-ingest k3s-train k3s-pipeline k3s-forward ## all of the above, in order

k3s-down: ## stop k3s (its state is kept)
	$(K3S) forward stop
	$(K3S) down
