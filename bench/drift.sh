#!/usr/bin/env bash
# Drift-to-fix latency: the time from an out-of-band change (`docker service scale`, `--env-add`) to
# Stackwarden's corrective write, taken from the daemon's log line "stack evbench: update service ...".
# Needs the packaged jar and the lab's DOCKER_HOST (make bench does both). Prints min/median/max.
set -euo pipefail

ROUNDS=${ROUNDS:-10}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}
STACK=evbench
: "${DOCKER_HOST:?run through make bench (needs the lab)}" "${LAB_REGISTRY:?run through make bench}"
[[ -f $JAR ]] || { echo "no $JAR: run make build" >&2; exit 1; }

work=$(mktemp -d /tmp/stackwarden-bench.XXXXXX)
log=$work/daemon.log
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  docker stack rm "$STACK" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/desired/$STACK"
cat >"$work/desired/$STACK/compose.yaml" <<YAML
services:
  app:
    image: $LAB_REGISTRY/stackwarden-lab/sleep:1
    environment: {A: "1"}
    stop_grace_period: 1s
    deploy: {replicas: 1}
YAML
# prune off: the lab is shared, and other stacks Stackwarden manages there are not in this directory.
echo 'defaults: {prune: false}' >"$work/desired/stackwarden.yaml"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_RESYNC_INTERVAL=1h \
  QUARKUS_LOG_CATEGORY__IO_STACKWARDEN_LOOP__LEVEL=DEBUG java -jar "$JAR" >"$log" 2>&1 &
pid=$!

wait_for() { # wait_for SECONDS COMMAND...: poll every 50 ms
  local end=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < end)) || { echo "timed out: $*" >&2; tail -n 30 "$log" >&2; exit 1; }
    sleep 0.05
  done
}
ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") == 200 ]]; }
deployed() { [[ $(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' ${STACK}_app 2>/dev/null) == 1 ]]; }
writes() { grep -c "stack $STACK: update service" "$log" || true; }
quiet() { # no log line for 2 s: the loop is idle
  local size; size=$(stat -c %s "$log"); sleep 2; [[ $(stat -c %s "$log") == "$size" ]]
}
new_write() { [[ $(writes) -gt $1 ]]; }
ms() { date -d "$1" +%s%3N; }

wait_for 120 ready
wait_for 120 deployed
wait_for 120 quiet

results=()
for ((i = 1; i <= ROUNDS; i++)); do
  before=$(writes)
  if ((i % 2)); then change=(service scale -d "${STACK}_app=2"); else change=(service update -d --env-add "BENCH=$i" "${STACK}_app"); fi
  start=$(date +%s%3N)
  docker "${change[@]}" >/dev/null
  returned=$(date +%s%3N)
  wait_for 30 new_write "$before"
  line=$(grep "stack $STACK: update service" "$log" | sed -n "$((before + 1))p")
  fixed=$(ms "$(cut -c1-23 <<<"$line" | tr , .)")
  results+=("$((fixed - returned)) $((fixed - start)) ${change[1]}")
  printf 'round %2d  %-6s  write %5d ms after the CLI returned (%5d ms after it started)\n' \
    "$i" "${change[1]}" "$((fixed - returned))" "$((fixed - start))"
  wait_for 60 quiet
done

summary() { # column: 1 = from the CLI's return, 2 = from its start
  printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | sort -n |
    awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "min %d ms  median %d ms  max %d ms\n", v[1], m, v[NR]}'
}
echo "drift-to-fix over $ROUNDS rounds (scale and --env-add alternating):"
echo "  from the CLI's return: $(summary 1)"
echo "  from the CLI's start:  $(summary 2)"
