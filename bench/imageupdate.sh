#!/usr/bin/env bash
# Push-to-service-updated latency of image updates on purpose: an image is pushed again under the same tag
# (alternately the lab's sleep and web images) and measured is the time from `docker push` returning to
# Stackwarden's write of the service (the daemon's log line "stack <stack>: update service ..."), once for
# a stack that watches with an interval (INTERVAL seconds, default 10: polling; each push at a random moment of
# the interval, so the mean is about half of it) and once for one whose interval is an hour, told by a registry
# notification sent right after the push (distribution's format, Bearer secret).
# Needs the packaged jar and the lab's DOCKER_HOST (make bench does both). Prints min/median/max per mode.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

INTERVAL=${INTERVAL:-10}
POLL=iupoll
HOOK=iuhook
STACK=$HOOK
SECRET=bench-registry-secret
bench_init
trap 'bench_cleanup; docker stack rm $POLL >/dev/null 2>&1 || true' EXIT

run=$(date +%s)
for s in $POLL $HOOK; do
  mkdir -p "$work/desired/$s"
  cat >"$work/desired/$s/compose.yaml" <<YAML
services:
  app:
    image: $LAB_REGISTRY/iubench$run/$s:1
    stop_grace_period: 1s
    deploy: {replicas: 1, update_config: {order: start-first}}
YAML
done
# prune off: the lab is shared, and other stacks Stackwarden manages there are not in this directory.
cat >"$work/desired/stackwarden.yaml" <<YAML
defaults: {prune: false}
stacks:
  $POLL: {watchImages: ${INTERVAL}s}
  $HOOK: {watchImages: 1h}
YAML
printf '%s' "$SECRET" >"$work/secret"

# push IMAGE TARGET: the lab image IMAGE (sleep or web) as TARGET.
push() {
  docker pull -q "$LAB_REGISTRY/stackwarden-lab/$1:1" >/dev/null
  docker tag "$LAB_REGISTRY/stackwarden-lab/$1:1" "$2"
  docker push -q "$2" >/dev/null
}
push sleep "$LAB_REGISTRY/iubench$run/$POLL:1"
push sleep "$LAB_REGISTRY/iubench$run/$HOOK:1"

port=$(free_port)
QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_RESYNC_INTERVAL=1h \
  STACKWARDEN_WEBHOOKS_SECRET_FILE="$work/secret" java -jar "$JAR" >"$log" 2>&1 &
pid=$!
deployed() { [[ $(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$1_app" 2>/dev/null) == *@sha256:* ]]; }
wait_for 120 ready
wait_for 120 deployed $POLL
wait_for 120 deployed $HOOK
wait_for 120 quiet

notify() { # notify REPOSITORY: the registry's push event for REPOSITORY:1
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $SECRET" \
    -H 'Content-Type: application/vnd.docker.distribution.events.v1+json' \
    --data "{\"events\":[{\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"repository\":\"$1\",\"tag\":\"1\"},\"request\":{\"host\":\"$LAB_REGISTRY\"}}]}" \
    "http://127.0.0.1:$port/api/v1/webhooks/registry"
}

polled=() hooked=()
for ((i = 1; i <= ROUNDS; i++)); do
  if ((i % 2)); then image=web; else image=sleep; fi
  for STACK in $POLL $HOOK; do
    before=$(writes)
    # The watch's ticks follow the previous write: push at a random moment of the interval, as a user would.
    [[ $STACK == "$POLL" ]] && sleep "$(awk -v seed="$RANDOM" -v i="$INTERVAL" 'BEGIN { srand(seed); printf "%.2f", rand() * i }')"
    push $image "$LAB_REGISTRY/iubench$run/$STACK:1"
    pushed=$(date +%s%3N)
    [[ $STACK == "$HOOK" ]] && notify "iubench$run/$HOOK"
    wait_for 120 new_write "$before"
    took=$(( $(write_ms $((before + 1))) - pushed ))
    if [[ $STACK == "$POLL" ]]; then polled+=("$took"); else hooked+=("$took"); fi
    printf 'round %2d  %-12s  service written %6d ms after the push returned\n' "$i" \
      "$([[ $STACK == "$POLL" ]] && echo "poll ${INTERVAL}s" || echo notification)" "$took"
  done
  STACK=$HOOK
done
echo "push-to-service-updated over $ROUNDS rounds:"
echo "  registry notification:  $(printf '%s\n' "${hooked[@]}" | stats)"
echo "  polling every ${INTERVAL}s:  $(printf '%s\n' "${polled[@]}" | stats)"
