# shellcheck shell=bash
# Swarm formation: m1 inits (or keeps) the cluster, the other nodes join
# unless they already belong to it; stale entries from earlier labs go.

# "<LocalNodeState> <NodeID|-> <ControlAvailable>" of a node, e.g.
# "active abc123 true"; "down - false" when its engine does not answer.
swarm_info() {
  local out
  # On a dead engine the CLI still prints the template (empty fields) and
  # exits 1: only trust the output when it succeeded.
  if out=$(NDOCKER_TIMEOUT=10 ndocker "$1" info --format \
      '{{.Swarm.LocalNodeState}} {{if .Swarm.NodeID}}{{.Swarm.NodeID}}{{else}}-{{end}} {{.Swarm.ControlAvailable}}' \
      2>/dev/null) && [[ -n "${out%% *}" ]]; then
    echo "$out"
  else
    echo "down - false"
  fi
}

swarm_state() { local s; s=$(swarm_info "$1"); echo "${s%% *}"; }

# True once NODE's state is no longer "pending" (a restarted node reconnecting).
swarm_settled() { [[ "$(swarm_state "$1")" != pending ]]; }

# m1's view of the cluster: lines "ID|Hostname|Status|ManagerStatus|Self".
m1_node_list() {
  NDOCKER_TIMEOUT=10 ndocker m1 node ls \
    --format '{{.ID}}|{{.Hostname}}|{{.Status}}|{{.ManagerStatus}}|{{.Self}}' 2>/dev/null
}

m1_lists_nodes() { m1_node_list >/dev/null; }

