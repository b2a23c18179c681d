#!/usr/bin/env bash
# Stackwarden installed on the lab as k8s-free-deploy/README.md installs it in production: the image from the
# lab registry (make image), its secrets, `docker stack deploy` of k8s-free-deploy/stackwarden.yml with the lab's
# override (k8s-free-deploy/lab.yml: the Git remote is a bare repository on this machine, bind-mounted and
# fetched over file://, so no Git credentials: neither https.yml nor ssh.yml).
#
#   scripts/deploy.sh deploy     (make deploy)    install or update; waits until a replica leads; prints its URLs
#   scripts/deploy.sh undeploy   (make undeploy)  remove the stack, its secrets, lease and state, and the volumes
#
# STACKWARDEN_GIT_REMOTE   the bare repository to follow (default: $LAB_ROOT/deploy/stacks.git, made from examples/);
#                          the replicas run as uid 10001, so it must be readable by everyone
# STACKWARDEN_IMAGE        default: $LAB_REGISTRY/stackwarden:dev (what make image pushes)
# STACKWARDEN_STACK        the stack's name (default stackwarden)
# STACKWARDEN_DEPLOY_TIMEOUT  seconds to wait for a leader (default 240)
# STACKWARDEN_REPLICAS      default 2, or 1 on a lab of one manager (one replica per manager)
# STACKWARDEN_POLL_INTERVAL is passed on; the lab variables (LAB_*) pick the lab.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lab/lib/common.sh
source "$ROOT/scripts/lab/lib/common.sh"
init_config

STACK=${STACKWARDEN_STACK:-stackwarden}
STATE="$LAB_ROOT/deploy"
MANAGER_SOCK="unix://$LAB_ROOT/m1/docker.sock"

say() { printf '[deploy +%ss] %s\n' "$SECONDS" "$*" >&2; }
fail() { printf '[deploy] error: %s\n' "$*" >&2; exit 1; }

# The docker CLI against the first manager that answers (m1 may be the one a test stopped).
dk() {
  local i
  for ((i = 1; i <= LAB_MANAGERS; i++)); do
    if docker -H "unix://$LAB_ROOT/m$i/docker.sock" info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null | grep -q true; then
      docker -H "unix://$LAB_ROOT/m$i/docker.sock" "$@"
      return
    fi
  done
  fail "no manager of the lab answers (lab.sh up?)"
}

manager_urls() {
  local i
  for ((i = 1; i <= LAB_MANAGERS; i++)); do printf 'http://%s.1%s:8080\n' "$LAB_NET" "$i"; done
}

# A random secret kept in $STATE/<file> (mode 600) and as the Docker secret <name>; made once.
ensure_secret() {
  local name=$1 file="$STATE/$2"
  if [[ ! -s "$file" ]]; then
    if dk secret inspect "$name" >/dev/null 2>&1; then
      dk secret rm "$name" >/dev/null || fail "secret $name exists without $file and is in use: make undeploy first"
    fi
    (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$file")
  fi
  dk secret inspect "$name" >/dev/null 2>&1 || dk secret create "$name" "$file" >/dev/null
}

# The default remote: a bare repository holding examples/, made once.
default_remote() {
  local remote="$STATE/stacks.git" work
  if [[ ! -d "$remote" ]]; then
    say "creating the Git remote $remote from examples/"
    git init -q --bare --initial-branch=main "$remote"
    work=$(mktemp -d)
    cp -r "$ROOT/examples/." "$work/"
    git -C "$work" init -q --initial-branch=main
    git -C "$work" add -A
    git -C "$work" -c user.name=deploy -c user.email=deploy@lab.invalid commit -q -m "examples"
    git -C "$work" push -q "$remote" HEAD:refs/heads/main
    rm -rf "$work"
    chmod -R a+rX "$remote"
  fi
  echo "$remote"
}

# Waits until the service's rolling update (if any) ended and every replica runs healthy.
await_rollout() {
  local deadline=$((SECONDS + ${1:-240})) state replicas
  while ((SECONDS < deadline)); do
    state=$(dk service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "${STACK}_operator")
    replicas=$(dk service ls --filter "name=${STACK}_operator" --format '{{.Replicas}}')
    case "$state" in
      rollback_*|paused) fail "the update of ${STACK}_operator ended in $state" ;;
    esac
    if [[ "$state" != updating && "$replicas" =~ ^([0-9]+)/([0-9]+) && "${BASH_REMATCH[1]}" == "${BASH_REMATCH[2]}" ]]; then
      return 0
    fi
    sleep 2
  done
  fail "${STACK}_operator did not converge (update: ${state:-none}, replicas $replicas)"
}

