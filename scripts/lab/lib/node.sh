# shellcheck shell=bash
# One dockerd per node: own netns, own UTS namespace (hostname swl-<node>),
# own mount namespace with a private /run (so the node's engine also answers
# at /var/run/docker.sock, seen only by that node: a service that bind-mounts
# the socket gets its own node's engine, as in production), own data-root,
# exec-root, socket, pidfile, cgroup parent and config file.

node_dockerd_pid() {
  live_pid_from_file "${LAB_ROOT}/$1/dockerd.pid" "${LAB_ROOT}/$1/docker.sock"
}

node_write_config() {
  local node=$1 dir
  dir=$(node_dir "$node")
  mkdir -p "$dir/data" "$dir/exec"
  # Our own daemon.json so /etc/docker/daemon.json is never read. Options that
  # are given as flags below must not be repeated here (dockerd refuses both).
  # deprecated-key-path: without it every node shares /etc/docker/key.json and
  # so the same engine ID (`docker info` .ID).
  cat >"$dir/daemon.json.new" <<EOF
{
  "deprecated-key-path": "$dir/key.json",
  "storage-driver": "overlay2",
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "log-driver": "json-file",
  "log-opts": { "max-size": "10m", "max-file": "2" },
  "ip-masq": false,
  "max-concurrent-uploads": 2
}
EOF
  mv -f "$dir/daemon.json.new" "$dir/daemon.json"
}

# The complete dockerd command line of a node (node-start reuses it verbatim).
node_dockerd_args() {
  local node=$1 dir
  dir=$(node_dir "$node")
  printf '%s\n' dockerd \
    --config-file "$dir/daemon.json" \
    --data-root "$dir/data" \
    --exec-root "$dir/exec" \
    -H "unix://$dir/docker.sock" \
    -H unix:///var/run/docker.sock \
    --pidfile "$dir/dockerd.pid" \
    --cgroup-parent "/$(node_cgroup "$node")" \
    --bridge none \
    --iptables=false \
    --insecure-registry "${LAB_HOST_IP}/32"
}

# True when the node's running dockerd has exactly the arguments above. A lab
# started by an older recipe (another flag) is restarted by `up`.
node_args_current() {
  local node=$1 pid=$2 have want
  have=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  want=$(node_dockerd_args "$node")
  [[ "$have" == "$want" ]]
}

# Spawn the node's dockerd, fully detached, and return at once.
node_launch() {
  local node=$1 dir ns logf args=()
  dir=$(node_dir "$node"); ns=$(node_netns "$node"); logf=$(node_log "$node")
  [[ -e "/var/run/netns/$ns" ]] || die "netns $ns missing: run 'lab.sh up'"
  node_write_config "$node"
  # A pidfile naming a live process makes dockerd refuse to start; ours is
  # stale at this point (node_dockerd_pid failed), so drop it.
  rm -f "$dir/dockerd.pid"
  if [[ -f "$logf" ]] && (( $(stat -c %s "$logf") > 20000000 )); then mv -f "$logf" "$logf.1"; fi
  mapfile -t args < <(node_dockerd_args "$node")
  printf '\n==== %s starting: %s\n' "$(date -Is)" "${args[*]}" >>"$logf"
  # nsenter joins only the network namespace (ip netns exec would remount
  # /sys and dockerd then finds no devices cgroup); unshare --uts gives the
  # node its own hostname, --mount (private propagation) a /run of its own:
  # a tmpfs there holds the node's /var/run/docker.sock and containerd's shim
  # sockets, and vanishes with the node's last process. setsid + /dev/null stdin + log file detach it from
  # our shell; fd 9 (the lab lock) is closed so the daemon doesn't inherit it.
  # A clean environment: a caller's HTTP(S)_PROXY would send the nodes' pulls
  # from the lab registry to a proxy.
  (
    cd /
    exec 9>&-
    # shellcheck disable=SC2016  # $0/$@ belong to the inner sh
    exec setsid nsenter --net="/var/run/netns/$ns" unshare --uts --mount --propagation private -- \
      /bin/sh -c 'echo "$0" >/proc/sys/kernel/hostname && mount -t tmpfs -o mode=755 lab-run /run && exec "$@"' \
      "$(node_hostname "$node")" \
      env -i PATH="$LAB_DAEMON_PATH" "${args[@]}"
  ) </dev/null >>"$logf" 2>&1 &
  disown 2>/dev/null || true
  # dockerd writes its own pidfile (--pidfile); $! may be a parent that exits.
  log "starting dockerd for $node"
}

# Wait until the node's engine answers; on timeout show why.
node_wait() {
  local node=$1
  if ! wait_for "$LAB_TIMEOUT" engine_answers "$node"; then
    log "dockerd of $node did not answer on $(node_sock "$node") within ${LAB_TIMEOUT}s; log tail:"
    tail -n 25 "$(node_log "$node")" >&2 || true
    die "node $node failed to start"
  fi
}

