#!/usr/bin/env bash
# The Stackwarden image, built by the lab's first manager on the lab's JRE image from target/quarkus-app (make build
# first) and pushed to the lab registry; prints STACKWARDEN_IMAGE=<reference>. `make image` runs it after the build.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB="$ROOT/scripts/lab/lab.sh"
[[ -f "$ROOT/target/quarkus-app/quarkus-run.jar" ]] || { echo "no target/quarkus-app: run make build first" >&2; exit 1; }
eval "$(bash "$LAB" env)"
bash "$LAB" jre-image >/dev/null
image="$LAB_REGISTRY/stackwarden:dev"
cd "$ROOT"
DOCKER_BUILDKIT=0 docker -H "$DOCKER_HOST" build -q -f src/main/docker/Dockerfile.jvm \
  --build-arg BASE_IMAGE="$LAB_REGISTRY/stackwarden-lab/jre:17" -t "$image" . >/dev/null
docker -H "$DOCKER_HOST" push -q "$image" >/dev/null
echo "STACKWARDEN_IMAGE=$image"