# Waits until one replica leads and acts; prints its URL.
await_leader() {
  local deadline=$((SECONDS + ${1:-240})) url health leader
  while ((SECONDS < deadline)); do
    leader=""
    while read -r url; do
      health=$(curl -fsS --max-time 3 "$url/q/health/ready" 2>/dev/null) || continue
      if grep -q '"acting" *: *true' <<<"$health"; then leader=$url; fi
    done < <(manager_urls)
    if [[ -n "$leader" ]]; then
      echo "$leader"
      return 0
    fi
    sleep 2
  done
  dk service ps --no-trunc "${STACK}_operator" >&2 || true
  fail "no replica of ${STACK}_operator became leader and ready"
}

cmd_deploy() {
  local image=${STACKWARDEN_IMAGE:-$LAB_REGISTRY/stackwarden:dev} remote gid leader replicas
  mkdir -p "$STATE"
  remote=${STACKWARDEN_GIT_REMOTE:-$(default_remote)}
  [[ -d "$remote" ]] || fail "STACKWARDEN_GIT_REMOTE=$remote is not a folder"
  ensure_secret stackwarden-api-token api-token
  ensure_secret stackwarden-webhook-secret webhook-secret
  ensure_secret stackwarden-agent-token agent-token
  gid=$(stat -c %g "$LAB_ROOT/m1/docker.sock")
  say "deploying $image as stack $STACK (remote $remote)"
  # Two replicas, one per manager: a lab of one manager runs one.
  replicas=${STACKWARDEN_REPLICAS:-$((LAB_MANAGERS < 2 ? 1 : 2))}
  STACKWARDEN_IMAGE=$image STACKWARDEN_GIT_URL=file:///srv/stacks.git STACKWARDEN_SOCKET_GID=$gid \
    STACKWARDEN_LAB_REMOTE=$remote LAB_REGISTRY=$LAB_REGISTRY STACKWARDEN_REPLICAS=$replicas \
    dk stack deploy --prune -c "$ROOT/k8s-free-deploy/stackwarden.yml" -c "$ROOT/k8s-free-deploy/lab.yml" "$STACK" >&2
  await_rollout "${STACKWARDEN_DEPLOY_TIMEOUT:-240}"
  leader=$(await_leader "${STACKWARDEN_DEPLOY_TIMEOUT:-240}")
  say "leader at $leader"
  echo "STACKWARDEN_URLS=$(manager_urls | paste -sd, -)"
  echo "STACKWARDEN_API_TOKEN_FILE=$STATE/api-token"
  echo "STACKWARDEN_WEBHOOK_SECRET_FILE=$STATE/webhook-secret"
}

cmd_undeploy() {
  local node deadline
  say "removing stack $STACK"
  dk stack rm "$STACK" >/dev/null 2>&1 || true
  deadline=$((SECONDS + 120))
  # Every node: the node agent runs on the workers too (and holds its secret until its container is gone).
  for node in "${LAB_NODES[@]}"; do
    while [[ -n "$(docker -H "unix://$LAB_ROOT/$node/docker.sock" ps -aq \
      --filter "label=com.docker.stack.namespace=$STACK" 2>/dev/null)" ]]; do
      ((SECONDS < deadline)) || fail "containers of $STACK still on $node"
      sleep 1
    done
    docker -H "unix://$LAB_ROOT/$node/docker.sock" volume rm "${STACK}_desired" >/dev/null 2>&1 || true
  done
  for name in stackwarden-api-token stackwarden-webhook-secret stackwarden-agent-token; do
    dk secret rm "$name" >/dev/null 2>&1 || true
  done
  # The lease and the saved state outlive `docker stack rm` on purpose (an upgrade keeps them); uninstall ends them.
  dk config rm "$STACK.lease" "$STACK.state" >/dev/null 2>&1 || true
  rm -f "$STATE/api-token" "$STATE/webhook-secret" "$STATE/agent-token"
  say "removed"
}

case "${1:-}" in
  deploy) cmd_deploy ;;
  undeploy) cmd_undeploy ;;
  *) fail "usage: deploy.sh deploy|undeploy" ;;
esac
