#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A second lab beside the one the LAB_* variables name, with three managers and no worker, for what needs a
# quorum that survives a manager (FailoverIT, bench/failover.sh): the default lab keeps its shape and its other
# tests are not disturbed. It shares the first lab's image cache (the registry storage: no image is built again)
# and takes its names from it: LAB_NAME<h>, LAB_NET with the third octet 100 lower, LAB_ROOT-ha.
#
#   ha-lab.sh up     bring it up (fresh: down purges it) and print its variables, KEY=VALUE a line
#   ha-lab.sh env    print its variables only
#   ha-lab.sh down   purge it: no process, mount, link or node data left (the shared cache stays)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The first lab's values (and defaults), as every lab command computes them.
# shellcheck source=lib/common.sh
source "$LAB_DIR/lib/common.sh"
IFS=. read -r a b c <<<"$LAB_NET"
((c >= 100)) || die "LAB_NET=$LAB_NET: its third octet must be 100 or more to derive the second lab's network"

ha_env() {
  echo "LAB_NAME=${LAB_NAME:0:5}h"
  echo "LAB_NET=$a.$b.$((c - 100))"
  echo "LAB_ROOT=${LAB_ROOT}-ha"
  echo "LAB_CACHE=$LAB_CACHE"
  echo "LAB_REGISTRY_PORT=$LAB_REGISTRY_PORT"
  echo "LAB_AUTH_REGISTRY_PORT=$LAB_AUTH_REGISTRY_PORT"
  echo "LAB_MANAGERS=3"
  echo "LAB_WORKERS=0"
}

# Runs lab.sh with the second lab's variables.
ha_lab() {
  env $(ha_env | tr '\n' ' ') bash "$LAB_DIR/lab.sh" "$@"
}

case "${1:-}" in
  env) ha_env ;;
  up)
    ha_lab up >&2
    ha_env
    ha_lab env
    ;;
  down) ha_lab purge >&2 ;;
  *) die "usage: ha-lab.sh up|env|down" ;;
esac
