#!/usr/bin/env bash
# Runs the same MQTT load scenarios against Hearth's broker and against Mosquitto, in one run, with
# one load generator (bench/mqtt-load, its own JVM), and prints both figures and their ratio.
# Usage: bench/mqtt.sh [SCENARIO...]   (1..6, default all; sizes in BENCH_* variables, see bench/README.md)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
generator="$root/bench/mqtt-load/target/mqtt-load.jar"

scenarios=("$@")
[[ ${#scenarios[@]} -gt 0 ]] || scenarios=(1 2 3 4 5 6)
qos1_messages="${BENCH_QOS1_MESSAGES:-25000}"     # per publisher, 4 publishers
qos0_messages="${BENCH_QOS0_MESSAGES:-100000}"    # per publisher, 4 publishers
fanout_messages="${BENCH_FANOUT_MESSAGES:-50000}" # to each of 4 subscribers
latency_rate="${BENCH_LATENCY_RATE:-5000}"
latency_seconds="${BENCH_LATENCY_SECONDS:-20}"    # measured per broker
latency_warmup_s="${BENCH_LATENCY_WARMUP_S:-10}" # unmeasured, before the measured seconds
offline_messages="${BENCH_OFFLINE_MESSAGES:-10000}" # Hearth's session quota is raised to match when larger
connections="${BENCH_CONNECTIONS:-10000}"
timeout_s="${BENCH_TIMEOUT_S:-90}"                # per scenario and broker
repeat="${BENCH_REPEAT:-1}"                       # rounds; the table shows each figure's median
warmup="${BENCH_WARMUP:-1}"                       # 1: one unmeasured, smaller pass per broker first

fail() {
  echo "mqtt.sh: $*" >&2
  exit 1
}

[[ "$repeat" =~ ^[1-9][0-9]?$ ]] || fail "BENCH_REPEAT must be 1..99"
[[ "$warmup" =~ ^[01]$ ]] || fail "BENCH_WARMUP must be 0 or 1"
for s in "${scenarios[@]}"; do
  [[ "$s" =~ ^[1-6]$ ]] || fail "unknown scenario '$s' (1..6)"
done
command -v mosquitto >/dev/null || PATH="$PATH:/usr/sbin"
command -v mosquitto >/dev/null || fail "mosquitto is not installed (Debian: apt-get install mosquitto)"

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-mqtt-bench.XXXXXX")"
hearth_pid="" # the ./hearth launcher; the JVM is hearth_jvm (the launcher may not exec it)
hearth_jvm=""
hearth_starts=0
gc_log="" # the current Hearth JVM's GC log: its pauses explain latency outliers
mosquitto_pid=""
mosquitto_watch_pid="" # mosquitto_sub following Mosquitto's drop counter

stop_hearth() {
  [[ -n "$hearth_pid" ]] || return 0
  kill -TERM "$hearth_pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$hearth_pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$hearth_pid" 2>/dev/null; then
    kill -KILL "$hearth_jvm" "$hearth_pid" 2>/dev/null || true
  fi
  wait "$hearth_pid" 2>/dev/null || true
  hearth_pid=""
  hearth_jvm=""
}

stop_mosquitto() {
  if [[ -n "$mosquitto_watch_pid" ]]; then
    kill -TERM "$mosquitto_watch_pid" 2>/dev/null || true
    wait "$mosquitto_watch_pid" 2>/dev/null || true
    mosquitto_watch_pid=""
  fi
  [[ -n "$mosquitto_pid" ]] || return 0
  kill -TERM "$mosquitto_pid" 2>/dev/null || true
  wait "$mosquitto_pid" 2>/dev/null || true
  mosquitto_pid=""
}

cleanup() {
  stop_hearth
  stop_mosquitto
  if [[ -n "${BENCH_KEEP:-}" ]]; then
    echo "Logs and results kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# 10,000 idle connections need a descriptor each in the broker and in the generator.
needed=$((connections + 1024))
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt "$needed" ]]; then
  ulimit -n "$needed" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  [[ "$(ulimit -n)" -ge "$needed" ]] || echo "mqtt.sh: only $(ulimit -n) open files allowed; scenario 6 may fall short" >&2
fi

# A port nobody listens on, outside the ephemeral range the clients' own ports come from.
taken_ports=" "
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    if [[ "$taken_ports" != *" $port "* ]] && ! ss -Htln "sport = :$port" | grep -q .; then
      taken_ports+="$port "
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

mqtt_port_hearth="$(free_port)"
http_port="$(free_port)"
mqtt_port_mosquitto="$(free_port)"

# ---- build ---------------------------------------------------------------------------------

"$root/hearth" version >/dev/null # builds the hub (and this generator) when a source changed
if [[ ! -f "$generator" ]] || [[ -n "$(find "$root/bench/mqtt-load" -path '*/target' -prune -o -type f -newer "$generator" -print -quit)" ]]; then
  echo "Building the load generator…" >&2
  (cd "$root" && mvn -q -B -DskipTests -pl bench/mqtt-load -am install) >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log" >&2; fail "the generator did not build"; }
fi

# ---- brokers -------------------------------------------------------------------------------

start_mosquitto() {
  # Limits raised so Mosquitto neither drops queued QoS 0/1 messages nor throttles in-flight ones;
  # start_hearth raises Hearth's two limits to match. The comparison is of throughput, not of quotas.
  cat >"$work/mosquitto.conf" <<EOF
listener $mqtt_port_mosquitto 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 1000000
max_inflight_messages 0
sys_interval 1
connection_messages false
log_dest stdout
log_type error
log_type warning
EOF
  mosquitto -c "$work/mosquitto.conf" >>"$work/mosquitto.log" 2>&1 &
  mosquitto_pid=$!
  for _ in $(seq 1 100); do
    ss -Htln "sport = :$mqtt_port_mosquitto" | grep -q . && break
    kill -0 "$mosquitto_pid" 2>/dev/null || { cat "$work/mosquitto.log" >&2; fail "mosquitto exited"; }
    sleep 0.05
  done
  # Mosquitto publishes its drop counter (retained) only when it changes. A subscription kept for
  # the whole run sees every change; a fresh one per scenario does not: after some heavy scenarios
  # Mosquitto 2.0.11 stopped handing out that retained value ("Timed out" with other $SYS topics fine).
  : >"$work/mosquitto-dropped.txt"
  mosquitto_sub -p "$mqtt_port_mosquitto" -t '$SYS/broker/publish/messages/dropped' \
    >"$work/mosquitto-dropped.txt" 2>/dev/null &
  mosquitto_watch_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "$work/mosquitto-dropped.txt" ]] && return
    sleep 0.05
  done
  fail "mosquitto did not answer within 5 s"
}

