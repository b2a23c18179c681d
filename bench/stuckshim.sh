#!/usr/bin/env bash
# Stuck shim to fix: the talk's "Replicas 2/1". Each round stops the shim of the task of a one-replica service
# (lab.sh shim-stop), scales the service to 0 through its compose file, and times from Stackwarden's scale-down
# write (its log line "stack stuckbench: update service") to the service showing 0/0 (no running task left).
# Without the remedy it stays at 1/0 for good. The node agent is this build's image (lab.sh stackwarden-image),
# deployed by the same Stackwarden as a global service. Settings: a scan every AGENT_SCAN (1s) and a margin of
# AGENT_MARGIN (5s) after the service's stop grace period (2s). Needs the packaged jar and the lab (make bench).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STACK=stuckbench
AGENTS=benchagent
ROUNDS=${STUCK_ROUNDS:-5}
AGENT_SCAN=${AGENT_SCAN:-1s}
AGENT_MARGIN=${AGENT_MARGIN:-5s}
bench_init
stopped=()
stuck_cleanup() {
  for id in "${stopped[@]}"; do bash scripts/lab/lab.sh shim-kill "$id" >/dev/null 2>&1 || true; done
  docker stack rm "$AGENTS" >/dev/null 2>&1 || true
  bench_cleanup
}
trap stuck_cleanup EXIT

image=$(bash scripts/lab/lab.sh stackwarden-image 2>/dev/null | tail -n 1)
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
mkdir -p "$work/$AGENTS" "$work/desired/$STACK"
# The agents are installed beside Stackwarden, as k8s-free-deploy does: a service Stackwarden deployed is never an agent.
cp src/test/resources/node-agent/compose.yaml "$work/$AGENTS/compose.yaml"
printf '%s' "$token" >"$work/$AGENTS/token"
printf '%s' "$token" >"$work/agent-token"
STACKWARDEN_IMAGE="$image" STACKWARDEN_SOCKET_GID="$(stat -c %g "${DOCKER_HOST#unix://}")" \
  docker stack deploy --resolve-image never -c "$work/$AGENTS/compose.yaml" "$AGENTS" >/dev/null
app() { # app REPLICAS: the service's compose file
  cat >"$work/desired/$STACK/compose.yaml" <<YAML
services:
  app:
    image: $LAB_REGISTRY/stackwarden-lab/sleep:1
    stop_grace_period: 2s
    deploy: {replicas: $1, placement: {constraints: [node.role == worker]}}
YAML
}
app 1
# prune off: the lab is shared, and other stacks Stackwarden manages there are not in this directory.
echo 'defaults: {prune: false}' >"$work/desired/stackwarden.yaml"

port=$(free_port)
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_SOURCE_SCAN_INTERVAL=200ms \
  STACKWARDEN_AGENT_TOKEN_FILE="$work/agent-token" STACKWARDEN_AGENT_ADDRESS=node \
  STACKWARDEN_AGENT_SCAN_INTERVAL="$AGENT_SCAN" STACKWARDEN_AGENT_STUCK_MARGIN="$AGENT_MARGIN" \
  STACKWARDEN_AGENT_ACTIONS_PER_MINUTE=60 java -jar "$JAR" >"$log" 2>&1 &
pid=$!

replicas() { docker service ls --filter "name=${STACK}_app" --format '{{.Replicas}}' 2>/dev/null; }
is() { [[ $(replicas) == "$1" ]]; }
agents_up() { # every node runs a task of the agent service
  local r; r=$(docker service ls --filter "name=${AGENTS}_agent" --format '{{.Replicas}}' 2>/dev/null)
  [[ -n $r && $r != 0/0 && ${r%/*} == "${r#*/}" ]]
}
container() { docker service ps -q --no-trunc --filter desired-state=running "${STACK}_app" | head -n 1 |
  xargs -r docker inspect --format '{{.Status.ContainerStatus.ContainerID}}'; }
has_container() { [[ -n $(container) ]]; }
writes() { grep -c "stack $STACK: update service" "$log" || true; }
kills() { grep -c "stuck-task: asked the agent" "$log" || true; }
new_kill() { [[ $(kills) -gt $1 ]]; }

wait_for 120 ready
wait_for 300 agents_up
wait_for 120 is 1/1
wait_for 60 has_container

results=()
for ((i = 1; i <= ROUNDS; i++)); do
  id=$(container)
  bash scripts/lab/lab.sh shim-stop "$id" >/dev/null 2>&1
  stopped+=("$id")
  before=$(writes) killed=$(kills)
  app 0
  wait_for 30 new_write "$before"
  wait_for 30 is 1/0        # the fault: one task still running, none wanted
  wait_for 120 is 0/0
  fixed=$(date +%s%3N)
  start=$(write_ms $((before + 1)))
  wait_for 30 new_kill "$killed"
  answered=$(grep "stuck-task: asked the agent" "$log" | sed -n "$((killed + 1))p" | grep -o 'answered in [0-9]* ms' | grep -o '[0-9]*')
  results+=("$((fixed - start)) $answered")
  printf 'round %2d  scale-down write to 0/0: %6d ms  (the agent answered the kill in %5d ms)\n' "$i" "$((fixed - start))" "$answered"
  app 1
  wait_for 120 is 1/1
  wait_for 60 has_container
done

summary() { printf '%s\n' "${results[@]}" | awk -v c="$1" '{print $c}' | stats; }
echo "stuck shim to fix over $ROUNDS rounds (scan $AGENT_SCAN, margin $AGENT_MARGIN, stop grace 2s):"
echo "  scale-down write to 0/0: $(summary 1)"
echo "  the agent's kill-shim:   $(summary 2)"
