#!/usr/bin/env bash
# Webhook-to-first-write latency: a commit is pushed to a Git remote (a bare repository over file://),
# then a signed GitHub push webhook is sent; measured is the time from sending the webhook to
# Stackwarden's first write, taken from the daemon's log line "stack whbench: update service ...".
# It covers the fetch, the hard reset, finding the changed stack, the queue and the pass.
# Needs the packaged jar and the lab's DOCKER_HOST (make bench does both). Prints min/median/max.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STACK=whbench
SECRET=bench-webhook-secret
bench_init

git init -q --bare -b main "$work/remote.git"
git clone -q "file://$work/remote.git" "$work/author" 2>/dev/null
cd "$work/author"
git checkout -q -b main
git config user.email bench@example.test
git config user.name bench
compose() {
  mkdir -p "$STACK"
  cat >"$STACK/compose.yaml" <<YAML
services:
  app:
    image: $LAB_REGISTRY/stackwarden-lab/sleep:1
    environment: {ROUND: "$1"}
    stop_grace_period: 1s
    deploy: {replicas: 1, update_config: {order: start-first}}
YAML
}
compose 0
# prune off: the lab is shared, and other stacks Stackwarden manages there are not in this repository.
echo 'defaults: {prune: false, resolveImage: never}' >stackwarden.yaml
git add -A && git commit -qm initial && git push -q origin main
cd - >/dev/null
printf '%s' "$SECRET" >"$work/secret"

port=$(free_port)
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/checkout" STACKWARDEN_SOURCE_GIT_URL="file://$work/remote.git" \
  STACKWARDEN_SOURCE_POLL_INTERVAL=1h STACKWARDEN_RESYNC_INTERVAL=1h STACKWARDEN_WEBHOOKS_SECRET_FILE="$work/secret" \
  java -jar "$JAR" >"$log" 2>&1 &
pid=$!

deployed() { docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Env}}' ${STACK}_app 2>/dev/null | grep -q ROUND=0; }

wait_for 120 ready
wait_for 120 deployed
wait_for 120 quiet

results=()
for ((i = 1; i <= ROUNDS; i++)); do
  (cd "$work/author" && compose "$i" && git commit -qam "round $i" && git push -q origin main)
  commit=$(git -C "$work/author" rev-parse HEAD)
  body="{\"ref\":\"refs/heads/main\",\"after\":\"$commit\"}"
  signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= //')
  before=$(writes)
  start=$(date +%s%3N)
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -H 'X-GitHub-Event: push' \
    -H "X-Hub-Signature-256: sha256=$signature" --data "$body" "http://127.0.0.1:$port/api/v1/webhooks/github")
  [[ $status == 202 ]] || { echo "webhook answered $status" >&2; exit 1; }
  wait_for 30 new_write "$before"
  written=$(write_ms $((before + 1)))
  results+=("$((written - start))")
  printf 'round %2d  first write %5d ms after the webhook was sent\n' "$i" "$((written - start))"
  wait_for 60 quiet
done

echo "webhook-to-first-write over $ROUNDS rounds: $(printf '%s\n' "${results[@]}" | stats)"
