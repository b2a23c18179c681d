# shellcheck shell=bash
# The lab registry: Debian's docker-registry (distribution 2.8) in the root
# namespace on the bridge address. Its storage lives in the cache so images
# survive down/up.

REG_DIR="${LAB_ROOT}/registry"
REG_CONFIG="${REG_DIR}/config.yml"
REG_PIDFILE="${REG_DIR}/registry.pid"
REG_LOG="${REG_DIR}/registry.log"

registry_pid() { live_pid_from_file "$REG_PIDFILE" "$REG_CONFIG"; }

registry_answers() {
  curl -fs --noproxy '*' --max-time 2 -o /dev/null "http://${LAB_REGISTRY}/v2/"
}

# A registry's configuration on stdout: ROOTDIR ADDR [EXTRA top-level YAML, e.g. auth].
registry_config() {
  cat <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $1
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $2
${3:-}
YML
}

registry_start() {
  if registry_pid >/dev/null && registry_answers; then return 0; fi
  registry_stop
  mkdir -p "$REG_DIR" "$LAB_CACHE/registry"
  registry_config "$LAB_CACHE/registry" "$LAB_REGISTRY" >"$REG_CONFIG"
  registry_process_launch "$REG_CONFIG" "$REG_LOG" "$REG_PIDFILE" registry_answers "registry on ${LAB_REGISTRY}"
}

# Starts one registry detached (without the lab lock's descriptor) and waits until ANSWERS (a function)
# holds: CONFIG LOG PIDFILE ANSWERS WHAT.
registry_process_launch() {
  local config=$1 logfile=$2 pidfile=$3 answers=$4 what=$5
  log "starting $what"
  (
    cd /
    exec 9>&-
    exec setsid env -i PATH="$LAB_DAEMON_PATH" /usr/bin/docker-registry serve "$config"
  ) </dev/null >>"$logfile" 2>&1 &
  disown 2>/dev/null || true
  if ! wait_for 20 "$answers"; then
    tail -n 20 "$logfile" >&2 || true
    die "$what did not answer"
  fi
  # setsid forks when it happens to lead a process group, so $! is not
  # reliably the registry: record the process that runs our config.
  pids_matching "$config" '^docker-registry$' | head -n1 >"$pidfile"
}

# Every process of one registry (by its pidfile and by its config path): PIDFILE CONFIG.
registry_process_pids() {
  { live_pid_from_file "$1" "$2" || true; pids_matching "$2" '^docker-registry$'; } | sort -un
}

# Stops one registry: PIDFILE CONFIG.
registry_process_stop() {
  local pids
  pids=$(registry_process_pids "$1" "$2")
  if [[ -n "$pids" ]]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    wait_for 5 all_gone $pids || kill -KILL $pids 2>/dev/null || true
  fi
  rm -f "$1"
}

registry_pids() { registry_process_pids "$REG_PIDFILE" "$REG_CONFIG"; }

registry_stop() { registry_process_stop "$REG_PIDFILE" "$REG_CONFIG"; }

# True when the registry holds every REPO:TAG given (one curl for all).
registry_has() {
  local ref args=() codes
  for ref in "$@"; do
    args+=(-o /dev/null "http://${LAB_REGISTRY}/v2/${ref%:*}/manifests/${ref##*:}")
  done
  codes=$(curl -s --noproxy '*' --max-time 10 -I -w '%{http_code}\n' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "${args[@]}") || return 1
  ! grep -vqx 200 <<<"$codes"
}

# A second registry with htpasswd authentication, for the tests of registry
# credentials: same address, port LAB_AUTH_REGISTRY_PORT, its own storage. Not
# part of `up`; `lab.sh auth-registry` starts it when it is not answering.
# Nodes treat it as insecure through --insecure-registry <lab address>/32.
AUTH_DIR="${LAB_ROOT}/registry-auth"
AUTH_CONFIG="${AUTH_DIR}/config.yml"
AUTH_PIDFILE="${AUTH_DIR}/registry.pid"
AUTH_LOG="${AUTH_DIR}/registry.log"
AUTH_HTPASSWD="${AUTH_DIR}/htpasswd"
AUTH_PASSWORD_FILE="${AUTH_DIR}/password"
AUTH_USER=stackwarden-lab

auth_registry_pid() { live_pid_from_file "$AUTH_PIDFILE" "$AUTH_CONFIG"; }

# Answers 401 without credentials: up, and asking for them.
auth_registry_answers() {
  [[ "$(curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' "http://${LAB_AUTH_REGISTRY}/v2/")" == 401 ]]
}

auth_registry_pids() { registry_process_pids "$AUTH_PIDFILE" "$AUTH_CONFIG"; }

auth_registry_stop() { registry_process_stop "$AUTH_PIDFILE" "$AUTH_CONFIG"; }

auth_registry_start() {
  if ! { auth_registry_pid >/dev/null && auth_registry_answers; }; then
    auth_registry_stop
    mkdir -p "$AUTH_DIR" "$LAB_CACHE/registry-auth"
    chmod 700 "$AUTH_DIR"
    if [[ ! -s "$AUTH_PASSWORD_FILE" || ! -s "$AUTH_HTPASSWD" ]]; then
      (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$AUTH_PASSWORD_FILE")
      # bcrypt: the only htpasswd hash distribution accepts.
      htpasswd -Bbn "$AUTH_USER" "$(cat "$AUTH_PASSWORD_FILE")" >"$AUTH_HTPASSWD.new"
      mv -f "$AUTH_HTPASSWD.new" "$AUTH_HTPASSWD"
    fi
    registry_config "$LAB_CACHE/registry-auth" "$LAB_AUTH_REGISTRY" "auth:
  htpasswd:
    realm: stackwarden-lab
    path: ${AUTH_HTPASSWD}" >"$AUTH_CONFIG"
    registry_process_launch "$AUTH_CONFIG" "$AUTH_LOG" "$AUTH_PIDFILE" auth_registry_answers \
      "the authenticated registry on ${LAB_AUTH_REGISTRY}"
  fi
  echo "LAB_AUTH_REGISTRY=${LAB_AUTH_REGISTRY}"
  echo "LAB_AUTH_USER=${AUTH_USER}"
  echo "LAB_AUTH_PASSWORD_FILE=${AUTH_PASSWORD_FILE}"
}
