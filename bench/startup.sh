#!/usr/bin/env bash
# Measures, from outside the process, how long the hub takes from launch to a 200 from
# /api/v1/health, and its resident memory once idle, with every listener on (HTTP, MQTT, MQTT over
# TLS, MQTT over WebSocket). Uses the same launcher and JVM options as
# './hearth run'. Usage: bench/startup.sh [runs] [idle-seconds]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
idle="${2:-20}"
port="${BENCH_HTTP_PORT:-18080}"
mqtt_port="${BENCH_MQTT_PORT:-18830}"
tls_port="${BENCH_TLS_PORT:-18883}"
websocket_port="${BENCH_WEBSOCKET_PORT:-18083}"
work="$(mktemp -d)"
pid=""
cleanup() {
  [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$root/hearth" version >/dev/null # builds first if needed, so the build is not timed

now_ms() { date +%s%3N; }

# Starts the hub on $1 and sets $elapsed to the milliseconds until health answers 200.
start_and_time() {
  local dir="$1" begin code
  begin="$(now_ms)"
  HEARTH_HTTP_PORT="$port" HEARTH_MQTT_PORT="$mqtt_port" HEARTH_MQTT_TLS_PORT="$tls_port" \
    HEARTH_MQTT_WEBSOCKET_PORT="$websocket_port" \
    "$root/hearth" run --data-dir "$dir" >"$work/hub.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1000); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/health" || true)"
    if [[ "$code" == 200 ]]; then
      elapsed=$(( $(now_ms) - begin ))
      return
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/hub.log" >&2; echo "the hub exited" >&2; exit 1; }
    sleep 0.01
  done
  echo "the hub did not become healthy in 10 s" >&2
  exit 1
}

stop_hub() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

first=()
again=()
for i in $(seq 1 "$runs"); do
  dir="$work/data-$i"
  start_and_time "$dir"
  first+=("$elapsed")
  stop_hub
  start_and_time "$dir"
  again+=("$elapsed")
  if [[ "$i" == "$runs" ]]; then
    sleep "$idle"
    rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
    threads="$(awk '/Threads/ {print $2}' "/proc/$pid/status")"
  fi
  stop_hub
done

echo "Hearth $("$root/hearth" version | awk '{print $2}') on $(nproc) cores, $runs runs"
echo "start to healthy, new data dir:      median $(printf '%s\n' "${first[@]}" | median) ms  (${first[*]})"
echo "start to healthy, existing data dir: median $(printf '%s\n' "${again[@]}" | median) ms  (${again[*]})"
echo "idle resident memory after ${idle} s:   $((rss_kb / 1024)) MB, $threads threads"
