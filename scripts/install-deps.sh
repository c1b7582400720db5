#!/usr/bin/env bash
# What dcgrid needs installed, in one place for every machine and the container image:
#   install-deps.sh apt [runtime|all]   Debian packages from scripts/debian-packages.txt (missing ones only)
#   install-deps.sh npm                 the npm packages of package-lock.json (npm ci)
#   install-deps.sh list [runtime|all]  print the Debian packages of that scope
# scripts/setup.sh runs `apt all` and `npm`; the Dockerfile runs `npm` in its build stage and
# `apt runtime` in the image. apt-get is retried: a mirror hiccup should not fail a build or CI.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
LIST=$HERE/debian-packages.txt

retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    [ "$attempt" -lt 3 ] || break
    echo "install-deps: '$*' failed (attempt $attempt of 3); retrying in $((attempt * 10)) s" >&2
    sleep $((attempt * 10))
  done
  echo "install-deps: '$*' failed 3 times" >&2
  return 1
}

packages() { # scope -> package names
  awk -v scope="$1" '!/^[[:space:]]*(#|$)/ { if (scope == "all" || $2 == scope) print $1 }' "$LIST"
}

install_apt() {
  local scope=${1:-all} missing=() pkg
  while read -r pkg; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done < <(packages "$scope")
  [ ${#missing[@]} -gt 0 ] || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: not a Debian/Ubuntu machine; please install the equivalents of: ${missing[*]}" >&2
    echo "install-deps: (XGBoost 1.7+, e.g. 'brew install xgboost', and set XGBOOST_LIB)" >&2
    return 0
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "install-deps: installing ${missing[*]} with apt-get" >&2
  retry $sudo apt-get update -qq
  retry env DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_npm() {
  cd "$HERE/.."
  retry npm ci --no-audit --no-fund
}

case "${1:-}" in
  apt) install_apt "${2:-all}" ;;
  npm) install_npm ;;
  list) packages "${2:-all}" ;;
  *) echo "usage: $0 apt [runtime|all] | npm | list [runtime|all]" >&2; exit 2 ;;
esac
