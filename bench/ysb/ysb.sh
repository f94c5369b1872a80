#!/usr/bin/env bash
# The Yahoo Streaming Benchmark on Sluice (bench/README.md, "YSB"): starts a redis-server on a
# free port on 127.0.0.1, and for each batch interval and rate seeds YSB's campaigns, runs
# bench/ysb/ysb_app.cc for --seconds, and reads YSB's latency back from Redis (sluice-ysb
# stats: per campaign and 10 s window, its last write minus the window's end). Prints one JSON
# line per run on stdout, then the summary lines; progress goes to stderr.
#
#   bench/ysb/ysb.sh [--rates 250000,500000,1000000,2000000] [--batch-ms 100,1000] [--seconds 40]
#                    [--warmup-ms 10000] [--receivers 1] [--master 'local[3]'] [--parser scan]
#                    [--build-dir DIR] [--out DIR] [--no-build] [--conf k=v]...
#
# Block interval: a quarter of the batch interval (at least 10 ms), unless a --conf
# streaming.blockInterval=... says otherwise. A run whose events were not all processed
# within 60 s after its schedule's end counts as failed (p99 unknown). The summary: the
# highest rate whose p99 was at most 1000 ms, and at most 100 ms, over every interval run.
#
# --build-dir (default: the repository's build/) and --out (default: bench-out/ysb) are
# relative to the current directory. redis-server and every run are stopped when the script
# exits, whatever the reason.
set -euo pipefail

RATES=250000,500000,1000000,2000000
BATCHES=100,1000
SECONDS_PER_RUN=40
WARMUP_MS=10000
RECEIVERS=1
MASTER='local[3]'
PARSER=scan
BUILD_DIR=""
OUT=""
BUILD=1
CONFS=()
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-300}

