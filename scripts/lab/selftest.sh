#!/usr/bin/env bash
# End-to-end check of the swarm lab: brings it up, deploys a stack over an
# overlay network, checks the test images and every fault helper, removes
# what it deployed and leaves the lab up. Takes about two minutes.
# Prints "N passed, M failed" at the end; exits non-zero on any failure.
set -euo pipefail

LAB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab.sh"
PASS=0 FAIL=0
ok()   { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
bad()  { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# Poll CMD until its output equals WANT (at most SECS seconds).
await() {
  local secs=$1 want=$2 got=""; shift 2
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    got=$("$@" 2>/dev/null || true)
    [[ "$got" == "$want" ]] && return 0
    sleep 1
  done
  echo "  (wanted '$want', last got '$got')" >&2
  return 1
}

bash "$LAB" up >/dev/null 2>&1 || bash "$LAB" up   # second try shows why
eval "$(bash "$LAB" env | sed 's/^/export /')"
: "${DOCKER_HOST:?}" "${LAB_REGISTRY:?}"
STACK=swlabselftest
img() { echo "$LAB_REGISTRY/stackwarden-lab/$1"; }
replicas() { docker service ls --filter "name=$1" --format '{{.Replicas}}' | cut -d' ' -f1; }
cleanup() { docker stack rm "$STACK" >/dev/null 2>&1 || true; docker service rm swlab-stuck >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

# -- the cluster ------------------------------------------------------------
nodes=$(docker node ls --format '{{.Hostname}} {{.Status}}')
expected=$(( ${LAB_MANAGERS:-1} + ${LAB_WORKERS:-2} ))
check "$expected nodes Ready" [ "$(grep -c ' Ready$' <<<"$nodes")" -eq "$expected" ]
check "distinct hostnames" [ "$(cut -d' ' -f1 <<<"$nodes" | sort -u | wc -l)" -eq "$expected" ]
own_socket() {  # each node's /var/run/docker.sock, seen in its mount namespace, is its own engine
  local n pid
  for n in $(bash "$LAB" status | awk 'NR > 1 && $3 == "yes" {print $1}'); do
    pid=$(cat "${LAB_ROOT:-/var/tmp/stackwarden-lab}/$n/dockerd.pid") || return 1
    nsenter -t "$pid" -m curl -fs --unix-socket /var/run/docker.sock http://engine/info |
      grep -o '"Name":"[^"]*-'"$n"'"' >/dev/null || return 1
  done
}
check "each node answers at its own /var/run/docker.sock" own_socket
check "up is fast when up" bash -c "t=\$SECONDS; bash '$LAB' up >/dev/null 2>&1; ((SECONDS - t < 5))"

# -- a stack on an overlay network, images pulled from the lab registry -----
cat >"/tmp/$STACK.yml" <<EOF
version: "3.8"
networks:
  net:
    driver: overlay
services:
  sleep:
    image: $(img sleep:1)
    networks: [net]
    deploy:
      replicas: $expected
      placement: {max_replicas_per_node: 1}
  web:
    image: $(img web:1)
    networks: [net]
    ports: [{target: 8080, published: 18080, mode: host}]
    deploy:
      mode: global
      endpoint_mode: dnsrr
  signals:
    image: $(img signals:1)
    environment: {EXIT_DELAY: "2"}
    stop_grace_period: 10s
EOF
docker stack deploy -c "/tmp/$STACK.yml" --resolve-image never "$STACK" >/dev/null 2>&1
check "sleep service converges" await 90 "$expected/$expected" replicas "${STACK}_sleep"
check "web runs on every node" await 60 "$expected/$expected" replicas "${STACK}_web"
check "signals runs" await 60 "1/1" replicas "${STACK}_signals"
on_nodes=$(docker service ps "${STACK}_sleep" --filter desired-state=running --format '{{.Node}}' | sort -u | wc -l)
check "sleep tasks spread over all nodes" [ "$on_nodes" -eq "$expected" ]
check "web answers on a node's host port" bash -c "curl -fs --noproxy '*' --max-time 5 http://${LAB_REGISTRY%.*}.11:18080/ | grep -q 'stackwarden lab web'"

# stop_grace_period / EXIT_DELAY: scaling to 0 stops the task with SIGTERM
# (the exited container stays in the task history, with its logs).
sig_node=$(docker service ps "${STACK}_signals" --filter desired-state=running --format '{{.Node}}' | head -n1)
sig_id=$(bash "$LAB" docker "${sig_node#*-}" ps -q --no-trunc --filter "name=${STACK}_signals")
docker service scale -d "${STACK}_signals=0" >/dev/null
check "signals task stops within its EXIT_DELAY" await 20 "0/0" replicas "${STACK}_signals"
logs=$(bash "$LAB" docker "${sig_node#*-}" logs "$sig_id" 2>&1 || true)
check "signals image prints 'got SIGTERM' and waits EXIT_DELAY" grep -q 'exiting after 2s' <<<"$logs"

# -- the stuck-container fault: SIGSTOPped shim, then SIGKILL -----------------
docker service create -q --name swlab-stuck --replicas 1 --constraint node.role==worker "$(img sleep:1)" >/dev/null 2>&1 ||
  docker service create -q --name swlab-stuck --replicas 1 "$(img sleep:1)" >/dev/null
check "stuck service runs" await 60 "1/1" replicas swlab-stuck
st_node=$(docker service ps swlab-stuck --filter desired-state=running --format '{{.Node}}' | head -n1)
st_id=$(bash "$LAB" docker "${st_node#*-}" ps -q --no-trunc --filter name=swlab-stuck)
bash "$LAB" shim-stop "${st_id:0:12}" 2>/dev/null
docker service scale -d swlab-stuck=0 >/dev/null
sleep 8
check "stopped shim keeps the task: 1/0" [ "$(replicas swlab-stuck)" = "1/0" ]
bash "$LAB" shim-kill "$st_id" 2>/dev/null
check "killing the shim clears it: 0/0" await 30 "0/0" replicas swlab-stuck
docker service rm swlab-stuck >/dev/null

# -- network partition of a worker ------------------------------------------
if (( ${LAB_WORKERS:-2} > 0 )); then
  node_status() { docker node ls --filter "name=${LAB_NAME:-swl}-w1" --format '{{.Status}}'; }
  bash "$LAB" net-cut w1 2>/dev/null
  check "cut-off worker goes Down" await 60 Down node_status
  bash "$LAB" net-restore w1 2>/dev/null
  check "restored worker is Ready again" await 60 Ready node_status
fi

# -- stopping and starting the manager's engine ------------------------------
bash "$LAB" node-stop m1 2>/dev/null
check "m1 engine stopped" bash -c "! docker version >/dev/null 2>&1"
bash "$LAB" node-start m1 2>/dev/null
check "m1 engine back" bash -c "docker version >/dev/null"
m1_ready() { docker node ls --filter "name=${LAB_NAME:-swl}-m1" --format '{{.Status}}'; }
check "m1 Ready after restart" await 60 Ready m1_ready

cleanup
trap - EXIT
rm -f "/tmp/$STACK.yml"
echo "$PASS passed, $FAIL failed"
((FAIL == 0))
