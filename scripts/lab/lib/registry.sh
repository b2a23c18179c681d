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

registry_start() {
  if registry_pid >/dev/null && registry_answers; then return 0; fi
  registry_stop
  mkdir -p "$REG_DIR" "$LAB_CACHE/registry"
  cat >"$REG_CONFIG" <<YML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${LAB_CACHE}/registry
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: ${LAB_REGISTRY}
YML
  log "starting registry on ${LAB_REGISTRY}"
  (
    cd /
    exec 9>&-
    exec setsid env -i PATH="$LAB_DAEMON_PATH" /usr/bin/docker-registry serve "$REG_CONFIG"
  ) </dev/null >>"$REG_LOG" 2>&1 &
  disown 2>/dev/null || true
  if ! wait_for 20 registry_answers; then
    tail -n 20 "$REG_LOG" >&2 || true
    die "registry did not answer on ${LAB_REGISTRY}"
  fi
  # setsid forks when it happens to lead a process group, so $! is not
  # reliably the registry: record the process that runs our config.
  pids_matching "$REG_CONFIG" '^docker-registry$' | head -n1 >"$REG_PIDFILE"
}

# Every registry process of this lab (by pidfile and by its config path).
registry_pids() {
  { registry_pid || true; pids_matching "$REG_CONFIG" '^docker-registry$'; } | sort -un
}

registry_stop() {
  local pids
  pids=$(registry_pids)
  if [[ -n "$pids" ]]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    wait_for 5 all_gone $pids || kill -KILL $pids 2>/dev/null || true
  fi
  rm -f "$REG_PIDFILE"
}

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