start_hearth() {
  hearth_starts=$((hearth_starts + 1))
  gc_log="$work/hearth-gc-$hearth_starts.log"
  HEARTH_JAVA_OPTS="${HEARTH_JAVA_OPTS:-} -Xlog:gc:file=$gc_log" HEARTH_MQTT_ALLOW_ANONYMOUS=true HEARTH_MQTT_PORT="$mqtt_port_hearth" HEARTH_HTTP_PORT="$http_port" \
    HEARTH_MQTT_TLS_PORT=0 HEARTH_MQTT_WEBSOCKET_PORT=0 HEARTH_MQTT_CONNECT_RATE_LIMIT=0 \
    HEARTH_MQTT_MAX_QUEUED_MESSAGES="$((offline_messages > 10000 ? offline_messages : 10000))" \
    HEARTH_MQTT_MAX_QOS0_BACKLOG=$((64 * 1024 * 1024)) \
    "$root/hearth" run --data-dir "$work/hearth-data" >>"$work/hearth.log" 2>&1 &
  hearth_pid=$!
  local code
  for _ in $(seq 1 600); do
    code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/api/v1/health" || true)"
    if [[ "$code" == 200 ]]; then
      # The launcher execs the JVM, except on the first run after a build, when it waits for it.
      if [[ "$(cat "/proc/$hearth_pid/comm")" == java ]]; then
        hearth_jvm="$hearth_pid"
      else
        hearth_jvm="$(ps -o pid= --ppid "$hearth_pid" | tr -d ' ' | head -n 1)"
      fi
      return
    fi
    kill -0 "$hearth_pid" 2>/dev/null || { tail -n 30 "$work/hearth.log" >&2; fail "Hearth exited while starting"; }
    sleep 0.1
  done
  fail "Hearth was not healthy within 60 s"
}

