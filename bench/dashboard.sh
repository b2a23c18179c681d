#!/usr/bin/env bash
# The dashboard with STACKS stacks (default 300) of one service each (replicas 0, so no task starts), reconciled by
# the packaged daemon on the lab (resolveImage never, prune off, resync 1 h, reads open):
#   page: the list (/) in headless Chromium (Debian's, through chromedriver), ROUNDS loads (default 10), each in a
#         fresh browser (cold cache): ms from the navigation's start to the page's mark stackwarden:stacks-rendered
#         (the list fetched and all rows in the DOM), and the API call's time and size in the page
#   api:  GET /api/v1/stacks by curl, 20 times: a full answer, and a 304 for an unchanged list (If-None-Match)
#   files: the page's own files (HTML, CSS, JS) by curl
# Needs the packaged jar and the lab (make bench does both) and the browser (make browser).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STACKS=${STACKS:-300}
STACK=dbnone # bench_init's cleanup removes $STACK; the stacks here are removed by remove_stacks
bench_init
for program in /usr/bin/chromium /usr/bin/chromedriver; do
  [[ -x $program ]] || { echo "no $program: run make browser" >&2; exit 1; }
done
driver_pid=
# Services first; a network is removable once the swarm let go of its services, so that is tried until none is left.
# (The engine's name filter of networks misses them: the names are matched here.)
ours() { docker "$1" ls --format '{{.ID}} {{.Name}}' | awk '$2 ~ /^dbench[0-9]+_/ {print $1}'; }
gone() {
  ours service | xargs -r docker service rm >/dev/null 2>&1 || true
  ours network | xargs -r docker network rm >/dev/null 2>&1 || true
  [[ -z $(ours service) && -z $(ours network) ]]
}
remove_stacks() { wait_for 120 gone; }
trap '[[ -n $driver_pid ]] && kill $driver_pid 2>/dev/null; bench_cleanup; remove_stacks' EXIT

desired=$work/desired
mkdir -p "$desired"
echo "defaults: {resolveImage: never, prune: false}" >"$desired/stackwarden.yaml"
for ((i = 1; i <= STACKS; i++)); do
  mkdir -p "$desired/dbench$i"
  printf 'services:\n  app: {image: %s/stackwarden-lab/sleep:1, environment: {N: "%d"}, deploy: {replicas: 0}}\n' \
    "$LAB_REGISTRY" "$i" >"$desired/dbench$i/compose.yaml"
done

port=$(free_port)
t0=$(date +%s%3N)
# One instance with its state in memory (leader election off): statuses saved in the lab by an earlier run would
# add that run's stacks to the page.
STACKWARDEN_DESIRED_DIR=$desired STACKWARDEN_API_READ_REQUIRES_TOKEN=false STACKWARDEN_RESYNC_INTERVAL=1h \
  STACKWARDEN_LEADER_ENABLED=false QUARKUS_HTTP_PORT=$port java -jar "$JAR" >"$log" 2>&1 &
pid=$!
api=http://127.0.0.1:$port/api/v1
synced() {
  local n
  n=$(curl -s "$api/stacks" | python3 -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin)
    if s["sync"] == "Synced" and s["health"] == "Healthy"))' 2>/dev/null || echo 0)
  [[ $n -ge $STACKS ]]
}
wait_for 120 ready
wait_for 170 synced
echo "$STACKS stacks Synced and Healthy $(($(date +%s%3N) - t0)) ms after java -jar"

ms_column() { awk -v c="$1" '{printf "%d\n", $c + 0.5}'; }

# The page, in a fresh headless Chromium per round.
driver_port=$(free_port)
/usr/bin/chromedriver --port="$driver_port" >"$work/chromedriver.log" 2>&1 &
driver_pid=$!
wait_for 20 curl -sf "http://127.0.0.1:$driver_port/status" -o /dev/null
python3 "$(dirname "$0")/pageload.py" "http://127.0.0.1:$driver_port" "http://127.0.0.1:$port/" "$ROUNDS" >"$work/page.txt"
rows=$(awk '{print $4}' "$work/page.txt" | sort -u | tr '\n' ' ')
[[ $rows == "$STACKS " ]] || { echo "the page showed $rows rows, not $STACKS" >&2; exit 1; }
json_sent=$(awk 'NR == 1 {print $3}' "$work/page.txt")
json_bytes=$(awk 'NR == 1 {print $8}' "$work/page.txt")

# The API alone, by curl.
curl_ms() { curl -s -o /dev/null -w '%{time_total}\n' "$@" | awk '{printf "%d\n", $1 * 1000 + 0.5}'; }
etag=$(curl -s -D - -o /dev/null "$api/stacks" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
full=$(for ((i = 0; i < 20; i++)); do curl_ms "$api/stacks"; done | stats)
unchanged=$(for ((i = 0; i < 20; i++)); do curl_ms -H "If-None-Match: $etag" "$api/stacks"; done | stats)
files=0
for f in / /dashboard/list.js /dashboard/common.js /dashboard/dashboard.css; do
  files=$((files + $(curl -s "http://127.0.0.1:$port$f" | wc -c)))
done

echo
echo "Dashboard with $STACKS stacks ($ROUNDS page loads, each in a fresh headless Chromium):"
echo "| What | min / median / max |"
echo "|---|---|"
echo "| page: navigation start to all $STACKS rows in the DOM | $(ms_column 1 <"$work/page.txt" | stats) |"
echo "| page: HTML received | $(ms_column 5 <"$work/page.txt" | stats) |"
echo "| page: GET /api/v1/stacks sent (its scripts loaded and run) | $(ms_column 6 <"$work/page.txt" | stats) |"
echo "| page: its answer received | $(ms_column 7 <"$work/page.txt" | stats) |"
echo "| page: its GET /api/v1/stacks ($((json_bytes / 1024)) KiB of JSON, $((json_sent / 1024)) KiB gzipped) | $(ms_column 2 <"$work/page.txt" | stats) |"
echo "| curl: GET /api/v1/stacks, full answer (20 calls) | $full |"
echo "| curl: GET /api/v1/stacks, unchanged: 304 (20 calls) | $unchanged |"
echo "(the page's own files: $((files / 1024)) KiB of HTML, CSS and JS, uncompressed)"
