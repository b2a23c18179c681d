# shellcheck shell=bash
# shellcheck disable=SC2034  # variables used by the other lib files
# Configuration, paths and small helpers shared by all lab commands.
# Everything derives from a few environment variables, so every command (and
# `env` while the lab is down) computes the same values.
# Process start-up is slow on a loaded 2-core machine (tens of ms each), so
# hot paths read /proc and /sys with shell builtins instead of forking.

: "${LAB_MANAGERS:=1}"
: "${LAB_WORKERS:=2}"
# Prefix of the names the lab creates outside LAB_ROOT (namespaces, links,
# cgroups, hostnames): a second lab with its own LAB_NAME, LAB_ROOT and
# LAB_NET can run beside the first one.
: "${LAB_NAME:=swl}"
: "${LAB_ROOT:=/var/tmp/stackwarden-lab}"
# Built images and the registry's storage; survives down and purge, and may
# be shared by several labs.
: "${LAB_CACHE:=${LAB_ROOT}/cache}"
# First three octets of the lab /24. 172.31.254.0/24 is at the far end of
# Docker's local default pools, taken in order from 172.17.0.0/16 (a node has
# only docker_gwbridge: --bridge none), and outside the 10.0.0.0/8 pool swarm
# uses for overlays, so no --default-addr-pool is needed.
: "${LAB_NET:=172.31.254}"
: "${LAB_REGISTRY_PORT:=5000}"
# The registry with htpasswd authentication (lab.sh auth-registry).
: "${LAB_AUTH_REGISTRY_PORT:=5001}"
if [[ -z "${LAB_BRIDGE:-}" ]]; then
  if [[ "$LAB_NAME" == swl ]]; then LAB_BRIDGE=swlab0; else LAB_BRIDGE="${LAB_NAME}-br0"; fi
fi
# Seconds to wait for an engine socket / for swarm convergence.
: "${LAB_TIMEOUT:=90}"

LAB_HOST_IP="${LAB_NET}.1"
LAB_REGISTRY="${LAB_HOST_IP}:${LAB_REGISTRY_PORT}"
LAB_IMAGE_PREFIX="${LAB_REGISTRY}/stackwarden-lab"
LAB_AUTH_REGISTRY="${LAB_HOST_IP}:${LAB_AUTH_REGISTRY_PORT}"
ALL_NODES=(m1 m2 m3 w1 w2 w3)
# The whole environment of the daemons we start (see node_launch).
LAB_DAEMON_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LAB_NODES=()   # the configured nodes, managers first; set by init_config

# Messages carry the seconds elapsed since the command started.
log() { printf '[lab +%ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

init_config() {
  local i
  [[ "$LAB_MANAGERS" =~ ^[1-3]$ ]] || die "LAB_MANAGERS must be 1, 2 or 3 (got '$LAB_MANAGERS')"
  [[ "$LAB_WORKERS" =~ ^[0-3]$ ]] || die "LAB_WORKERS must be 0..3 (got '$LAB_WORKERS')"
  [[ "$LAB_NAME" =~ ^[a-z][a-z0-9]{0,5}$ ]] || die "LAB_NAME must be 1-6 lowercase letters or digits (got '$LAB_NAME')"
  [[ "$LAB_ROOT" == /?* && "$LAB_ROOT" != *[[:space:]]* ]] || die "LAB_ROOT must be an absolute path without spaces (got '$LAB_ROOT')"
  # containerd's sockets live at <LAB_ROOT>/<node>/exec/containerd/containerd-debug.sock:
  # unix socket paths are limited to 107 bytes.
  ((${#LAB_ROOT} <= 60)) || die "LAB_ROOT is too long for unix socket paths (at most 60 characters)"
  [[ "$LAB_NET" =~ ^(10|172|192)\.[0-9]{1,3}\.[0-9]{1,3}$ ]] || die "LAB_NET must be three octets of a private /24, like 172.31.254"
  [[ "$LAB_REGISTRY_PORT" =~ ^[0-9]+$ ]] || die "LAB_REGISTRY_PORT must be a number"
  [[ "$LAB_AUTH_REGISTRY_PORT" =~ ^[0-9]+$ && "$LAB_AUTH_REGISTRY_PORT" != "$LAB_REGISTRY_PORT" ]] ||
    die "LAB_AUTH_REGISTRY_PORT must be a number other than LAB_REGISTRY_PORT"
  [[ "$LAB_CACHE" == /?* && "$LAB_CACHE" != *[[:space:]]* ]] || die "LAB_CACHE must be an absolute path without spaces"
  [[ "$LAB_BRIDGE" =~ ^[A-Za-z0-9_-]{1,15}$ ]] || die "LAB_BRIDGE must be a valid interface name"
  LAB_NODES=()
  for ((i = 1; i <= LAB_MANAGERS; i++)); do LAB_NODES+=("m$i"); done
  for ((i = 1; i <= LAB_WORKERS; i++)); do LAB_NODES+=("w$i"); done
}

is_configured() {
  local n
  for n in "${LAB_NODES[@]}"; do [[ "$n" == "$1" ]] && return 0; done
  return 1
}

check_node_name() {
  [[ "$1" =~ ^[mw][1-3]$ ]] || die "unknown node '$1' (expected m1..m3 or w1..w3)"
}

# Per-node names and paths.
node_dir()      { echo "${LAB_ROOT}/$1"; }
node_sock()     { echo "${LAB_ROOT}/$1/docker.sock"; }
node_pidfile()  { echo "${LAB_ROOT}/$1/dockerd.pid"; }
node_log()      { echo "${LAB_ROOT}/$1/dockerd.log"; }
node_netns()    { echo "${LAB_NAME}-$1"; }
node_hostname() { echo "${LAB_NAME}-$1"; }  # also the swarm node's hostname
node_cgroup()   { echo "${LAB_NAME}-$1"; }  # --cgroup-parent, under each hierarchy's root
node_veth()     { echo "${LAB_NAME}v-$1"; } # host side, enslaved to the bridge
node_ip() {
  case "$1" in
    m1) echo "${LAB_NET}.11" ;; m2) echo "${LAB_NET}.12" ;; m3) echo "${LAB_NET}.13" ;;
    w1) echo "${LAB_NET}.21" ;; w2) echo "${LAB_NET}.22" ;; w3) echo "${LAB_NET}.23" ;;
    *) die "unknown node '$1'" ;;
  esac
}

