#!/usr/bin/env bash
# Swift with s3api on 0.0.0.0:9000 (account/container/object servers and memcached on loopback),
# data under the folder given after `server` (default /data). Exits when any of them exits.
set -euo pipefail
[ "${1:-server}" = server ] || exec "$@"
DATA=${2:-/data}
: "${MINIO_ROOT_USER:?MINIO_ROOT_USER (account:user) is required}" "${MINIO_ROOT_PASSWORD:?MINIO_ROOT_PASSWORD is required}"
case "$MINIO_ROOT_USER" in
  *:*) ;;
  *) echo "s3: MINIO_ROOT_USER must be account:user for Swift's S3 API (got $MINIO_ROOT_USER)" >&2; exit 1 ;;
esac
ACCOUNT=${MINIO_ROOT_USER%%:*} USER_NAME=${MINIO_ROOT_USER#*:}
ETC=$DATA/etc NODE=$DATA/node
mkdir -p "$ETC" "$NODE/d1"
for t in account:6202 container:6201 object:6200; do
  n=${t%%:*} p=${t##*:}
  if [ ! -f "$ETC/$n.ring.gz" ]; then
    swift-ring-builder "$ETC/$n.builder" create 8 1 1 >/dev/null
    swift-ring-builder "$ETC/$n.builder" add "r1z1-127.0.0.1:$p/d1" 100 >/dev/null
    swift-ring-builder "$ETC/$n.builder" rebalance >/dev/null 2>&1 || true
  fi
  cat >"$ETC/$n-server.conf" <<CONF
[DEFAULT]
devices = $NODE
mount_check = false
bind_ip = 127.0.0.1
bind_port = $p
swift_dir = $ETC
user = $(id -un)
workers = 1
log_level = WARNING
[pipeline:main]
pipeline = $n-server
[app:$n-server]
use = egg:swift#$n
CONF
done
cat >"$ETC/proxy-server.conf" <<CONF
[DEFAULT]
bind_ip = 0.0.0.0
bind_port = 9000
swift_dir = $ETC
user = $(id -un)
workers = 2
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
allow_account_management = true
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:11211
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:s3api]
use = egg:swift#s3api
location = ${AWS_REGION:-us-east-1}
[filter:tempauth]
use = egg:swift#tempauth
user_${ACCOUNT}_${USER_NAME} = ${MINIO_ROOT_PASSWORD} .admin
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
[filter:versioned_writes]
use = egg:swift#versioned_writes
CONF
pids=()
memcached -l 127.0.0.1 -p 11211 -m 64 & pids+=($!)
for n in account container object proxy; do
  "swift-$n-server" "$ETC/$n-server.conf" & pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait' TERM INT
echo "s3: Swift S3 API on :9000, data in $DATA"
wait -n
echo "s3: a server exited; stopping" >&2
kill "${pids[@]}" 2>/dev/null || true
exit 1
