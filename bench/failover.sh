#!/usr/bin/env bash
# Failover and restart-to-ready of Stackwarden deployed as production deploys it (scripts/deploy.sh, two replicas)
# on a second lab of three managers (scripts/lab/ha-lab.sh: brought up for the run and purged after; the lab the
# LAB_* variables name keeps its shape).
#   failover:   the engine of the leader's manager stopped (lab.sh node-stop) -> the standby acts, and a commit
#               pushed right after the stop is applied (the remote is polled every 2 s)
#   hand-over:  the leader stopped with SIGTERM (what an update or a drain does) -> the standby acts
#   restart:    a replica SIGKILLed -> its new container answers ready (and from its start, without swarm's 5 s delay)
# Needs the packaged jar (make bench builds it). FAILOVER_ROUNDS=n failovers (default 3). Prints min/median/max.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${FAILOVER_ROUNDS:-3}
LAB="$ROOT/scripts/lab/lab.sh"
STACK=fobench
# The second lab's variables replace the first one's from here on; its purge needs the first one's.
base_env=$(env | grep -E '^LAB_(NAME|NET|ROOT|CACHE|REGISTRY_PORT|AUTH_REGISTRY_PORT)=' || true)
ha_env=$(bash "$ROOT/scripts/lab/ha-lab.sh" up 2>/dev/null)
# shellcheck disable=SC2046
export $(grep -E '^(LAB_[A-Z_]+|DOCKER_HOST)=' <<<"$ha_env")
# shellcheck source=../scripts/lab/lib/common.sh
source "$ROOT/scripts/lab/lib/common.sh"

