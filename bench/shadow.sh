#!/usr/bin/env bash
# Measures the shadow service over MQTT with the hub started as './hearth run' starts it:
#   1. durable updates per second: QoS 1 updates to 10,000 things from 4 clients, each answered on
#      /update/accepted only after its commit;
#   2. latency from publishing an update to receiving its accepted answer at a fixed 500 updates/s:
#      once right after the burst of step 1, and once the disk has written that burst back;
#   3. what 10,000 shadows cost: start to healthy with and without them, and the live heap after a
#      full GC with and without them (after the load, with every shadow touched).
# Usage: bench/shadow.sh   (sizes in BENCH_SHADOW_* variables, see bench/README.md)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
things="${BENCH_SHADOW_THINGS:-10000}"
updates="${BENCH_SHADOW_UPDATES:-200000}"
clients="${BENCH_SHADOW_CLIENTS:-4}"
rate="${BENCH_SHADOW_RATE:-500}"
seconds="${BENCH_SHADOW_SECONDS:-20}"
starts="${BENCH_SHADOW_STARTS:-5}"
http_port="${BENCH_HTTP_PORT:-18080}"
mqtt_port="${BENCH_MQTT_PORT:-18830}"
generator="$root/bench/mqtt-load/target/mqtt-load.jar"
work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-shadow-bench.XXXXXX")"
pid=""

cleanup() {
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$root/hearth" version >/dev/null # builds first if needed, so the build is not timed
if [[ ! -f "$generator" || -n "$(find "$root/bench/mqtt-load/src" -newer "$generator" -print -quit)" ]]; then
  echo "building the load generator..." >&2
  (cd "$root" && mvn -q -B -DskipTests install -pl bench/mqtt-load -am)
fi

now_ms() { date +%s%3N; }

# Starts the hub on data dir $1; sets $elapsed to the milliseconds until health answers 200.
start_hub() {
  local begin code
  begin="$(now_ms)"
  HEARTH_HTTP_PORT="$http_port" HEARTH_MQTT_PORT="$mqtt_port" HEARTH_MQTT_TLS_PORT=0 HEARTH_MQTT_WEBSOCKET_PORT=0 \
    HEARTH_MQTT_ALLOW_ANONYMOUS=true "$root/hearth" run --data-dir "$1" >>"$work/hub.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/api/v1/health" || true)"
    if [[ "$code" == 200 ]]; then
      elapsed=$(( $(now_ms) - begin ))
      return
    fi
    kill -0 "$pid" 2>/dev/null || { tail -20 "$work/hub.log" >&2; echo "shadow.sh: the hub exited" >&2; exit 1; }
    sleep 0.01
  done
  echo "shadow.sh: the hub did not become healthy in 30 s" >&2
  exit 1
}

stop_hub() {
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=""
}

# Live heap in MB after a full GC (the class histogram forces one). The launcher runs the JVM as
# its child on the first start after a build (recording the class-data archive), else execs it.
live_heap_mb() {
  local jvm
  jvm="$(pgrep -P "$pid" java || echo "$pid")"
  jcmd "$jvm" GC.class_histogram 2>/dev/null | awk '/^Total/ {printf "%.1f", $3 / 1048576}'
}


# Waits (at most 120 s) until, for 5 s in a row, the kernel holds less than 8 MB of file data not
# yet on disk. The burst leaves hundreds of MB to write back, and until they are written every sync
# of the journal queues behind them: latency measured then is that of a disk catching up, not of a
# steady 500/s.
settle_disk() {
  local pending quiet=0
  for _ in $(seq 1 240); do
    pending="$(awk '/^(Dirty|Writeback):/ {kb += $2} END {print kb}' /proc/meminfo)"
    if (( pending < 8 * 1024 )); then quiet=$((quiet + 1)); else quiet=0; fi
    (( quiet >= 10 )) && return
    sleep 0.5
  done
}

field() { tr ' ' '\n' | awk -F= -v key="$1" '$1 == key {print $2}'; }

# The first start after a build records the launcher's class-data archive and is slower than any
# later one: get it out of the way so both measured starts are alike.
start_hub "$work/first"
stop_hub

start_hub "$work/empty"
empty_heap="$(live_heap_mb)"
stop_hub

start_hub "$work/data"
throughput="$(java -cp "$generator" io.hearth.bench.ShadowLoad throughput 127.0.0.1 "$mqtt_port" "$things" "$updates" "$clients")"
# The latency client is a JVM too: a young heap large enough that it rarely collects during a run,
# so its own pauses do not count as the hub's.
latency_client=(java -XX:+UseSerialGC -Xms256m -Xmn192m -cp "$generator" io.hearth.bench.ShadowLoad latency 127.0.0.1 "$mqtt_port" 100 "$rate" "$seconds")
after_burst="$("${latency_client[@]}")"
settle_begin="$(now_ms)"
settle_disk
settled_s="$(awk -v ms=$(( $(now_ms) - settle_begin )) 'BEGIN {printf "%.1f", ms / 1000}')"
latency="$("${latency_client[@]}")"
loaded_heap="$(live_heap_mb)"
stop_hub

# One start varies by a few hundred ms on a small machine; alternate the two data dirs and take the
# median of each, so the difference is what the shadows cost and not which start was unlucky.
empty_starts=()
loaded_starts=()
for _ in $(seq 1 "$starts"); do
  start_hub "$work/empty"
  empty_starts+=("$elapsed")
  stop_hub
  start_hub "$work/data"
  loaded_starts+=("$elapsed")
  stop_hub
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
empty_start="$(median "${empty_starts[@]}")"
loaded_start="$(median "${loaded_starts[@]}")"

cat <<REPORT
Hearth $("$root/hearth" version | awk '{print $2}') on $(nproc) cores; shadow service over MQTT 5 (HiveMQ client), QoS 1
durable updates:   $(echo "$throughput" | field accepted_per_s) accepted/s  ($updates updates to $things things from $clients clients; $(echo "$throughput" | field rejected) rejected)
latency at $rate/s: p50 $(echo "$latency" | field p50_us) µs, p99 $(echo "$latency" | field p99_us) µs, max $(echo "$latency" | field max_us) µs  ($(echo "$latency" | field updates) updates over ${seconds} s, once the burst's writeback had drained: ${settled_s} s after the run below)
  right after the burst: p50 $(echo "$after_burst" | field p50_us) µs, p99 $(echo "$after_burst" | field p99_us) µs, max $(echo "$after_burst" | field max_us) µs  (the disk still writing back the burst)
start to healthy:  ${empty_start} ms empty, ${loaded_start} ms with $things shadows: $(( loaded_start - empty_start )) ms for them  (medians of $starts starts each; empty ${empty_starts[*]}, loaded ${loaded_starts[*]})
live heap after GC: ${empty_heap} MB empty, ${loaded_heap} MB with $things shadows ($(awk -v a="$loaded_heap" -v b="$empty_heap" 'BEGIN {printf "%.1f", a - b}') MB for them)
database on disk:  $(du -m "$work/data/hearth.mv.db" | cut -f1) MB after the run
REPORT