# The broker's own count of messages it did not deliver (Hearth: health 'dropped'; Mosquitto: $SYS).
dropped_count() {
  if [[ "$1" == Hearth ]]; then
    curl -s "http://127.0.0.1:$http_port/api/v1/health" | grep -o '"dropped":[0-9]*' | head -n 1 | cut -d: -f2 || true
  else
    tail -n 1 "$work/mosquitto-dropped.txt"
  fi
}

# CPU time (clock ticks) a process has used so far.
cpu_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

# CPU time (nanoseconds) a process's live threads have used so far.
cpu_ns() {
  local total=0 used _ task
  for task in /proc/"$1"/task/*/schedstat; do
    read -r used _ 2>/dev/null <"$task" || continue
    total=$((total + used))
  done
  echo "$total"
}

# CPU time, in ns, of the JIT compiler threads of JVM $1 (their names start with C1 or C2).
compiler_ns() {
  local total=0 used _ task name
  for task in /proc/"$1"/task/*; do
    read -r name 2>/dev/null <"$task/comm" || continue
    [[ "$name" == C[12]\ Compiler* ]] || continue
    read -r used _ 2>/dev/null <"$task/schedstat" || continue
    total=$((total + used))
  done
  echo "$total"
}

# Waits (at most 10 s) until neither broker uses more than 5% of a core, so one broker's leftover
# work (garbage collection, compilation, draining) does not slow the other's run.
settle() {
  local hz before after pid
  hz="$(getconf CLK_TCK)"
  for _ in $(seq 1 20); do
    before=0 after=0
    for pid in $hearth_jvm $mosquitto_pid; do before=$((before + $(cpu_ticks "$pid"))); done
    sleep 0.5
    for pid in $hearth_jvm $mosquitto_pid; do after=$((after + $(cpu_ticks "$pid"))); done
    # 5% of one core over 0.5 s is hz / 40 ticks.
    if (( (after - before) * 40 <= hz )); then
      return 0
    fi
  done
  return 0
}

# How busy the whole machine is (percent of all cores) over one second: other work skews every figure.
machine_busy() {
  local a b
  read -r -a a < <(head -n 1 /proc/stat)
  sleep 1
  read -r -a b < <(head -n 1 /proc/stat)
  local total=0 idle=$(( (b[4] - a[4]) + (b[5] - a[5]) )) i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

busy_before="$(machine_busy)"

start_hearth
start_mosquitto

# ---- scenarios -----------------------------------------------------------------------------

names=([1]=qos1-fan-in [2]=qos0-fan-in [3]=qos0-fan-out [4]=latency [5]=offline-session [6]=idle-connections)
results="$work/results.tsv" # broker, key, label, value
: >"$results"
: >"$work/notes.txt"

port_of() {
  if [[ "$1" == Hearth ]]; then echo "$mqtt_port_hearth"; else echo "$mqtt_port_mosquitto"; fi
}

pid_of() {
  if [[ "$1" == Hearth ]]; then echo "$hearth_jvm"; else echo "$mosquitto_pid"; fi
}

# Runs scenario $1 against broker $2. With a third argument (scenario 4), one generator sends to
# brokers $2 and $3 in turn, message by message, so both are measured through the same moments.
run_scenario() {
  local number="$1" brokers=("${@:2}") broker status=0
  if ! kill -0 "$hearth_pid" 2>/dev/null; then
    echo "Hearth: not running before scenario $number; restarted it" >>"$work/notes.txt"
    start_hearth
  fi
  local options=(--port "$(port_of "${brokers[0]}")" --timeout-s "$timeout_s") published=0
  [[ ${#brokers[@]} == 2 ]] && options+=(--compare-port "$(port_of "${brokers[1]}")")
  case "$number" in
    1) options+=(--messages "$qos1_messages") published=$((4 * qos1_messages)) ;;
    2) options+=(--messages "$qos0_messages") published=$((4 * qos0_messages)) ;;
    3) options+=(--messages "$fanout_messages") published="$fanout_messages" ;;
    4) options+=(--rate "$latency_rate" --seconds "$latency_seconds" --warmup-s "$latency_warmup_s")
       published=$((latency_rate * (latency_seconds + latency_warmup_s))) ;; # per broker
    5) options+=(--messages "$offline_messages") published="$offline_messages" ;;
    6) options+=(--connections "$connections" --broker-pid "$(pid_of "${brokers[0]}")") ;;
  esac
  echo "  scenario $number (${names[$number]}) on ${brokers[*]}…" >&2
  settle
  local -A before cpu_before
  local gc_lines=0 compiler_before
  for broker in "${brokers[@]}"; do
    before[$broker]="$(dropped_count "$broker")"
    cpu_before[$broker]="$(cpu_ns "$(pid_of "$broker")")"
  done
  [[ -f "$gc_log" ]] && gc_lines="$(wc -l <"$gc_log")"
  compiler_before="$(compiler_ns "$hearth_jvm")"
  timeout $((timeout_s + 60)) java -Xmx1g -jar "$generator" "${names[$number]}" "${options[@]}" \
    >"$work/out.txt" 2>"$work/err.txt" || status=$?
  local line=RESULT
  for broker in "${brokers[@]}"; do
    local cpu_used=$(($(cpu_ns "$(pid_of "$broker")") - cpu_before[$broker]))
    if [[ "$broker" == Hearth && "$number" != 6 ]]; then
      # Compiling competes with the load for the two cores: a figure measured while the JIT was
      # busy shows a hub still warming up to this load rather than one that has been running.
      awk -v n="$number" -v ns="$(($(compiler_ns "$hearth_jvm") - compiler_before))" \
        'BEGIN { printf "Hearth\ts%s.jit\t%s Hearth: CPU of its JIT compiler during the scenario, ms\t%.0f\n", n, n, ns / 1e6 }' >>"$results"
    fi
    local after
    after="$(dropped_count "$broker")"
    awk -v b="$broker" -v line="$line" -F'\t' '$1 == line {print b "\t" $2 "\t" $3 "\t" $4}' "$work/out.txt" >>"$results"
    line=COMPARED
    if (( published > 0 )); then
      # The broker's whole CPU cost, every thread. On two cores the generator's threads wait for it,
      # so at a fixed rate the latency follows it closely.
      awk -v b="$broker" -v n="$number" -v ns="$cpu_used" -v m="$published" \
        'BEGIN { printf "%s\ts%s.cpu\t%s broker CPU per message published, us\t%.2f\n", b, n, n, ns / m / 1000 }' >>"$results"
    fi
    if [[ -n "${before[$broker]}" && -n "$after" ]]; then
      printf "%s\ts%s.dropped\t%s broker's own drop counter (during the scenario)\t%s\n" "$broker" "$number" "$number" \
        "$((after - before[$broker]))" >>"$results"
      if [[ "$broker" == Hearth && "$after" != "${before[$broker]}" ]]; then
        echo "Hearth dropped $((after - before[$broker])) in scenario $number; all drops so far by reason:" \
          "$(curl -s "http://127.0.0.1:$http_port/api/v1/health" | grep -o '"droppedBecause":{[^}]*}')" >>"$work/notes.txt"
      fi
    fi
    if [[ "$broker" == Hearth && "$number" != 6 && -f "$gc_log" ]]; then # 6 forces full GCs itself
      tail -n +"$((gc_lines + 1))" "$gc_log" | awk -v n="$number" '
        / Pause / { ms = $NF; sub(/ms$/, "", ms); if (ms + 0 > max) max = ms + 0 }
        END { printf "Hearth\ts%s.gc\t%s Hearth: longest GC pause during the scenario, ms\t%.1f\n", n, n, max }' >>"$results"
    fi
    if [[ "$status" != 0 ]]; then
      printf '%s\ts%s.status\t%s  run\tFAILED(exit %s)\n' "$broker" "$number" "$number" "$status" >>"$results"
    fi
  done
  sed "s/^/${brokers[*]}, scenario $number: /" "$work/err.txt" >>"$work/notes.txt"
  if ! kill -0 "$hearth_pid" 2>/dev/null; then
    echo "Hearth: the broker process exited during scenario $number" >>"$work/notes.txt"
  fi
}

# A JVM compiles its hot paths during its first seconds of load, on the same two cores the load
# runs on. The figures are meant for a hub that has been running, so both brokers first get the
# same smaller, unmeasured pass of the message scenarios (Mosquitto gains nothing from it).
warm_up() {
  [[ "$warmup" == 1 ]] || return 0
  echo "  warm-up pass (not measured)…" >&2
  local broker run
  for broker in Hearth Mosquitto; do
    # The full-size fan-in and the second latency run are there because the JIT recompiles the
    # one-message path once more after a full fan-in (3 s of compiling in the next latency run).
    # The durable path runs through much of H2, which took over a second of compiling inside each
    # measured 10,000-message scenario 5 after a 5,000-message pass; 30,000 leave far less.
    for run in "qos1-fan-in --messages 10000" "qos0-fan-in --messages 20000" "latency --seconds 20" \
        "offline-session --messages 30000" "qos1-fan-in --messages $qos1_messages" "latency --seconds 10"; do
      # shellcheck disable=SC2086 # the scenario and its options, split on purpose
      timeout $((timeout_s + 60)) java -Xmx1g -jar "$generator" $run --port "$(port_of "$broker")" --timeout-s "$timeout_s" \
        >/dev/null 2>>"$work/warmup.txt" || echo "$broker: warm-up '$run' failed" >>"$work/notes.txt"
    done
  done
}

echo "Running scenarios ${scenarios[*]}, $repeat round(s) (Hearth MQTT :$mqtt_port_hearth, Mosquitto :$mqtt_port_mosquitto)" >&2
ran=0
fresh=1 # the brokers have just started and have not been warmed up
for round in $(seq 1 "$repeat"); do
  # Alternate which broker goes first, so neither always runs right after the other's load.
  if (( round % 2 == 1 )); then order=(Hearth Mosquitto); else order=(Mosquitto Hearth); fi
  for number in "${scenarios[@]}"; do
    if [[ "$number" == 6 && "$ran" == 1 ]]; then
      # Memory growth is measured on fresh processes: buffers left from earlier scenarios would hide it.
      stop_hearth
      stop_mosquitto
      start_hearth
      start_mosquitto
      fresh=1
    elif [[ "$number" != 6 && "$fresh" == 1 ]]; then
      # Also after scenario 6's restart: the next round would otherwise measure a cold JVM again.
      warm_up
      fresh=0
    fi
    if [[ "$number" == 4 ]]; then
      run_scenario 4 "${order[@]}"
    else
      for broker in "${order[@]}"; do
        run_scenario "$number" "$broker"
      done
    fi
    ran=1
  done
done

# ---- report --------------------------------------------------------------------------------

echo
echo "Hearth $("$root/hearth" version 2>/dev/null | awk '{print $2}') vs $(mosquitto -h 2>/dev/null | head -n 1);" \
  "$(nproc) cores, loopback, 64-byte payloads, MQTT 3.1.1, generator: HiveMQ MQTT client in its own JVM"
echo "machine busy before the run: ${busy_before}% of all cores; rounds: $repeat (figures are medians;" \
  "losses, drops and counts of what arrived are the worst round)"
awk -F'\t' '
  function numeric(v) { return v ~ /^-?[0-9.]+$/ }
  function show(v) {
    if (v == "") return "-"
    if (!numeric(v)) return v
    if (v + 0 >= 100 || v == int(v)) return sprintf("%.0f", v)
    return (v + 0 < 1 && v + 0 > -1) ? sprintf("%.2f", v) : sprintf("%.1f", v)
  }
  # The median of the rounds; a failed round ("FAILED(...)") wins, so a failure is never hidden.
  function median(list,   parts, n, i, j, t) {
    n = split(list, parts, SUBSEP)
    for (i = 1; i <= n; i++) if (!numeric(parts[i])) return parts[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && parts[j - 1] + 0 > parts[j] + 0; j--) {
      t = parts[j]; parts[j] = parts[j - 1]; parts[j - 1] = t
    }
    return n % 2 ? parts[(n + 1) / 2] : (parts[n / 2] + parts[n / 2 + 1]) / 2
  }
  # Losses and drops are never hidden by a median: those rows show the worst round.
  function worst(key, list,   parts, n, i, w) {
    n = split(list, parts, SUBSEP)
    for (i = 1; i <= n; i++) if (!numeric(parts[i])) return parts[i]
    w = parts[1]
    for (i = 2; i <= n; i++) {
      if (key ~ /\.(lost|dropped)$/ ? parts[i] + 0 > w + 0 : parts[i] + 0 < w + 0) w = parts[i]
    }
    return w
  }
  function summary(key, list) {
    return key ~ /\.(lost|dropped|delivered|kept|connected)$/ ? worst(key, list) : median(list)
  }
  !($2 in label) { order[++n] = $2; label[$2] = $3 }
  {
    seen = ($1, $2) in values # asked first: some awks create the element on assignment before the test
    values[$1, $2] = seen ? values[$1, $2] SUBSEP $4 : $4
  }
  END {
    printf "| %-78s | %14s | %14s | %7s |\n", "scenario", "Hearth", "Mosquitto", "ratio"
    printf "|%s|%s|%s|%s|\n", "--------------------------------------------------------------------------------",
      "----------------:", "----------------:", "--------:"
    for (i = 1; i <= n; i++) {
      k = order[i]
      h = (("Hearth", k) in values) ? summary(k, values["Hearth", k]) : ""
      m = (("Mosquitto", k) in values) ? summary(k, values["Mosquitto", k]) : ""
      ratio = (numeric(h) && numeric(m) && m + 0 != 0) ? sprintf("%.2f", h / m) : "-"
      printf "| %-78s | %14s | %14s | %7s |\n", label[k], show(h), show(m), ratio
    }
  }' "$results"
echo "ratio = Hearth / Mosquitto (above 1 is better for msg/s, worse for latency, bytes and losses)"

if [[ -s "$work/notes.txt" ]]; then
  echo
  echo "Notes from the generator and the run:"
  sed 's/^/  /' "$work/notes.txt"
fi
hearth_problems=' (WARN|ERROR) |OutOfMemoryError|Exception in thread'
if grep -qE "$hearth_problems" "$work/hearth.log"; then
  echo
  echo "Hearth log, warnings and errors (first 20):"
  grep -E "$hearth_problems" "$work/hearth.log" | head -n 20 | sed 's/^/  /'
fi
if [[ -s "$work/mosquitto.log" ]]; then
  echo
  echo "Mosquitto log (first 20 lines):"
  head -n 20 "$work/mosquitto.log" | sed 's/^/  /'
fi
