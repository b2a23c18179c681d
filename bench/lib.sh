# Shared by the benchmarks: set STACK, call bench_init, then set port once the daemon is started.

ROUNDS=${ROUNDS:-10}
JAR=${JAR:-target/quarkus-app/quarkus-run.jar}

# Checks that the lab and the jar are there, makes the work folder $work with the daemon's $log, and
# on exit stops the daemon ($pid), removes $STACK from the lab and deletes $work.
bench_init() {
  : "${DOCKER_HOST:?run through make bench (needs the lab)}" "${LAB_REGISTRY:?run through make bench}"
  [[ -f $JAR ]] || { echo "no $JAR: run make build" >&2; exit 1; }
  work=$(mktemp -d /tmp/stackwarden-bench.XXXXXX)
  log=$work/daemon.log
  pid=
  trap bench_cleanup EXIT
}
bench_cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  docker stack rm "$STACK" >/dev/null 2>&1 || true
  rm -rf "$work"
}

wait_for() { # wait_for SECONDS COMMAND...: poll every 20 ms
  local end=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < end)) || { echo "timed out: $*" >&2; tail -n 30 "$log" >&2; exit 1; }
    sleep 0.02
  done
}
# A free port below the ephemeral range (32768 and up by default): a port the kernel hands out to clients may sit in
# TIME_WAIT as some connection's local port, and then the daemon cannot listen on it.
free_port() {
  python3 -c '
import random, socket
while True:
    port = random.randrange(20000, 32000)
    s = socket.socket()
    try:
        s.bind(("", port))  # every address: the daemon listens on all
        print(port)
        break
    except OSError:
        pass
    finally:
        s.close()
'
}
ready() { [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready") == 200 ]]; }
writes() { grep -c "stack $STACK: update service" "$log" || true; }
new_write() { [[ $(writes) -gt $1 ]]; }
# The log time of the Nth "update service" write of $STACK, in epoch ms.
write_ms() {
  local line; line=$(grep "stack $STACK: update service" "$log" | sed -n "${1}p")
  date -d "$(cut -c1-23 <<<"$line" | tr , .)" +%s%3N
}
quiet() { # no log line for 2 s: the loop is idle
  local size; size=$(stat -c %s "$log"); sleep 2; [[ $(stat -c %s "$log") == "$size" ]]
}
# min/median/max of the numbers on stdin, one a line.
stats() {
  sort -n | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
    printf "min %d ms  median %d ms  max %d ms\n", v[1], m, v[NR]}'
}
