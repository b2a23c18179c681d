#!/usr/bin/env bash
# Scale of the control plane: STACKS stacks of 10 services each (replicas 0, so only the manager works), deployed
# by `docker stack deploy --resolve-image never` and by Stackwarden (resolveImage: never), side by side in one run.
# Engine API calls are counted through a counting relay (bench/relay.py) between the client and the lab manager.
# Per size in SIZES (default "10 30"), and for Stackwarden once per cache setting in CACHE (default "on off"):
#   first deploy: the CLI deploying every stack in turn; Stackwarden from start to every stack Synced
#   no-op pass:  the CLI deploying the same files again; Stackwarden's POST /api/v1/sync?wait=true
#   RSS of the daemon after the no-op pass.
# Calls = HTTP requests through the relay (Stackwarden's also include its engine probe and the event stream);
# writes = the POST/DELETE among them. Needs the packaged jar and the lab (make bench does both).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SIZES=${SIZES:-10 30}
CACHE=${CACHE:-on off}
STACK=sbnone # bench_init's cleanup removes $STACK; the stacks here are removed by cleanup_stacks
bench_init
engine_sock=${DOCKER_HOST#unix://}
relay_sock=$work/relay.sock
calls_log=$work/calls.log
: >"$calls_log"
python3 "$(dirname "$0")/relay.py" "$relay_sock" "$engine_sock" "$calls_log" &
relay_pid=$!
trap 'cp "$calls_log" /tmp/swp-calls.log; kill $relay_pid 2>/dev/null; cleanup_stacks; bench_cleanup' EXIT
wait_for 10 test -S "$relay_sock"
relayed=(docker -H "unix://$relay_sock")
printf 'bench-token' >"$work/token"

calls() { wc -l <"$calls_log"; }
writes_since() { tail -n +"$(($1 + 1))" "$calls_log" | grep -cE '^(POST|DELETE) ' || true; }
ms() { date +%s%3N; }

# stacks PREFIX N DIR: N stack folders of 10 services each
stacks() {
  local prefix=$1 n=$2 dir=$3 i s
  for ((i = 1; i <= n; i++)); do
    mkdir -p "$dir/$prefix$i"
    {
      echo "services:"
      for ((s = 1; s <= 10; s++)); do
        echo "  s$s: {image: $LAB_REGISTRY/stackwarden-lab/sleep:1, environment: {N: \"$s\"}, deploy: {replicas: 0}}"
      done
    } >"$dir/$prefix$i/compose.yaml"
  done
}

cli_deploy() { # cli_deploy DIR STACK, through the relay; its notice about --detach is noise here
  "${relayed[@]}" stack deploy --resolve-image never -c "$1/$2/compose.yaml" "$2" >"$work/cli.out" 2>&1 ||
    { cat "$work/cli.out" >&2; return 1; }
}
gone() { [[ -z $(docker service ls -q --filter "name=$1") && -z $(docker network ls -q --filter "name=$1") ]]; }
cleanup_stacks() {
  local s
  for s in $(docker stack ls --format '{{.Name}}' 2>/dev/null | grep -E '^sb[cs][0-9]+$' || true); do
    docker stack rm "$s" >/dev/null 2>&1 || true
  done
}
remove_all() { # remove_all PREFIX
  cleanup_stacks
  wait_for 300 gone "$1"
}

synced() { # every one of $1 stacks Synced
  local n
  n=$(curl -s -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/stacks" |
    python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s.get("sync") == "Synced"))' 2>/dev/null || echo 0)
  [[ $n -ge $1 ]]
}
quiet_relay() { # no engine call for 3 s apart from the probe
  local before; before=$(grep -vcE ' /(version|info|_ping)' "$calls_log" || true); sleep 3
  [[ $(grep -vcE ' /(version|info|_ping)' "$calls_log" || true) == "$before" ]]
}

rows=()
for n in $SIZES; do
  # The CLI: every stack deployed in turn, then all again with nothing changed.
  dir=$work/cli$n; stacks sbc "$n" "$dir"
  c0=$(calls); t0=$(ms)
  for ((i = 1; i <= n; i++)); do cli_deploy "$dir" "sbc$i"; done
  t1=$(ms); c1=$(calls)
  for ((i = 1; i <= n; i++)); do cli_deploy "$dir" "sbc$i"; done
  t2=$(ms); c2=$(calls)
  rows+=("| $n x 10 | CLI | $((t1 - t0)) ms | $((c1 - c0)) | $((t2 - t1)) ms | $((c2 - c1)) ($(writes_since "$c1") writes) | n/a |")
  echo "${rows[-1]}"
  remove_all sbc

  for cache in $CACHE; do
    dir=$work/sw$n$cache; stacks sbs "$n" "$dir"
    echo 'defaults: {prune: false, resolveImage: never}' >"$dir/stackwarden.yaml"
    enabled=true; [[ $cache == off ]] && enabled=false
    port=$(free_port)
    c0=$(calls); t0=$(ms)
    QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$dir" STACKWARDEN_DOCKER_HOST="unix://$relay_sock" \
      STACKWARDEN_RESYNC_INTERVAL=1h STACKWARDEN_API_TOKEN_FILE="$work/token" STACKWARDEN_ENGINE_CACHE_ENABLED=$enabled \
      java -jar "$JAR" >"$log" 2>&1 &
    pid=$!
    wait_for 600 synced "$n"
    t1=$(ms); c1=$(calls)
    wait_for 120 quiet_relay
    c1q=$(calls)
    t2=$(ms)
    curl -sf -o /dev/null -X POST -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/sync?wait=true"
    t3=$(ms); c3=$(calls)
    rss=$(($(ps -o rss= -p "$pid") / 1024))
    rows+=("| $n x 10 | Stackwarden, cache $cache | $((t1 - t0)) ms | $((c1 - c0)) ($((c1q - c0)) until quiet) | $((t3 - t2)) ms | $((c3 - c1q)) ($(writes_since "$c1q") writes) | $rss MB |")
    echo "${rows[-1]}"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    remove_all sbs
  done
done

echo
echo "| stacks | who | first deploy | calls | no-op pass | calls | RSS |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
