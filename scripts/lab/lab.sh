#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Stackwarden swarm lab: a real multi-node Docker Swarm on this one machine.
# Each node is a dockerd in its own network + UTS namespace, wired to a
# bridge; a local registry serves the test images. See docs/lab.md.
set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/common.sh
source "$LAB_DIR/lib/common.sh"
# shellcheck source=lib/net.sh
source "$LAB_DIR/lib/net.sh"
# shellcheck source=lib/node.sh
source "$LAB_DIR/lib/node.sh"
# shellcheck source=lib/registry.sh
source "$LAB_DIR/lib/registry.sh"
# shellcheck source=lib/swarm.sh
source "$LAB_DIR/lib/swarm.sh"
# shellcheck source=lib/images.sh
source "$LAB_DIR/lib/images.sh"
# shellcheck source=lib/faults.sh
source "$LAB_DIR/lib/faults.sh"

usage() {
  cat <<EOF
usage: lab.sh <command> [args]

  up                    bring the lab up (idempotent; repairs a half-up lab)
  down                  stop everything; remove netns, links, mounts (data and cache stay)
  purge                 down, then delete the nodes' data (the image cache stays)
  status                each node: pid, engine answering, swarm role/state
  env                   print DOCKER_HOST=... and LAB_REGISTRY=...
  auth-registry         start the registry with htpasswd auth (idempotent); print its address, user, password file
  browser               install headless Chromium and its driver (Debian's chromium, chromium-driver) when missing
  jre-image             build and push \$LAB_REGISTRY/stackwarden-lab/jre:17 (cached)
  stackwarden-image     build the Stackwarden image from target/quarkus-app and push it as
                        \$LAB_REGISTRY/stackwarden:dev and :<content hash> (skipped when built already); print the latter
  docker NODE ARGS...   run the docker CLI against NODE
  node-stop NODE        SIGTERM the node's dockerd and wait (netns stays)
  node-start NODE       start the node's dockerd again, wait for its socket
  net-cut NODE          cut NODE off the lab network (its veth goes down)
  net-restore NODE      put NODE back on the lab network
  shim-stop ID          SIGSTOP the containerd-shim of container ID (full id, unique prefix or name)
  shim-cont ID          SIGCONT that shim
  shim-kill ID          SIGKILL that shim

Nodes: m1..m3 (managers), w1..w3 (workers).
Variables: LAB_MANAGERS=$LAB_MANAGERS LAB_WORKERS=$LAB_WORKERS LAB_ROOT=$LAB_ROOT LAB_CACHE=$LAB_CACHE
           LAB_NET=$LAB_NET (the lab /24) LAB_REGISTRY_PORT=$LAB_REGISTRY_PORT LAB_NAME=$LAB_NAME
           LAB_TIMEOUT=$LAB_TIMEOUT
EOF
}

LAB_PACKAGES=(docker.io containerd runc docker-registry busybox-static debootstrap
  debian-archive-keyring iproute2 util-linux procps iptables curl)

# The packages given, or LAB_PACKAGES.
ensure_packages() {
  local wanted=("$@")
  ((${#wanted[@]})) || wanted=("${LAB_PACKAGES[@]}")
  bash "$LAB_DIR/../ensure-packages.sh" "${wanted[@]}" || die "could not install ${wanted[*]}"
}

# Nodes that are not configured but have runtime traces (netns, veth, or an
# exec-root: every node process has one, and down/cleanup remove it).
unconfigured_nodes_with_state() {
  local node
  for node in "${ALL_NODES[@]}"; do
    is_configured "$node" && continue
    if [[ -e "/var/run/netns/$(node_netns "$node")" || -e "$(node_dir "$node")/exec" ||
          -d "/sys/class/net/$(node_veth "$node")" ]]; then
      echo "$node"
    fi
  done
}

# Clean boot of a node whose processes are gone: clear its runtime state,
# fresh namespace, start dockerd.
node_reset_and_launch() {
  node_clear_state "$1"
  net_node_down "$1"
  net_node_create "$1"
  node_launch "$1"
}

cmd_up() {
  local node pid job pending=() dead=() jobs=()
  ensure_packages
  take_lock
  [[ -d "$LAB_CACHE" ]] || mkdir -p "$LAB_CACHE"

  # Nodes left over from a bigger lab: out of the swarm, then torn down.
  for node in $(unconfigured_nodes_with_state); do
    log "tearing down unconfigured node $node"
    swarm_leave_node "$node"
    node_cleanup "$node"
    net_node_down "$node"
    # Forget its swarm membership so that configuring it again later joins
    # cleanly instead of first trying to reach its old cluster.
    rm -rf "$(node_dir "$node")/data/swarm"
  done

  net_bridge_up
  # The registry only needs the bridge address; start it while engines boot.
  registry_start

  for node in "${LAB_NODES[@]}"; do
    if pid=$(node_dockerd_pid "$node") && ! node_args_current "$node" "$pid"; then
      log "$node runs with other dockerd arguments (an older lab recipe): restarting it"
      node_stop "$node"
    fi
    if node_dockerd_pid "$node" >/dev/null; then
      net_node_ok "$node" || net_node_up "$node"     # also undoes a net-cut
    else
      dead+=("$node")
    fi
  done
  # A node without a live dockerd: whatever is left of it (orphaned
  # containerd/shims/containers, mounts, a namespace holding Docker's
  # interfaces) is stale. Reset it to a clean boot: fresh namespace, empty
  # exec-root, data-root kept (images, containers, swarm membership).
  # Nodes are independent, so this runs in parallel.
  ((${#dead[@]} == 0)) || node_kill_all "${dead[@]}"
  for node in "${dead[@]}"; do
    node_reset_and_launch "$node" &
    jobs+=("$!")
    pending+=("$node")
  done
  for job in "${jobs[@]}"; do
    wait "$job" || die "could not restart a node (see messages above)"
  done
  ((${#pending[@]} == 0)) || log "waiting for engines: ${pending[*]}"
  for node in "${pending[@]}"; do
    if ! wait_for "$LAB_TIMEOUT" engine_answers "$node" && node_dockerd_pid "$node" >/dev/null; then
      log "$node's dockerd runs but does not answer: restarting it"
      node_kill_all "$node"
      node_reset_and_launch "$node"
    fi
    node_wait "$node"
  done
  ((${#pending[@]} == 0)) || log "engines answer"

  swarm_up
  images_up
  log "lab up: ${LAB_NODES[*]}"
  cmd_env
}

cmd_down() {
  local node pids="" paths=()
  take_lock 120
  # Kill every lab process at once (all nodes, whatever count was ever
  # configured). A lab is disposable, and `up` must recover from exactly
  # this anyway. SIGKILL also ends SIGSTOPped shims.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$( { node_pids "${ALL_NODES[@]}"; registry_pids; auth_registry_pids; } | sort -un)
    [[ -n "$pids" ]] || break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  [[ -z "$pids" ]] || log "warning: processes survived SIGKILL: ${pids//$'\n'/ }"
  # Overlay rootfs, shm and netns bind mounts of all nodes, debootstrap's
  # /proc if it was interrupted...
  umount_under "$LAB_ROOT"
  for node in "${ALL_NODES[@]}"; do
    node_rm_cgroups "$node"
    net_node_down "$node"
    node_rm_shim_sockets "$node"
    paths+=("$(node_dir "$node")/exec" "$(node_pidfile "$node")" "$(node_sock "$node")")
  done
  rm -rf "${paths[@]}" "$REG_PIDFILE" "$AUTH_PIDFILE"
  net_bridge_down
  log "lab down"
}

cmd_purge() {
  local node
  cmd_down
  for node in "${ALL_NODES[@]}"; do rm -rf "$(node_dir "$node")"; done
  rm -rf "$REG_DIR"
  log "node data deleted (image cache kept in $LAB_CACHE)"
}

cmd_status() {
  local node pid alive answers state listing line host st av mgr role extra
  listing=$(NDOCKER_TIMEOUT=10 ndocker m1 node ls \
    --format '{{.ID}}|{{.Hostname}}|{{.Status}}|{{.ManagerStatus}}|{{.Availability}}' 2>/dev/null || true)
  extra=" $(unconfigured_nodes_with_state | tr '\n' ' ') "
  printf '%-4s %-8s %-6s %-7s %-9s %-8s %-7s %-7s %s\n' \
    NODE PID ALIVE ENGINE SWARM ROLE STATUS AVAIL MANAGER
  for node in "${ALL_NODES[@]}"; do
    is_configured "$node" || [[ "$extra" == *" $node "* ]] || continue
    pid=$(cat "$(node_pidfile "$node")" 2>/dev/null || echo -)
    if node_dockerd_pid "$node" >/dev/null; then alive=yes; else alive=no; fi
    state=$(swarm_state "$node")
    if [[ "$state" == down ]]; then answers=no; state=-; else answers=yes; fi
    # Prefer the node's live entry over Down leftovers with the same hostname.
    host=$(node_hostname "$node")
    line=$( { grep -F "|$host|" <<<"$listing" | grep -v '|Down|'; grep -F "|$host|" <<<"$listing"; } | head -n1 || true)
    st=-; av=-; mgr=""; role=-
    if [[ -n "$line" ]]; then
      IFS='|' read -r _ host st mgr av <<<"$line"
      if [[ -n "$mgr" ]]; then role=manager; else role=worker; fi
    fi
    is_configured "$node" || node="$node*"
    printf '%-4s %-8s %-6s %-7s %-9s %-8s %-7s %-7s %s\n' \
      "$node" "$pid" "$alive" "$answers" "$state" "$role" "$st" "$av" "${mgr:--}"
  done
  if registry_pid >/dev/null && registry_answers; then
    echo "registry: up at $LAB_REGISTRY"
  else
    echo "registry: down ($LAB_REGISTRY)"
  fi
  if auth_registry_pid >/dev/null && auth_registry_answers; then
    echo "registry with auth: up at $LAB_AUTH_REGISTRY"
  fi
  [[ "$extra" == "  " ]] || echo "(* = not configured; 'lab.sh up' tears it down)"
}

cmd_env() {
  echo "DOCKER_HOST=unix://$(node_sock m1)"
  echo "LAB_REGISTRY=$LAB_REGISTRY"
}

main() {
  local cmd=${1:-help}
  shift || true
  case "$cmd" in
    help|-h|--help) init_config; usage; return 0 ;;
  esac
  init_config
  case "$cmd" in
    up) cmd_up ;;
    down) cmd_down ;;
    purge) cmd_purge ;;
    status) cmd_status ;;
    env) cmd_env ;;
    auth-registry)
      ensure_packages apache2-utils
      take_lock
      net_bridge_up
      auth_registry_start ;;
    browser) ensure_packages chromium chromium-driver ;;
    jre-image)
      ensure_packages
      take_lock
      registry_answers || die "the lab registry does not answer: run 'lab.sh up' first"
      engine_answers m1 || die "m1 does not answer: run 'lab.sh up' first"
      jre_image
      echo "${LAB_IMAGE_PREFIX}/jre:17" ;;
    stackwarden-image)
      ensure_packages
      take_lock
      registry_answers || die "the lab registry does not answer: run 'lab.sh up' first"
      engine_answers m1 || die "m1 does not answer: run 'lab.sh up' first"
      stackwarden_image ;;
    docker)
      (($# >= 1)) || die "usage: lab.sh docker NODE ARGS..."
      check_node_name "$1"
      local node=$1; shift
      exec docker -H "unix://$(node_sock "$node")" "$@" ;;
    node-stop|node-start|net-cut|net-restore)
      (($# == 1)) || die "usage: lab.sh $cmd NODE"
      check_node_name "$1"
      case "$cmd" in
        node-stop) take_lock; node_stop "$1" ;;
        node-start) take_lock; node_start "$1" ;;
        net-cut) net_cut "$1" ;;
        net-restore) net_restore "$1" ;;
      esac ;;
    shim-stop|shim-cont|shim-kill)
      (($# == 1)) || die "usage: lab.sh $cmd CONTAINER_ID"
      case "$cmd" in
        shim-stop) shim_signal STOP "$1" ;;
        shim-cont) shim_signal CONT "$1" ;;
        shim-kill) shim_signal KILL "$1" ;;
      esac ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