usage() { sed -n '8,10p' "$0" | sed 's/^# \{0,1\}//' >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) RATES=${2:?--rates needs a value}; shift 2 ;;
    --batch-ms) BATCHES=${2:?--batch-ms needs a value}; shift 2 ;;
    --seconds) SECONDS_PER_RUN=${2:?--seconds needs a value}; shift 2 ;;
    --warmup-ms) WARMUP_MS=${2:?--warmup-ms needs a value}; shift 2 ;;
    --receivers) RECEIVERS=${2:?--receivers needs a value}; shift 2 ;;
    --master) MASTER=${2:?--master needs a value}; shift 2 ;;
    --parser) PARSER=${2:?--parser needs a value}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?--build-dir needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --conf) CONFS+=(--conf "${2:?--conf needs k=v}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ysb.sh: unknown argument '$1'" >&2; usage; exit 2 ;;
  esac
done
for list in "$RATES" "$BATCHES"; do
  if ! [[ $list =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; then
    echo "ysb.sh: --rates and --batch-ms take comma-separated positive integers, got '$list'" >&2
    exit 2
  fi
done
for v in SECONDS_PER_RUN RECEIVERS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "ysb.sh: ${v,,} must be a positive integer" >&2; exit 2; }
done
[[ $WARMUP_MS =~ ^[0-9]+$ ]] || { echo "ysb.sh: --warmup-ms must be a number" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
TARGETS=(sluice-submit sluice-executor sluice-ysb ysb_app)
if [[ $BUILD -eq 1 ]]; then
  bench_build ysb.sh "$BUILD_DIR" "${TARGETS[@]}" || exit 2
else
  BUILD=$(bench_absolute "${BUILD_DIR:-$ROOT/build}")
  for t in "${TARGETS[@]}"; do
    if [[ ! -x "$BUILD/bin/$t" && ! -f "$BUILD/lib/lib$t.so" ]]; then
      echo "ysb.sh: $t is missing in $BUILD (build without --no-build)" >&2
      exit 2
    fi
  done
fi
bench_out ysb "$OUT"
command -v redis-server >/dev/null || { echo "ysb.sh: redis-server is not installed (scripts/install-deps.sh)" >&2; exit 2; }
command -v redis-cli >/dev/null || { echo "ysb.sh: redis-cli is not installed (scripts/install-deps.sh)" >&2; exit 2; }
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null || true)
log() { echo "[ysb $(date +%H:%M:%S)] $*" >&2; }
[[ "$build_type" == Release ]] || log "warning: $BUILD is a '$build_type' build; figures are for Release"

REDIS_PID="" APP_PID=""
cleanup() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM -- "-$APP_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$APP_PID" 2>/dev/null || true
  fi
  if [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -TERM "$REDIS_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$REDIS_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- Redis on a free port (asked of the kernel; tried again if another process took it) ----
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for _ in 1 2 3 4 5; do
  PORT=$(free_port)
  redis-server --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$OUT" >"$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
    kill -0 "$REDIS_PID" 2>/dev/null || break
    sleep 0.1
  done
  redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
  REDIS_PID=""
done
[[ -n "$REDIS_PID" ]] || { echo "ysb.sh: redis-server did not start (see $OUT/redis.log)" >&2; exit 1; }
REDIS="127.0.0.1:$PORT"
log "redis-server on $REDIS (pid $REDIS_PID)"

# /proc/stat: busy jiffies of all CPUs.
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
conf_has_block_interval() { [[ " ${CONFS[*]-} " == *"streaming.blockInterval="* ]]; }

IFS=, read -r -a rate_list <<<"$RATES"
IFS=, read -r -a batch_list <<<"$BATCHES"
total=$(( ${#rate_list[@]} * ${#batch_list[@]} ))
n=0
results=""
for batch in "${batch_list[@]}"; do
  block=$(( batch / 4 < 10 ? 10 : batch / 4 ))
  block_conf=()
  conf_has_block_interval || block_conf=(--conf "streaming.blockInterval=$block")
  for rate in "${rate_list[@]}"; do
    n=$((n + 1))
    name="b${batch}-r${rate}"
    log "run $n/$total $name: $rate events/s, $batch ms batches, ${SECONDS_PER_RUN} s"
    redis-cli -p "$PORT" flushall >/dev/null
    "$BUILD/bin/sluice-ysb" seed --redis "$REDIS" 2>>"$OUT/$name.err"
    before=$(busy_jiffies)
    rc=0
    setsid timeout -k 5 "$RUN_TIMEOUT" /usr/bin/time -f '%e %U %S' -o "$OUT/$name.time" \
      "$BUILD/bin/sluice-submit" --master "$MASTER" --conf ui.port=0 "${block_conf[@]}" "${CONFS[@]}" \
      "$BUILD/lib/libysb_app.so" --redis "$REDIS" --rate "$rate" --seconds "$SECONDS_PER_RUN" \
      --batch-ms "$batch" --receivers "$RECEIVERS" --parser "$PARSER" \
      >"$OUT/$name.out" 2>"$OUT/$name.err" &
    APP_PID=$!
    wait "$APP_PID" || rc=$?
    APP_PID=""
    after=$(busy_jiffies)
    stats=$("$BUILD/bin/sluice-ysb" stats --redis "$REDIS" --warmup-ms "$WARMUP_MS" 2>>"$OUT/$name.err" || true)
    app=$(grep -m1 '^{' "$OUT/$name.out" || echo '{}')
    line=$(jq -c --argjson app "$app" --arg rc "$rc" --arg time "$(tail -n 1 "$OUT/$name.time" 2>/dev/null)" \
      --arg busy "$(( after - before ))" --arg hz "$(getconf CLK_TCK)" --arg block "${block_conf[1]:-}" '
      ($time | split(" ") | map(tonumber? // 0)) as $t
      | {bench: "ysb", rate, batch_ms, window_ms, block_interval: ($block | sub("streaming.blockInterval="; "")),
         events, processed: $app.processed, all_processed: ($app.processed == .events and $rc == "0"),
         windows, missing, wrong_counts, p50_ms, p90_ms, p99_ms, max_ms,
         process_wall_s: ($t[0] // 0), process_cpu_s: (((($t[1] // 0) + ($t[2] // 0)) * 100 | round) / 100),
         cpu_ns_per_event: (if .events > 0 then ((($t[1] // 0) + ($t[2] // 0)) * 1e9 / .events | floor) else null end),
         machine_busy_cores: (if ($t[0] // 0) > 0 then (($busy | tonumber) / ($hz | tonumber) / $t[0] * 100 | floor) / 100 else null end),
         exit: ($rc | tonumber)}' <<<"${stats:-"{}"}" 2>/dev/null || echo "{\"bench\":\"ysb\",\"run\":\"$name\",\"exit\":$rc,\"error\":\"no stats\"}")
    echo "$line"
    results+="$line"$'\n'
    p99=$(jq -r '.p99_ms // -1' <<<"$line" 2>/dev/null || echo -1)
    log "$name: p99 ${p99} ms, exit $rc"
  done
done

# ---- Summary: the highest rate with p99 <= 1 s and <= 100 ms (a run counts when every event was
# processed, nothing was missing or miscounted, and its p99 is known). ----
summary() {  # summary <bound ms>
  jq -s -c --argjson bound "$1" '
    map(select(.all_processed == true and .missing == 0 and .wrong_counts == 0 and .p99_ms >= 0 and .p99_ms <= $bound))
    | (max_by(.rate) // null) as $best
    | {bench: "ysb-summary", p99_bound_ms: $bound,
       highest_rate: ($best.rate // 0), batch_ms: ($best.batch_ms // null), p99_ms: ($best.p99_ms // null)}' <<<"$results"
}
summary 1000
summary 100
log "done; logs in $OUT"
