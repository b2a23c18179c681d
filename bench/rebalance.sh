#!/usr/bin/env bash
# Node return to rebalanced: worker w2 leaves (lab.sh node-stop) while a 4-replica service that opted in to the
# rebalance runs; Swarm moves its tasks to m1 and w1. Measured from just before `lab.sh node-start w2` to
#   - Stackwarden's forced update (the daemon's log line "rebalanced service ..."), and
#   - the service spread evenly again: 4 tasks running, at most one more on one node than on another, its update
#     completed (read with the CLI every ~0.1 s, so this end is up to one read late).
# Needs the packaged jar and the lab (make bench does both; LAB_* variables select a lab other than the default).
# REBALANCE_ROUNDS rounds (default 5). Prints min/median/max of both.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

LAB=${LAB:-scripts/lab/lab.sh}
ROUNDS=${REBALANCE_ROUNDS:-5}
STACK=rbbench
SERVICE=${STACK}_app
bench_init
trap 'bash "$LAB" node-start w2 >/dev/null 2>&1 || true; bench_cleanup' EXIT

mkdir -p "$work/desired/$STACK"
cat >"$work/desired/$STACK/compose.yaml" <<YAML
services:
  app:
    image: $LAB_REGISTRY/stackwarden-lab/sleep:1
    stop_grace_period: 1s
    deploy: {replicas: 4}
    x-stackwarden: {rebalance: true}
YAML
# prune off: the lab is shared, and other stacks Stackwarden manages there are not in this directory.
echo 'defaults: {prune: false, resolveImage: never}' >"$work/desired/stackwarden.yaml"

nodes=()
for n in m1 w1 w2; do nodes+=("$(bash "$LAB" docker $n info --format '{{.Swarm.NodeID}}')"); done
w2=${nodes[2]}

port=$(free_port)
# min-interval 1s: every round's return may rebalance the service again.
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_RESYNC_INTERVAL=1h \
  STACKWARDEN_REMEDIES_REBALANCE_MIN_INTERVAL=1s java -jar "$JAR" >"$log" 2>&1 &
pid=$!

# Running tasks per node, in the order m1 w1 w2.
counts() {
  local ids; ids=$(docker service ps -q --filter desired-state=running "$SERVICE" 2>/dev/null) || return 1
  [[ -n $ids ]] || { echo "0 0 0"; return; }
  # shellcheck disable=SC2086
  local running; running=$(docker inspect --format '{{.NodeID}} {{.Status.State}}' $ids | awk '$2 == "running" {print $1}')
  local out=() n
  for n in "${nodes[@]}"; do out+=("$(grep -c "^$n\$" <<<"$running" || true)"); done
  echo "${out[*]}"
}
even() {
  local c; c=$(counts) || return 1
  awk '{ max = $1; min = $1; for (i = 2; i <= NF; i++) { if ($i > max) max = $i; if ($i < min) min = $i }
         exit !($1 + $2 + $3 == 4 && max - min <= 1) }' <<<"$c" || return 1
  [[ $(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$SERVICE") != updating ]]
}
w2_empty() { local c; c=$(counts) || return 1; [[ $c == *" 0" ]] && awk '{ exit !($1 + $2 + $3 == 4) }' <<<"$c"; }
w2_down() { [[ $(docker node inspect --format '{{.Status.State}}' "$w2") == down ]]; }
rebalances() { grep -c "rebalanced service $SERVICE" "$log" || true; }
new_rebalance() { [[ $(rebalances) -gt $1 ]]; }
rebalanced_ms() {
  local line; line=$(grep "rebalanced service $SERVICE" "$log" | sed -n "${1}p")
  date -d "$(cut -c1-23 <<<"$line" | tr , .)" +%s%3N
}

wait_for 120 ready
wait_for 120 even
wait_for 120 quiet

written=() spread=()
for ((i = 1; i <= ROUNDS; i++)); do
  before=$(rebalances)
  bash "$LAB" node-stop w2 >/dev/null
  wait_for 120 w2_down
  wait_for 120 w2_empty
  echo "round $i: w2 down, tasks per node (m1 w1 w2): $(counts)"
  start=$(date +%s%3N)
  bash "$LAB" node-start w2 >/dev/null
  wait_for 180 even
  done_ms=$(date +%s%3N)
  wait_for 30 new_rebalance "$before"
  took_write=$(( $(rebalanced_ms $((before + 1))) - start ))
  took_even=$(( done_ms - start ))
  written+=("$took_write") spread+=("$took_even")
  printf 'round %2d  forced update %6d ms, spread evenly (%s) %6d ms after node-start\n' "$i" "$took_write" "$(counts)" "$took_even"
  wait_for 60 quiet
done
echo "node return to rebalanced over $ROUNDS rounds (from just before lab.sh node-start w2):"
echo "  to Stackwarden's forced update:  $(printf '%s\n' "${written[@]}" | stats)"
echo "  to the service spread evenly:    $(printf '%s\n' "${spread[@]}" | stats)"
