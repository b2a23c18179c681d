#!/usr/bin/env bash
# Scale of the control plane, Stackwarden beside `docker stack deploy --resolve-image never` of the same files,
# in one run, per size in SIZES (default "10 100 300" stacks of 10 services each, replicas 0 so only the manager
# works, except service s1 of the first stack: one real task, so a change has a rollout to converge).
# Engine API calls are counted through a counting relay (bench/relay.py) between each client and the manager;
# writes are the services whose version index moved. Repeated figures are given as median (min-max) over
# SCALE_ROUNDS rounds (default 3; the CLI's no-op above 100 stacks once):
#   first deploy   the CLI deploying every stack in turn; Stackwarden from `java` to every stack Synced
#   no-op          the CLI deploying every stack again; Stackwarden's POST /api/v1/sync?wait=true
#   change         one service's environment edited in the first stack's file: the CLI deploying that stack,
#                  Stackwarden a POST of that stack's sync; to the first write (spec seen changed) and to
#                  converged (its rollout completed)
#   drift          `docker service scale -d` of a service out of band, to Stackwarden's corrective write
#   start to ready java started to /q/health/ready answering 200
#   RSS and CPU    idle (10 s after the deploy settled) and during a no-op pass over all stacks
# Stackwarden runs with the image's JVM options (src/main/docker/jvm.options) and MALLOC_ARENA_MAX=2, as in the image.
# Needs the packaged jar and the lab (make bench does both).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SIZES=${SIZES:-10 100 300}
SCALE_ROUNDS=${SCALE_ROUNDS:-3}
JVM_OPTIONS=$(cd "$(dirname "$0")/.." && pwd)/src/main/docker/jvm.options
STACK=sbnone # bench_init's cleanup removes $STACK; the stacks here are removed by remove_all
bench_init
engine_sock=${DOCKER_HOST#unix://}
relay_sock=$work/relay.sock
calls_log=$work/calls.log
results=$work/results.md
: >"$calls_log"
: >"$results"
python3 "$(dirname "$0")/relay.py" "$relay_sock" "$engine_sock" "$calls_log" &
relay_pid=$!
trap 'kill $relay_pid 2>/dev/null; remove_all sb; bench_cleanup' EXIT
wait_for 10 test -S "$relay_sock"
relayed=(docker -H "unix://$relay_sock")
printf 'bench-token' >"$work/token"
tick=$(getconf CLK_TCK)

calls() { wc -l <"$calls_log"; }
ms() { date +%s%3N; }
engine() { curl -fs --unix-socket "$engine_sock" "http://engine/v1.41$1"; }
# "ID version" of every service, sorted; writes = services whose version moved between two of these.
versions() { engine /services | python3 -c 'import json,sys
for s in json.load(sys.stdin): print(s["ID"], s["Version"]["Index"])' | sort; }
moved() { join "$1" "$2" | awk '$2 != $3' | wc -l; }
# median (min-max) of the arguments
spread() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : int((v[NR/2] + v[NR/2+1]) / 2);
  printf (NR > 1 ? "%d (%d-%d)" : "%d"), m, v[1], v[NR]}'; }
cpu_ms() { awk -v t="$tick" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat"; }
rss_mb() { echo $(($(ps -o rss= -p "$pid") / 1024)); }

# stacks PREFIX N DIR: N stack folders of 10 services each
stacks() {
  local prefix=$1 n=$2 dir=$3 i s
  for ((i = 1; i <= n; i++)); do
    mkdir -p "$dir/$prefix$i"
    {
      echo "services:"
      for ((s = 1; s <= 10; s++)); do
        if ((i == 1 && s == 1)); then
          echo "  s1: {image: $LAB_REGISTRY/stackwarden-lab/sleep:1, environment: {N: \"1\"}, stop_grace_period: 1s, deploy: {replicas: 1}}"
        else
          echo "  s$s: {image: $LAB_REGISTRY/stackwarden-lab/sleep:1, environment: {N: \"$s\"}, deploy: {replicas: 0}}"
        fi
      done
    } >"$dir/$prefix$i/compose.yaml"
  done
}
edit() { sed -i "0,/N: \"[^\"]*\"/s//N: \"$2\"/" "$1"; } # edit FILE VALUE: s1's environment

cli_deploy() { # cli_deploy DIR STACK, through the relay; its notice about --detach is noise here
  "${relayed[@]}" stack deploy --resolve-image never -c "$1/$2/compose.yaml" "$2" >"$work/cli.out" 2>&1 ||
    { cat "$work/cli.out" >&2; return 1; }
}
service_json() { engine "/services/$1"; }
has_env() { service_json "$1" | grep -q "\"N=$2\""; }
# rolled_out SERVICE VALUE: every task meant to run runs, and with N=VALUE
rolled_out() {
  engine "/tasks?filters=%7B%22service%22%3A%5B%22$1%22%5D%2C%22desired-state%22%3A%5B%22running%22%5D%7D" |
    python3 -c 'import json,sys; t=json.load(sys.stdin); v="N="+sys.argv[1]
sys.exit(0 if t and all(x["Status"]["State"] == "running" and v in x["Spec"]["ContainerSpec"].get("Env", []) for x in t) else 1)' "$2"
}
replicas_are() { [[ $(service_json "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Spec"]["Mode"]["Replicated"]["Replicas"])') == "$2" ]]; }
# The networks whose name starts with $1 (engine 20.10 filters networks by name only when it matches whole).
networks_of() { docker network ls --format '{{.ID}} {{.Name}}' | awk -v p="$1" 'index($2, p) == 1 {print $1}'; }
gone() { [[ -z $(docker service ls -q --filter "name=$1") && -z $(networks_of "$1") ]]; }
remove_all() { # remove_all PREFIX: every service and network of the bench's stacks, through the engine directly
  local ids
  ids=$(docker service ls -q --filter "label=com.docker.stack.namespace" --filter "name=$1" 2>/dev/null || true)
  [[ -z $ids ]] || docker service rm $ids >/dev/null 2>&1 || true
  wait_for 300 bash -c "[[ -z \$(docker service ls -q --filter name=$1) ]]"
  ids=$(networks_of "$1" 2>/dev/null || true)
  [[ -z $ids ]] || docker network rm $ids >/dev/null 2>&1 || true
  wait_for 300 gone "$1"
}

# change LABEL STACKDIR STACK APPLY...: edits s1's environment, runs APPLY, and times the first write and the
# rollout; appends "write converged calls" to $work/change.
change() {
  local dir=$1 stack=$2 value=$3 t0 c0 tw; shift 3
  c0=$(calls); t0=$(ms)
  edit "$dir/$stack/compose.yaml" "$value"
  "$@"
  wait_for 60 has_env "${stack}_s1" "$value"; tw=$(ms)
  wait_for 120 rolled_out "${stack}_s1" "$value"
  echo "$((tw - t0)) $(($(ms) - t0)) $(($(calls) - c0))" >>"$work/change"
}
col() { awk -v c="$1" '{print $c}' "$2" | tr '\n' ' '; }

synced() { # every one of $1 stacks Synced
  local n
  n=$(curl -s -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/stacks" |
    python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if s.get("sync") == "Synced" and s.get("stack", "").startswith("sbs")))' 2>/dev/null || echo 0)
  [[ $n -ge $1 ]]
}
healthy_all() { # every bench stack Synced and Healthy: the first stack's task runs (others on the lab do not count)
  [[ $(curl -s -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/stacks" |
    python3 -c 'import json,sys; print(all(s.get("sync") == "Synced" and s.get("health") == "Healthy" for s in json.load(sys.stdin) if s.get("stack", "") in sys.argv[1:]))' $(seq -f "sbs%g" "$n") 2>/dev/null) == True ]]
}
# Calls Stackwarden makes whatever the stacks: the engine probe, the cluster monitor's node list, and the leader
# lease and saved state (both swarm configs). They count in the figures when they fall in a measured window.
PERIODIC=' /(version|info|_ping|nodes|configs)'
quiet_relay() { # no engine call for 3 s apart from the periodic ones
  local before; before=$(grep -vcE "$PERIODIC" "$calls_log" || true); sleep 3
  [[ $(grep -vcE "$PERIODIC" "$calls_log" || true) == "$before" ]]
}
sync_all() { curl -sf -o /dev/null -X POST -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/sync?wait=true"; }
sync_one() { curl -sf -o /dev/null -X POST -H 'Authorization: Bearer bench-token' "http://127.0.0.1:$port/api/v1/stacks/$1/sync"; }

row() { echo "$*" | tee -a "$results"; }
for n in $SIZES; do
  row ""
  row "#### $n stacks x 10 services"
  row ""
  row "| who | first deploy | calls | writes | no-op | calls | writes | change to write | to converged | calls | drift to fix |"
  row "|---|---|---|---|---|---|---|---|---|---|---|"

  # The CLI: every stack deployed in turn, then all again with nothing changed, then one changed stack.
  dir=$work/cli$n; stacks sbc "$n" "$dir"
  v0=$work/v0; versions >"$v0"
  c0=$(calls); t0=$(ms)
  for ((i = 1; i <= n; i++)); do cli_deploy "$dir" "sbc$i"; done
  first="$(($(ms) - t0)) ms | $(($(calls) - c0)) | $(($(docker service ls -q --filter name=sbc | wc -l)))"
  noop_t=(); noop_c=(); noop_w=()
  # Above 100 stacks the CLI's no-op redeploy runs once: each takes most of a minute and varies little.
  cli_rounds=$SCALE_ROUNDS; ((n <= 100)) || cli_rounds=1
  for ((r = 1; r <= cli_rounds; r++)); do
    versions >"$work/va"; c0=$(calls); t0=$(ms)
    for ((i = 1; i <= n; i++)); do cli_deploy "$dir" "sbc$i"; done
    noop_t+=($(($(ms) - t0))); noop_c+=($(($(calls) - c0)))
    versions >"$work/vb"; noop_w+=("$(moved "$work/va" "$work/vb")")
  done
  : >"$work/change"
  for ((r = 1; r <= SCALE_ROUNDS; r++)); do change "$dir" sbc1 "c$r" cli_deploy "$dir" sbc1; done
  row "| CLI | $first | $(spread "${noop_t[@]}") ms | $(spread "${noop_c[@]}") | $(spread "${noop_w[@]}") |" \
    "$(spread $(col 1 "$work/change")) ms | $(spread $(col 2 "$work/change")) ms | $(spread $(col 3 "$work/change")) | n/a (stays until the next deploy) |"
  remove_all sbc

  # Stackwarden: started on the same files (prune off, resync 1 h, so only the measured triggers act).
  dir=$work/sw$n; stacks sbs "$n" "$dir"
  echo 'defaults: {prune: false, resolveImage: never}' >"$dir/stackwarden.yaml"
  port=$(free_port)
  # A fresh daemon: no lease or saved state of an earlier Stackwarden on this lab, whose restored statuses
  # (the previous size's stacks of the same names, Synced) would count before this run has written anything.
  docker config rm stackwarden.lease stackwarden.state >/dev/null 2>&1 || true
  c0=$(calls); t0=$(ms)
  MALLOC_ARENA_MAX=2 QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$dir" STACKWARDEN_DOCKER_HOST="unix://$relay_sock" \
    STACKWARDEN_RESYNC_INTERVAL=1h STACKWARDEN_API_TOKEN_FILE="$work/token" \
    java @"$JVM_OPTIONS" -jar "$JAR" >"$log" 2>&1 &
  pid=$!
  wait_for 120 ready; t_ready=$(($(ms) - t0))
  wait_for 600 synced "$n"
  first="$(($(ms) - t0)) ms | $(($(calls) - c0)) | $(($(docker service ls -q --filter name=sbs | wc -l)))"
  wait_for 120 healthy_all
  wait_for 120 quiet_relay
  cpu0=$(cpu_ms); sleep 10; cpu_idle=$(($(cpu_ms) - cpu0)); rss_idle=$(rss_mb)
  noop_t=(); noop_c=(); noop_w=(); noop_cpu=()
  for ((r = 1; r <= SCALE_ROUNDS; r++)); do
    versions >"$work/va"; c0=$(calls); cpu0=$(cpu_ms); t0=$(ms)
    sync_all
    noop_t+=($(($(ms) - t0))); noop_cpu+=($(($(cpu_ms) - cpu0))); noop_c+=($(($(calls) - c0)))
    versions >"$work/vb"; noop_w+=("$(moved "$work/va" "$work/vb")")
  done
  rss_pass=$(rss_mb)
  : >"$work/change"
  for ((r = 1; r <= SCALE_ROUNDS; r++)); do
    change "$dir" sbs1 "c$r" sync_one sbs1
    wait_for 120 quiet_relay
  done
  drift=()
  for ((r = 1; r <= SCALE_ROUNDS; r++)); do
    docker service scale -d sbs2_s2=1 >/dev/null; t0=$(ms)
    wait_for 60 replicas_are sbs2_s2 0
    drift+=($(($(ms) - t0)))
    wait_for 120 quiet_relay
  done
  row "| Stackwarden | $first | $(spread "${noop_t[@]}") ms | $(spread "${noop_c[@]}") | $(spread "${noop_w[@]}") |" \
    "$(spread $(col 1 "$work/change")) ms | $(spread $(col 2 "$work/change")) ms | $(spread $(col 3 "$work/change")) | $(spread "${drift[@]}") ms |"
  row ""
  row "Stackwarden at $n x 10: start to ready $t_ready ms; RSS $rss_idle MB idle, $rss_pass MB after the no-op passes;" \
    "CPU $cpu_idle ms in 10 s idle, $(spread "${noop_cpu[@]}") ms per no-op pass over all stacks."
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  remove_all sbs
done

echo
echo "== results =="
cat "$results"