# docker CLI against one node; a timeout keeps a wedged engine from hanging us.
ndocker() {
  local node=$1; shift
  timeout "${NDOCKER_TIMEOUT:-30}" docker -H "unix://${LAB_ROOT}/${node}/docker.sock" "$@"
}

# True when the engine of NODE answers on its socket.
engine_answers() {
  [[ -S "${LAB_ROOT}/$1/docker.sock" ]] || return 1
  NDOCKER_TIMEOUT=5 ndocker "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# True when process PID is alive and its command line contains NEEDLE.
pid_has_arg() {
  local pid=$1 needle=$2 args=()
  { mapfile -d '' -t args <"/proc/$pid/cmdline"; } 2>/dev/null || return 1
  [[ " ${args[*]} " == *"$needle"* ]]
}

# Print the pid from PIDFILE if that process is alive and its command line
# contains NEEDLE (guards against a pid reused by an unrelated process).
live_pid_from_file() {
  local pidfile=$1 needle=$2 pid=""
  # dockerd writes its pidfile without a trailing newline: read then fails
  # at end of file although it did read the pid.
  { read -r pid <"$pidfile"; } 2>/dev/null || [[ -n "$pid" ]] || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && pid_has_arg "$pid" "$needle" || return 1
  echo "$pid"
}

# A process is gone when it no longer exists or is a zombie.
pid_gone() {
  local stat=""
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 0
  stat=${stat##*) }                  # the state letter follows "(comm) "
  [[ "${stat:0:1}" == Z ]]
}

all_gone() {
  local p
  for p in "$@"; do pid_gone "$p" || return 1; done
}

# Pids of processes whose command line contains NEEDLE (several needles: one
# per line) and whose name
# (/proc/PID/comm) matches the regex COMM_RE: only our daemons ever match, not
# a shell or an editor that mentions a lab path. One grep over all
# /proc/*/cmdline keeps this fast; the pattern comes through a file so that
# grep does not match itself.
pids_matching() {
  local needle=$1 comm_re=$2 p comm
  # shellcheck disable=SC2013  # pids are single words
  for p in $(grep -laF -f <(printf '%s\n' "$needle") /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    [[ "$p" != "$$" ]] || continue
    { read -r comm <"/proc/$p/comm"; } 2>/dev/null || continue
    if [[ "$comm" =~ $comm_re ]]; then echo "$p"; fi
  done
}

# Pids whose network namespace is one of those bound at /var/run/netns/NAME...
pids_in_netns() {
  local name ns want=" " ino self
  self=$(readlink "/proc/$$/ns/net")
  for name in "$@"; do
    ns=/var/run/netns/$name
    [[ -e "$ns" ]] || continue
    ino=$(stat -L -c %i "$ns" 2>/dev/null) || continue
    # The root namespace would match everything: never go there.
    [[ "net:[$ino]" != "$self" ]] && want+="net:[$ino] "
  done
  [[ "$want" != " " ]] || return 0
  find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%h %l\n' 2>/dev/null |
    awk -v want="$want" 'index(want, " " $2 " ") { split($1, a, "/"); print a[3] }' || true
}

# True when network interface NAME exists and is administratively up.
link_is_up() {
  local flags=""
  { read -r flags <"/sys/class/net/$1/flags"; } 2>/dev/null || return 1
  (( flags & 1 ))
}

# Wait until CMD succeeds or SECS elapse.
wait_for() {
  local secs=$1; shift
  local deadline=$((SECONDS + secs))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.3
  done
}

# Serialise lab commands that change state (at most WAIT seconds of waiting
# for another one). The fd is closed for every long-lived child we start
# (dockerd, registry): a daemon that inherited it would hold the lock forever.
take_lock() {
  local wait=${1:-900}
  [[ -d "$LAB_ROOT" ]] || mkdir -p "$LAB_ROOT"
  exec 9>"$LAB_ROOT/.lock"
  if ! flock -n 9; then
    log "waiting for another lab command to finish (lock $LAB_ROOT/.lock)"
    flock -w "$wait" 9 || die "another lab command still holds $LAB_ROOT/.lock after ${wait}s"
  fi
}
