#!/usr/bin/env bash
# Makes the Debian 12 base image the local builds start from, where Docker Hub cannot be reached:
# `debootstrap --variant=minbase bookworm` once, cached as a tarball outside the repository, then
# `docker import`. Idempotent: reuses the image if present, the tarball if present.
# Env: DEPLOY_CACHE (default /var/cache/dcgrid-deploy), DEBIAN_MIRROR (default deb.debian.org),
#      DOCKER_HOST (the daemon to import into), BASE_TAG (default dcgrid/debian:bookworm-local).
set -euo pipefail
CACHE=${DEPLOY_CACHE:-/var/cache/dcgrid-deploy}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TAG=${BASE_TAG:-dcgrid/debian:bookworm-local}
TARBALL=$CACHE/debian-bookworm-minbase.tar

log() { echo "debian-base: $*" >&2; }

make_tarball() {
  command -v debootstrap >/dev/null || { log "installing debootstrap"; apt-get install -y -qq debootstrap >/dev/null; }
  mkdir -p "$CACHE"
  local root
  root=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  local attempt
  for attempt in 1 2 3; do
    log "debootstrap --variant=minbase bookworm (attempt $attempt)"
    if debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
      break
    fi
    log "debootstrap failed; last lines of $CACHE/debootstrap.log:"; tail -5 "$CACHE/debootstrap.log" >&2
    [ "$attempt" -lt 3 ] || { rm -rf "$root"; exit 1; }
    rm -rf "$root"; root=$(mktemp -d "$CACHE/rootfs.XXXXXX"); sleep $((attempt * 10))
  done
  # Apt caches and lists are not part of a base image.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -cf "$TARBALL.part" .
  mv "$TARBALL.part" "$TARBALL"
  rm -rf "$root"
  log "cached $TARBALL ($(du -h "$TARBALL" | cut -f1))"
}

if [ "${1:-}" != "--tarball-only" ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG present"; exit 0
fi
[ -s "$TARBALL" ] || make_tarball
[ "${1:-}" = "--tarball-only" ] && exit 0
docker import -c 'CMD ["/bin/bash"]' -c 'ENV LANG=C.UTF-8' "$TARBALL" "$TAG" >/dev/null
log "imported $TAG"
