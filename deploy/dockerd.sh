#!/usr/bin/env bash
# A private Docker daemon for machines without a running one (CI here): its own socket, data and
# state under DOCKERD_DIR, no iptables changes. Images built in it stay between runs (build cache).
#   dockerd.sh start   starts it (if not running) and prints `export DOCKER_HOST=unix://...`
#   dockerd.sh stop    stops it
#   dockerd.sh env     prints the export line only
# Env: DOCKERD_DIR (default /var/lib/dcgrid-dockerd). Needs root and Debian's docker.io.
set -euo pipefail
DIR=${DOCKERD_DIR:-/var/lib/dcgrid-dockerd}
SOCK=$DIR/docker.sock
PIDFILE=$DIR/dockerd.pid
export DOCKER_HOST=unix://$SOCK

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  if running; then echo "export DOCKER_HOST=$DOCKER_HOST"; return 0; fi
  command -v dockerd >/dev/null 2>&1 || {
    echo "dockerd.sh: installing docker.io and docker-compose" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io docker-compose >/dev/null
  }
  mkdir -p "$DIR/data" "$DIR/exec"
  # setsid: the daemon outlives the shell that started it and is stopped by its pid file.
  setsid dockerd --host "$DOCKER_HOST" --data-root "$DIR/data" --exec-root "$DIR/exec" \
    --pidfile "$PIDFILE" --storage-driver overlay2 --iptables=false --ip-masq=false --bridge=none \
    >"$DIR/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 60); do
    docker version >/dev/null 2>&1 && { echo "export DOCKER_HOST=$DOCKER_HOST"; return 0; }
    sleep 0.5
  done
  echo "dockerd.sh: the daemon did not answer on $SOCK within 30 s; last lines of $DIR/dockerd.log:" >&2
  tail -20 "$DIR/dockerd.log" >&2
  return 1
}

stop() {
  running || { echo "dockerd.sh: not running" >&2; return 0; }
  local pid i
  pid=$(cat "$PIDFILE")
  kill "$pid"
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { echo "dockerd.sh: stopped" >&2; return 0; }; sleep 0.5; done
  echo "dockerd.sh: dockerd $pid still running after 20 s" >&2; return 1
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  env) echo "export DOCKER_HOST=$DOCKER_HOST" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
