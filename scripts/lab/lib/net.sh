# shellcheck shell=bash
# The lab network: one bridge in the root namespace (host address .1, where
# the registry listens) and one network namespace per node, wired to the
# bridge by a veth pair. Every function here is idempotent.

# Fixed MAC addresses derived from the IP (locally administered, 02:5e:...):
# a node whose namespace is recreated keeps its MAC, so the other nodes' ARP
# caches stay right. With random MACs a recreated manager is unreachable
# (stale neighbour entries) until those entries expire, and joins time out.
mac_for_ip() {
  local a b c d
  IFS=. read -r a b c d <<<"$1"
  printf '02:5e:%02x:%02x:%02x:%02x\n' "$a" "$b" "$c" "$d"
}

net_bridge_up() {
  if [[ ! -d "/sys/class/net/$LAB_BRIDGE" ]]; then
    log "creating bridge $LAB_BRIDGE (${LAB_HOST_IP}/24)"
    # STP off and no forward delay: ports forward as soon as they come up,
    # which keeps net-restore immediate. An explicit MAC keeps the bridge from
    # taking the lowest MAC of its ports (it would change as nodes come and go).
    ip link add "$LAB_BRIDGE" address "$(mac_for_ip "$LAB_HOST_IP")" type bridge stp_state 0 forward_delay 0
  fi
  if ! ip -4 -o addr show dev "$LAB_BRIDGE" | grep -qF " ${LAB_HOST_IP}/24 "; then
    ip addr add "${LAB_HOST_IP}/24" dev "$LAB_BRIDGE"
  fi
  link_is_up "$LAB_BRIDGE" || ip link set "$LAB_BRIDGE" up
}

# Cheap check (no process started) that a running node is still wired: its
# namespace exists and its veth is up and on the bridge. Not cut, in short.
net_node_ok() {
  local veth="${LAB_NAME}v-$1"    # = node_veth, without a subshell
  [[ -e "/var/run/netns/${LAB_NAME}-$1" ]] && link_is_up "$veth" &&
    [[ "/sys/class/net/$veth/master" -ef "/sys/class/net/$LAB_BRIDGE" ]]
}

# Inside the node's namespace the interface is called eth0.
net_node_up() {
  local node=$1 ns veth ip
  ns=$(node_netns "$node"); veth=$(node_veth "$node"); ip=$(node_ip "$node")
  if [[ ! -e "/var/run/netns/$ns" ]]; then
    ip netns add "$ns"
  fi
  ip -n "$ns" link set lo up
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    # A host-side veth without its peer in the namespace is a leftover: replace it.
    ip link del "$veth" >/dev/null 2>&1 || true
    ip link add "$veth" type veth peer name "${LAB_NAME}p-$node" address "$(mac_for_ip "$ip")"
    ip link set "${LAB_NAME}p-$node" netns "$ns"
    ip -n "$ns" link set "${LAB_NAME}p-$node" name eth0
  fi
  ip link set "$veth" master "$LAB_BRIDGE"
  ip link set "$veth" up
  if ! ip -n "$ns" -4 -o addr show dev eth0 | grep -qF " ${ip}/24 "; then
    ip -n "$ns" addr add "${ip}/24" dev eth0
  fi
  ip -n "$ns" link set eth0 up
  # Deliberately no default route: a node (and its containers) can reach the
  # lab subnet only, never an address outside this machine.
}

# Wire a node from scratch (no namespace, no veth yet): three processes in
# all, which matters when several nodes are reset at once on a loaded machine.
net_node_create() {
  local node=$1 ns veth peer ip
  ns=$(node_netns "$node"); veth=$(node_veth "$node"); peer="${LAB_NAME}p-$node"; ip=$(node_ip "$node")
  ip netns add "$ns"
  printf '%s\n' \
    "link add $veth type veth peer name $peer address $(mac_for_ip "$ip")" \
    "link set $peer netns $ns" \
    "link set $veth master $LAB_BRIDGE" \
    "link set $veth up" | ip -b -
  printf '%s\n' \
    "link set lo up" \
    "link set $peer name eth0" \
    "addr add $ip/24 dev eth0" \
    "link set eth0 up" | ip -n "$ns" -b -
}

# Remove a node's namespace and veth (the peer dies with the namespace).
net_node_down() {
  local node=$1 ns
  ns=$(node_netns "$node")
  if [[ -d "/sys/class/net/$(node_veth "$node")" ]]; then
    ip link del "$(node_veth "$node")" >/dev/null 2>&1 || true
  fi
  if [[ -e "/var/run/netns/$ns" ]]; then
    ip netns del "$ns" 2>/dev/null || { umount -l "/var/run/netns/$ns" 2>/dev/null || true; rm -f "/var/run/netns/$ns"; }
  fi
}

net_bridge_down() {
  [[ ! -d "/sys/class/net/$LAB_BRIDGE" ]] || ip link del "$LAB_BRIDGE" >/dev/null 2>&1 || true
}

# Fault helpers: take a node off the lab network and back (link of its host-side veth).
net_cut() {
  local node=$1
  [[ -d "/sys/class/net/$(node_veth "$node")" ]] || die "node $node has no veth (is the lab up?)"
  ip link set "$(node_veth "$node")" down
  log "$node cut off the lab network"
}

net_restore() {
  local node=$1
  [[ -d "/sys/class/net/$(node_veth "$node")" ]] || die "node $node has no veth (is the lab up?)"
  ip link set "$(node_veth "$node")" up
  log "$node back on the lab network"
}