# Fast path for an already healthy lab, from m1's node list alone (one call;
# `docker info` is slow on a loaded machine): every configured node appears
# exactly once, Ready, managers as Leader/Reachable and workers without
# manager status, and nothing else is listed. The caller has checked that
# each node's dockerd is alive; Ready means its agent heartbeats to m1.
swarm_healthy() {
  local listing node host status mgr hosts=" " want=" "
  listing=$(m1_node_list) || return 1
  for node in "${LAB_NODES[@]}"; do want+="${LAB_NAME}-$node "; done
  while IFS='|' read -r _ host status mgr _; do
    [[ "$want" == *" $host "* && "$hosts" != *" $host "* && "$status" == Ready ]] || return 1
    if [[ "$host" == "${LAB_NAME}-m"* ]]; then
      [[ "$mgr" == Leader || "$mgr" == Reachable ]] || return 1
    else
      [[ -z "$mgr" ]] || return 1
    fi
    hosts+="$host "
  done <<<"$listing"
  [[ ${#hosts} -eq ${#want} ]]
}

swarm_init_m1() {
  local ip state id ctl
  ip=$(node_ip m1)
  swarm_settled m1 || { log "waiting for m1 to settle its swarm state"; wait_for 20 swarm_settled m1 || true; }
  read -r state id ctl <<<"$(swarm_info m1)"
  if [[ "$state" == active && "$ctl" == true ]]; then
    # A manager that cannot list nodes has lost its raft quorum (the other
    # managers' data was reset, or they are no longer configured). Allow an
    # election, then rebuild the cluster around m1: services, networks,
    # configs and secrets are kept.
    if ! m1_lists_nodes && { log "waiting for m1 to reach raft quorum"; ! wait_for 30 m1_lists_nodes; }; then
      log "m1 has no quorum: re-forming the swarm around m1 (--force-new-cluster)"
      ndocker m1 swarm init --force-new-cluster --advertise-addr "$ip" --listen-addr "$ip:2377" >/dev/null
      wait_for 30 m1_lists_nodes || die "m1 still cannot list swarm nodes"
    fi
    return 0
  fi
  if [[ "$state" != inactive ]]; then
    log "m1 is in swarm state '$state' (manager: $ctl): leaving"
    ndocker m1 swarm leave --force >/dev/null 2>&1 || true
  fi
  log "initialising the swarm on m1 ($ip)"
  ndocker m1 swarm init --advertise-addr "$ip" --listen-addr "$ip:2377" >/dev/null
  wait_for 30 m1_lists_nodes || die "m1 cannot list swarm nodes after init"
}

# Join NODE unless it already is a member of m1's swarm (LISTING: m1_node_list).
swarm_join_node() {
  local node=$1 listing=$2 ip role state id ctl want_ctl token
  ip=$(node_ip "$node")
  if [[ "$node" == m* ]]; then role=manager; want_ctl=true; else role=worker; want_ctl=false; fi
  read -r state id ctl <<<"$(swarm_info "$node")"
  if [[ "$state" == pending ]] && grep -q "^$id|" <<<"$listing"; then
    # A member of this swarm reconnecting after a restart: give it time.
    log "waiting for $node to reconnect to the swarm"
    wait_for 20 swarm_settled "$node" || true
    read -r state id ctl <<<"$(swarm_info "$node")"
  fi
  if [[ "$state" == active ]] && grep -q "^$id|" <<<"$listing"; then
    if [[ "$ctl" != "$want_ctl" ]]; then
      log "making $node a $role"
      if [[ $role == manager ]]; then ndocker m1 node promote "$id" >/dev/null; else ndocker m1 node demote "$id" >/dev/null; fi
    fi
    return 0
  fi
  if [[ "$state" != inactive ]]; then
    # Member of another (older) cluster, or stuck: start over.
    log "$node has stale swarm state '$state': leaving"
    ndocker "$node" swarm leave --force >/dev/null 2>&1 || true
  fi
  token=$(ndocker m1 swarm join-token -q "$role")
  log "joining $node as $role"
  # The engine gives up waiting after 20s but keeps trying in the background
  # ("Timeout was reached before node joined"); the Ready wait below decides.
  NDOCKER_TIMEOUT=90 ndocker "$node" swarm join --token "$token" \
    --advertise-addr "$ip" --listen-addr "$ip:2377" "$(node_ip m1):2377" >/dev/null ||
    log "warning: joining $node did not complete yet"
}

# Remove leftover entries: any whose hostname is no longer configured (it may
# still show Ready for a few seconds after leaving), and Down entries of a
# configured hostname that also has a Ready entry (it re-joined with fresh data).
swarm_remove_stale() {
  local listing id host status mgr self wanted
  listing=$(m1_node_list) || return 0
  wanted=" ${LAB_NODES[*]/#/${LAB_NAME}-} "
  while IFS='|' read -r id host status mgr self; do
    [[ -n "$id" && "$self" != true ]] || continue
    if [[ "$wanted" == *" $host "* ]]; then
      # A configured node: only a Down duplicate of a Ready entry is stale.
      if [[ "$status" != Down ]] || ! grep -q "|$host|Ready|" <<<"$listing"; then continue; fi
    fi
    log "removing stale swarm node $id ($host, $status)"
    if [[ -n "$mgr" ]]; then ndocker m1 node demote "$id" >/dev/null 2>&1 || true; fi
    ndocker m1 node rm --force "$id" >/dev/null 2>&1 || true
  done <<<"$listing"
}

# True when every configured node has a Ready entry on m1.
swarm_all_ready() {
  local listing node
  listing=$(m1_node_list) || return 1
  for node in "${LAB_NODES[@]}"; do
    grep -qF "|$(node_hostname "$node")|Ready|" <<<"$listing" || return 1
  done
}

swarm_up() {
  local node listing
  swarm_healthy && return 0
  swarm_init_m1
  listing=$(m1_node_list)
  for node in "${LAB_NODES[@]}"; do
    [[ "$node" == m1 ]] || swarm_join_node "$node" "$listing"
  done
  swarm_all_ready || log "waiting for all nodes to be Ready"
  if ! wait_for "$LAB_TIMEOUT" swarm_all_ready; then
    ndocker m1 node ls >&2 || true
    die "not all nodes are Ready after ${LAB_TIMEOUT}s"
  fi
  swarm_remove_stale
  log "swarm ready"
}

# Take an unconfigured node out of the swarm before it is torn down.
swarm_leave_node() {
  local node=$1 state id ctl
  read -r state id ctl <<<"$(swarm_info "$node")"
  [[ "$state" == active ]] || return 0
  if [[ "$ctl" == true ]] && engine_answers m1; then
    ndocker m1 node demote "$id" >/dev/null 2>&1 || true
  fi
  ndocker "$node" swarm leave --force >/dev/null 2>&1 || true
}
