#!/usr/bin/env bash
# The cost of the receiver write-ahead log (issue 6): word count from the socket receiver
# (examples/network_word_count.cc fed by sluice-gen as fast as it reads) on
# local-cluster[2,2,1024], once with the WAL off (each block replicated to a second
# executor, Spark's default _2 storage level) and once with it on (wal.fsync=group, no
# replica), in one run. Prints one JSON line per run and the throughput ratio on stdout
# (target: WAL on / WAL off >= 0.8); progress goes to stderr.
#
#   bench/recovery_bench.sh [--build-dir DIR] [--seconds N] [--batch-ms B]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=build
SECONDS_PER_RUN=10
BATCH_MS=500
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
    --batch-ms) BATCH_MS=${2:?}; shift 2 ;;
    *) echo "recovery_bench.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
BUILD="$ROOT/$BUILD_DIR"
[[ -x "$BUILD/bin/sluice-submit" && -x "$BUILD/bin/sluice-gen" && -f "$BUILD/lib/libnetwork_word_count.so" ]] || {
  echo "recovery_bench.sh: building in $BUILD" >&2
  cmake --build "$BUILD" --target sluice-submit sluice-executor sluice-gen network_word_count >&2
}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-recovery-bench.XXXXXX")
GEN_PID=""
cleanup() {
  [[ -n "$GEN_PID" ]] && kill "$GEN_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# run <wal true|false>: prints "<lines processed> <lines/s>"
run() {
  local wal=$1 log="$WORK/gen-$1.err"
  "$BUILD/bin/sluice-gen" --port 0 --rate 0 >"$WORK/gen-$wal.out" 2>"$log" &
  GEN_PID=$!
  local port=""
  for _ in $(seq 100); do
    port=$(grep -o 'listening on [0-9.]*:[0-9]*' "$log" 2>/dev/null | cut -d: -f2 || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "recovery_bench.sh: sluice-gen did not start" >&2; exit 1; }
  "$BUILD/bin/sluice-submit" --master 'local-cluster[2,2,1024]' --conf ui.enabled=false --log-level warn \
    --conf streaming.receiver.writeAheadLog.enable="$wal" --conf wal.fsync=group \
    --conf streaming.checkpoint.dir="$WORK/checkpoint-$wal" \
    "$BUILD/lib/libnetwork_word_count.so" 127.0.0.1 "$port" "$BATCH_MS" "$SECONDS_PER_RUN" \
    >"$WORK/app-$wal.out" 2>"$WORK/app-$wal.err"
  kill "$GEN_PID" 2>/dev/null || true
  wait "$GEN_PID" 2>/dev/null || true
  GEN_PID=""
  # "batch <t> ms: <n> lines, ..." per completed batch.
  awk -v s="$SECONDS_PER_RUN" '/^batch [0-9]+ ms: [0-9]+ lines/ { n += $4 } END { printf "%d %.0f\n", n, n / s }' \
    "$WORK/app-$wal.out"
}

echo "recovery_bench.sh: WAL off, $SECONDS_PER_RUN s" >&2
read -r off_lines off_rate < <(run false)
echo "{\"bench\":\"receiver_wal\",\"wal\":false,\"lines\":$off_lines,\"lines_per_s\":$off_rate}"
echo "recovery_bench.sh: WAL on (group fsync), $SECONDS_PER_RUN s" >&2
read -r on_lines on_rate < <(run true)
echo "{\"bench\":\"receiver_wal\",\"wal\":true,\"fsync\":\"group\",\"lines\":$on_lines,\"lines_per_s\":$on_rate}"
awk -v on="$on_rate" -v off="$off_rate" 'BEGIN {
  r = off > 0 ? on / off : 0
  printf "receiver WAL throughput ratio (on/off): %.2f (target >= 0.8: %s)\n", r, (r >= 0.8 ? "met" : "NOT met") }'
