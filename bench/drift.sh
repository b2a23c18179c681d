#!/usr/bin/env bash
# Drift-to-fix latency: the time from an out-of-band change (`docker service scale`, `--env-add`) to
# Stackwarden's corrective write, taken from the daemon's log line "stack evbench: update service ...".
# Needs the packaged jar and the lab's DOCKER_HOST (make bench does both). Prints min/median/max.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STACK=evbench
bench_init

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

port=$(free_port)
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_RESYNC_INTERVAL=1h \
  QUARKUS_LOG_CATEGORY__IO_STACKWARDEN_LOOP__LEVEL=DEBUG java -jar "$JAR" >"$log" 2>&1 &
pid=$!

deployed() { [[ $(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' ${STACK}_app 2>/dev/null) == 1 ]]; }

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
  fixed=$(write_ms $((before + 1)))
  results+=("$((fixed - returned)) $((fixed - start)) ${change[1]}")
  printf 'round %2d  %-6s  write %5d ms after the CLI returned (%5d ms after it started)\n' \
    "$i" "${change[1]}" "$((fixed - returned))" "$((fixed - start))"
  wait_for 60 quiet
done

summary() { # column: 1 = from the CLI's return, 2 = from its start
  printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | stats
}
echo "drift-to-fix over $ROUNDS rounds (scale and --env-add alternating):"
echo "  from the CLI's return: $(summary 1)"
echo "  from the CLI's start:  $(summary 2)"