# Every process that belongs to the given nodes: their container processes
# (found via the nodes' cgroups), their engine processes (below) and anything
# in their network namespaces (docker-proxy, host-network containers).
# Nothing else is ever matched. One scan of each kind for all the nodes.
node_pids() {
  local node f cg dirs=() names=() paths=()
  for node in "$@"; do
    cg=$(node_cgroup "$node")
    # Docker (cgroupfs driver) puts each container in every hierarchy under
    # /<cgroup parent>; one hierarchy is enough to find all their processes.
    for f in /sys/fs/cgroup/pids /sys/fs/cgroup/freezer /sys/fs/cgroup; do
      if [[ -d "$f/$cg" ]]; then dirs+=("$f/$cg"); break; fi
    done
    names+=("$(node_netns "$node")")
    paths+=("$(node_dir "$node")/exec")
  done
  if ((${#dirs[@]})); then
    find "${dirs[@]}" -name cgroup.procs -exec cat {} + 2>/dev/null || true
  fi
  # "<node>/exec" is in the command line of dockerd (--exec-root), containerd
  # (--config) and every shim (-address); a docker CLI using the node's socket
  # is not matched.
  pids_matching "$(printf '%s\n' "${paths[@]}")" '^(dockerd|containerd|containerd-shim.*|runc.*)$'
  pids_in_netns "${names[@]}"
}

# Kill everything of the given nodes with SIGKILL (works on SIGSTOPped shims too).
node_kill_all() {
  local pids
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(node_pids "$@" | sort -un)
    [[ -n "$pids" ]] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  log "warning: some processes of $* survived SIGKILL: ${pids//$'\n'/ }"
}

# Unmount everything under DIR, deepest first (overlay rootfs, netns bind
# mounts, shm...). Lazy, so a busy mount cannot block us.
umount_under() {
  local dir=$1 mp
  [[ -n "$dir" && "$dir" == /* ]] || return 0
  # Field 5 of mountinfo is the mount point (spaces escaped as \040);
  # prefix each with its depth, deepest first.
  awk -v d="$dir" '{ mp = $5; gsub(/\\040/, " ", mp)
      if (mp == d || index(mp, d "/") == 1) { n = gsub("/", "/", mp); print n "\t" mp } }' \
    /proc/self/mountinfo | sort -rn | cut -f2- | while IFS= read -r mp; do
    umount -l "$mp" 2>/dev/null || true
  done
}

# Remove the node's (now empty) cgroups.
node_rm_cgroups() {
  local node=$1 f cg dirs=()
  cg=$(node_cgroup "$node")
  for f in /sys/fs/cgroup/*/"$cg" "/sys/fs/cgroup/$cg"; do
    [[ -d "$f" ]] && dirs+=("$f")
  done
  ((${#dirs[@]} == 0)) || find "${dirs[@]}" -depth -type d -exec rmdir {} + 2>/dev/null || true
}

# A killed shim leaves its socket in /run/containerd/s (a path containerd 1.6
# fixes, shared with any other containerd on the machine). Remove exactly
# ours: the name is sha256("<containerd socket>/<namespace>/<container id>").
node_rm_shim_sockets() {
  local exec_root task tmp i=0 hash
  exec_root="$(node_dir "$1")/exec"
  for task in "$exec_root"/containerd/daemon/io.containerd.runtime.v2.task/*/*; do
    [[ -d "$task" ]] || continue
    # One file per socket path, hashed by a single sha256sum below.
    [[ -n "${tmp:-}" ]] || tmp=$(mktemp -d)
    i=$((i + 1))
    printf '%s' "$exec_root/containerd/containerd.sock/${task#*/io.containerd.runtime.v2.task/}" >"$tmp/$i"
  done
  [[ -n "${tmp:-}" ]] || return 0
  sha256sum "$tmp"/* | while read -r hash _; do rm -f "/run/containerd/s/$hash"; done
  rm -rf "$tmp"
}

# Bring a node to "nothing runs, nothing mounted", keeping its data-root.
node_cleanup() {
  node_kill_all "$1"
  node_clear_state "$1"
}

# After its processes are gone: unmount, drop cgroups, shim sockets, the
# exec-root (runtime state, like /run/docker after a reboot), pid file, socket.
node_clear_state() {
  local node=$1 dir
  dir=$(node_dir "$node")
  umount_under "$dir"
  node_rm_cgroups "$node"
  node_rm_shim_sockets "$node"
  node_rm_vxlans "$node"
  rm -rf "$dir/exec"
  rm -f "$dir/dockerd.pid" "$dir/docker.sock"
}

# Fault helper: graceful stop (SIGTERM, dockerd stops its containers and
# containerd), netns left in place.
node_stop() {
  local node=$1 pid
  pid=$(node_dockerd_pid "$node") || { log "$node: dockerd is not running"; return 0; }
  log "stopping dockerd of $node (pid $pid)"
  kill -TERM "$pid"
  if ! wait_for "${LAB_STOP_TIMEOUT:-90}" pid_gone "$pid"; then
    log "warning: dockerd of $node ignored SIGTERM for ${LAB_STOP_TIMEOUT:-90}s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "$node stopped"
}

# The vxlan interfaces of a node whose engine is gone. They are kernel state that outlives dockerd in the node's
# kept namespace (a real node loses them when it reboots); left there, the next engine's overlay networks with
# the same VNI fail on that node with "error creating vxlan interface: file exists".
node_rm_vxlans() {
  local ns link
  ns="/var/run/netns/$(node_netns "$1")"
  [[ -e "$ns" ]] || return 0
  for link in $(nsenter --net="$ns" ip -o link show type vxlan 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
    nsenter --net="$ns" ip link del "$link" 2>/dev/null || true
  done
}

# Fault helper: start a stopped node with its usual arguments, as after a reboot.
node_start() {
  local node=$1
  if node_dockerd_pid "$node" >/dev/null; then
    node_wait "$node"
    log "$node already running"
    return 0
  fi
  [[ -e "/var/run/netns/$(node_netns "$node")" ]] || net_node_up "$node"
  node_rm_vxlans "$node"
  node_launch "$node"
  node_wait "$node"
  log "$node answers on $(node_sock "$node") (dockerd pid $(node_dockerd_pid "$node" || echo '?'))"
}
