#!/usr/bin/env bash
# Slow clients against the HTTP layer: SLOW connections each send a webhook's headers and part of its body,
# then stall (reconnecting 10 ms after the server cuts them off), while FAST clients (from another address)
# keep calling liveness, the API and a signed webhook. Printed: per endpoint, calls, failures and latency (median, p99, max), and how
# the slow ones ended. No lab needed: the daemon runs against an engine that is not there (alive, not ready).
# Runs twice: without the per-client limit (every slow client is served: the worker pool must not be the
# bottleneck), then with the default limit of 32 requests per client (the rest get 429 at once).
# SLOW (400), FAST (8), SECONDS_EACH (20). Needs the packaged jar (make build).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SLOW=${SLOW:-400}
FAST=${FAST:-8}
SECONDS_EACH=${SECONDS_EACH:-20}
[[ -f $JAR ]] || { echo "no $JAR: run make build" >&2; exit 1; }
work=$(mktemp -d /tmp/stackwarden-bench.XXXXXX)
log=$work/daemon.log
pid=
trap '[[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/desired/web"
printf 'services:\n  app: {image: busybox}\n' >"$work/desired/web/compose.yaml"
printf 'bench-token' >"$work/token"
printf 'bench-secret' >"$work/secret"

# Without an engine no lease can be held: a lone instance (leader election off) acts, as one without a swarm would.
run() { # run LIMIT
  port=$(free_port)
  QUARKUS_HTTP_PORT=$port STACKWARDEN_DESIRED_DIR="$work/desired" STACKWARDEN_DOCKER_HOST=unix:///nonexistent/docker.sock \
    STACKWARDEN_API_TOKEN_FILE="$work/token" STACKWARDEN_WEBHOOKS_SECRET_FILE="$work/secret" \
    STACKWARDEN_HTTP_MAX_REQUESTS_PER_CLIENT=$1 STACKWARDEN_LEADER_ENABLED=false java -jar "$JAR" >"$log" 2>&1 &
  pid=$!
  wait_for 60 live
  echo "== $SLOW slow + $FAST fast clients for $SECONDS_EACH s, stackwarden.http.max-requests-per-client=$1"
  python3 - "$port" "$SLOW" "$FAST" "$SECONDS_EACH" <<'PY'
import hashlib, hmac, http.client, json, socket, sys, threading, time
port, slow, fast, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
end = time.monotonic() + seconds
lock = threading.Lock()
calls = {}            # endpoint -> list of (ok, ms)
endings = {}          # how slow requests ended: status line or error
def record(table, key, value):
    with lock:
        table.setdefault(key, []).append(value)

def slow_client():
    while time.monotonic() < end:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=seconds + 15)
            s.sendall(b"POST /api/v1/webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      b"X-GitHub-Event: push\r\nX-Hub-Signature-256: sha256=" + b"0" * 64 +
                      b"\r\nContent-Length: 1000\r\n\r\n{\"ref\": \"r")
            line = s.makefile("rb").readline().decode(errors="replace").strip()
            record(endings, " ".join(line.split()[:2]) or "closed", 1)
            s.close()
            time.sleep(0.01)  # a bounded client: it comes back, but not in a busy loop
        except OSError as e:
            record(endings, type(e).__name__, 1)
            time.sleep(0.1)

body = json.dumps({"ref": "refs/heads/main", "after": "4c2a9e1f0b3d5a7c9e1f2a3b4c5d6e7f8a9b0c1d"}).encode()
signature = "sha256=" + hmac.new(b"bench-secret", body, hashlib.sha256).hexdigest()
# (name, method, path, body, headers); the fast clients come from another address (127.0.0.2) than the slow ones.
requests = [
    ("GET /q/health/live", "GET", "/q/health/live", None, {}),
    ("GET /api/v1/stacks", "GET", "/api/v1/stacks", None, {"Authorization": "Bearer bench-token"}),
    ("POST /api/v1/webhooks/generic", "POST", "/api/v1/webhooks/generic", body,
     {"Content-Type": "application/json", "X-Stackwarden-Signature": signature}),
]
def fast_client(i):
    n = i
    while time.monotonic() < end:
        name, method, path, data, headers = requests[n % len(requests)]
        n += 1
        start = time.monotonic()
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.2", 0))
            c.request(method, path, body=data, headers=headers)
            ok = c.getresponse().status < 300
            c.close()
        except Exception:
            ok = False
        record(calls, name, (ok, (time.monotonic() - start) * 1000))
        time.sleep(0.02)

threads = [threading.Thread(target=slow_client, daemon=True) for _ in range(slow)]
for t in threads: t.start()
time.sleep(2)  # let the slow ones connect first
fast_threads = [threading.Thread(target=fast_client, args=(i,)) for i in range(fast)]
for t in fast_threads: t.start()
for t in fast_threads: t.join()
for name, results in sorted(calls.items()):
    ms = sorted(m for _, m in results)
    failed = sum(1 for ok, _ in results if not ok)
    print(f"  {name:32} {len(results):6} calls {failed:4} failed   median {ms[len(ms)//2]:7.1f} ms"
          f"   p99 {ms[int(len(ms)*0.99)]:7.1f} ms   max {ms[-1]:7.1f} ms")
print("  slow requests ended: " + ", ".join(f"{k} x{len(v)}" for k, v in sorted(endings.items())))
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}
live() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/live") == 200 ]]; }

run 0
run 32
