# shellcheck shell=bash
# Fault helpers on container shims: the stuck-container fault is a SIGSTOPped
# containerd-shim-runc-v2 (the engine can no longer stop the container).

# "<pid> <container id> <node> <namespace> <containerd address>" for every
# shim of a lab node.
shim_list() {
  local pid id addr ns node args i
  for pid in $(pids_matching containerd-shim-runc-v2 '^containerd-shim'); do
    { mapfile -d '' -t args <"/proc/$pid/cmdline"; } 2>/dev/null || continue
    [[ "${args[0]:-}" == *containerd-shim-runc-v2 ]] || continue
    id=""; addr=""; ns=""
    for ((i = 1; i < ${#args[@]}; i++)); do
      case "${args[i]}" in
        -id) id=${args[i + 1]:-} ;;
        -address) addr=${args[i + 1]:-} ;;
        -namespace) ns=${args[i + 1]:-} ;;
      esac
    done
    [[ -n "$id" && "$addr" == "$LAB_ROOT"/* ]] || continue
    node=${addr#"$LAB_ROOT"/}; node=${node%%/*}
    echo "$pid $id $node $ns $addr"
  done
}

# Resolve a container reference (full id, unique id prefix, or name) to
# "<shim pid> <full id> <node>".
shim_resolve() {
  local ref=$1 shims matches full node
  shims=$(shim_list)
  if [[ "$ref" =~ ^[0-9a-f]+$ ]]; then
    matches=$(awk -v r="$ref" 'index($2, r) == 1' <<<"$shims")
    if [[ $(grep -c . <<<"$matches") -gt 1 ]]; then
      die "container id prefix '$ref' is ambiguous: $(awk '{print $2}' <<<"$matches" | tr '\n' ' ')"
    fi
    [[ -z "$matches" ]] || { echo "$matches"; return 0; }
  fi
  # Not a shim id: ask the engines (accepts names and prefixes they know).
  for node in "${ALL_NODES[@]}"; do
    engine_answers "$node" || continue
    full=$(NDOCKER_TIMEOUT=5 ndocker "$node" inspect --type container --format '{{.Id}}' "$ref" 2>/dev/null) || continue
    matches=$(awk -v r="$full" '$2 == r' <<<"$shims")
    [[ -n "$matches" ]] && { echo "$matches"; return 0; }
    die "container $full on $node has no running shim"
  done
  die "no lab container shim matches '$ref'"
}

shim_signal() {
  local sig=$1 ref=$2 found pid id node ns addr hash
  found=$(shim_resolve "$ref")
  read -r pid id node ns addr <<<"$found"
  kill "-$sig" "$pid"
  log "SIG$sig sent to containerd-shim-runc-v2 pid $pid (container $id on $node)"
  if [[ "$sig" == KILL ]]; then
    # A killed shim cannot remove its socket in /run/containerd/s; do it
    # (name: sha256 of "<containerd address>/<namespace>/<id>").
    hash=$(printf '%s' "$addr/$ns/$id" | sha256sum)
    rm -f "/run/containerd/s/${hash%% *}"
  fi
}