now() { date +%s%3N; }
stats() {
  sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
    printf "min %d ms  median %d ms  max %d ms\n", v[1], m, v[NR]}'
}
urls() { local i; for i in 1 2 3; do echo "http://$LAB_NET.1$i:8080"; done; }
# The node (m1..m3) of the replica that acts, from its identity <node hostname>/<task>; empty when none does.
leader_node() {
  local url data
  for url in $(urls); do
    data=$(curl -s --max-time 2 "$url/q/health/ready" 2>/dev/null) || continue
    python3 - "$data" <<'PY' && return 0
import json, sys
for check in json.loads(sys.argv[1])["checks"]:
    data = check.get("data", {})
    if check["name"] == "leader-election" and data.get("acting"):
        print(data["identity"].split("/")[0].rsplit("-", 1)[1]); sys.exit(0)
sys.exit(1)
PY
  done
  return 1
}
dk() { bash "$LAB" docker "$@"; }
env_of() { dk "$1" service inspect --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' "${STACK}_app" 2>/dev/null || true; }
push() {
  cat >"$work/author/$STACK/compose.yaml" <<YAML
services:
  app:
    image: \${LAB_REGISTRY}/stackwarden-lab/sleep:1
    deploy: {replicas: 0}
    environment: {V: "$1"}
YAML
  git -C "$work/author" add -A && git -C "$work/author" -c user.name=b -c user.email=b@lab.invalid commit -qm "V=$1"
  git -C "$work/author" push -q origin HEAD:refs/heads/main
}
poll() { # poll SECONDS COMMAND...: every 50 ms
  local end=$((SECONDS + $1)); shift
  until "$@"; do ((SECONDS < end)) || { echo "timed out: $*" >&2; exit 1; }; sleep 0.05; done
}
other_manager() { local n; for n in m1 m2 m3; do [[ $n != "$1" ]] && echo "$n" && return; done; }

work=$(mktemp -d /tmp/stackwarden-failover.XXXXXX)
chmod 755 "$work"
stopped=""
cleanup() {
  # shellcheck disable=SC2046,SC2086
  env -u LAB_NAME -u LAB_NET -u LAB_ROOT -u LAB_CACHE -u LAB_MANAGERS -u LAB_WORKERS $base_env \
    bash "$ROOT/scripts/lab/ha-lab.sh" down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git init -q --bare --initial-branch=main "$work/stacks.git"
git clone -q "$work/stacks.git" "$work/author" 2>/dev/null
mkdir -p "$work/author/$STACK"
echo 'defaults: {prune: false}' >"$work/author/stackwarden.yaml"
push 0
chmod -R a+rX "$work/stacks.git"
image=$(bash "$LAB" stackwarden-image 2>/dev/null | tail -n 1)
STACKWARDEN_IMAGE=$image STACKWARDEN_GIT_REMOTE="$work/stacks.git" STACKWARDEN_POLL_INTERVAL=2s \
  bash "$ROOT/scripts/deploy.sh" deploy >/dev/null
poll 120 grep -q 'V=0' <(env_of m1)

takeover=() applied=()
for ((i = 1; i <= ROUNDS; i++)); do
  node=$(leader_node)
  up=$(other_manager "$node")
  raft=$(dk "$up" node ls --format '{{.Hostname}} {{.ManagerStatus}}' | grep -q "^$LAB_NAME-$node Leader" && echo "the raft leader" || echo "a raft follower")
  start=$(now)
  bash "$LAB" node-stop "$node" >/dev/null
  stopped=$node
  push "$i"; chmod -R a+rX "$work/stacks.git"
  acted="" done=""
  while [[ -z $done ]]; do
    [[ -z $acted ]] && leader_node >/dev/null && acted=$(now)
    grep -q "V=$i\"" <<<"$(env_of "$up")" && done=$(now)
    (( $(now) - start < 180000 )) || { echo "round $i: no failover within 180 s" >&2; exit 1; }
    sleep 0.05
  done
  [[ -n $acted ]] || acted=$done
  takeover+=("$((acted - start))"); applied+=("$((done - start))")
  printf 'round %d  leader on %s (%s) stopped: standby acting after %5d ms, next commit applied after %5d ms\n' \
    "$i" "$node" "$raft" "$((acted - start))" "$((done - start))"
  bash "$LAB" node-start "$node" >/dev/null
  stopped=""
  STACKWARDEN_GIT_REMOTE="$work/stacks.git" STACKWARDEN_POLL_INTERVAL=2s bash "$ROOT/scripts/deploy.sh" deploy >/dev/null
done

# Hand-over: SIGTERM to the leader's container (its lease is released on the way out).
node=$(leader_node)
container=$(dk "$node" ps -q --filter label=com.docker.swarm.service.name=stackwarden_operator)
start=$(now)
dk "$node" kill -s TERM "$container" >/dev/null
moved() { local n; n=$(leader_node) && [[ $n != "$node" ]]; }
poll 120 moved
handover=$(( $(now) - start ))

# Restart to ready: SIGKILL the standby's container; swarm starts a new one after its restart delay (5 s).
STACKWARDEN_GIT_REMOTE="$work/stacks.git" STACKWARDEN_POLL_INTERVAL=2s bash "$ROOT/scripts/deploy.sh" deploy >/dev/null
node=$(leader_node)
for standby in m1 m2 m3; do
  [[ $standby == "$node" ]] && continue
  container=$(dk "$standby" ps -q --filter label=com.docker.swarm.service.name=stackwarden_operator)
  [[ -n $container ]] && break
done
start=$(now)
dk "$standby" kill -s KILL "$container" >/dev/null
# Swarm may start the new task on the killed one's node or on the free manager.
back() {
  local n
  for n in m1 m2 m3; do
    [[ $n == "$node" ]] && continue
    fresh=$(dk "$n" ps -q --filter label=com.docker.swarm.service.name=stackwarden_operator)
    [[ -n $fresh && $fresh != "$container"* ]] || continue
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://$LAB_NET.1${n#m}:8080/q/health/ready") == 200 ]] &&
      restarted=$n && return 0
  done
  return 1
}
poll 180 back
ready=$(now)
started=$(date -d "$(dk "$restarted" inspect --format '{{.State.StartedAt}}' "$fresh")" +%s%3N)

echo "failover over $ROUNDS rounds (the engine of the leader's manager stopped; lease 15 s, renew deadline 10 s, retry 2 s):"
echo "  standby acting:       $(printf '%s\n' "${takeover[@]}" | stats)"
echo "  next commit applied:  $(printf '%s\n' "${applied[@]}" | stats)"
echo "hand-over (SIGTERM to the leader): standby acting after $handover ms"
echo "restart to ready (SIGKILL of a replica): $((ready - start)) ms from the kill, $((ready - started)) ms from its new container's start"
