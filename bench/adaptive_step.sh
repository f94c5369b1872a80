#!/usr/bin/env bash
# The adaptive batch interval against a step of the input rate (issue 13, item 6), on a
# real local standalone cluster: a master on 127.0.0.1, two workers (2 cores, 2 GB each)
# on 127.0.0.2 and 127.0.0.3, and examples/network_word_count reading sluice-gen, whose
# rate is LOW lines/s, then HIGH from PHASE s on, then LOW again from 2 x PHASE s on
# (sluice-gen --rate-steps). It runs the app twice, each against a fresh sluice-gen:
#
#   fixed     at a fixed INTERVAL (short enough for LOW, too short for HIGH)
#   adaptive  from the same INTERVAL with streaming.batchDuration.adaptive=true,
#             adaptive.min=MIN, adaptive.max=MAX
#
# and prints, per run and phase (low, high, low again), a table of the batches whose time
# falls in the phase: their count, interval (mean and max), processing time (p50), scheduling
# delay (p50, max), total delay (p50, p99) and the batches queued (generated, not yet
# completed) at the phase's end. Per-batch CSVs and every log go to --out.
#
#   bench/adaptive_step.sh [--build-dir DIR] [--out DIR] [--low 20000] [--high 150000]
#       [--phase 20] [--interval 200] [--min 200ms] [--max 5s] [--block-interval 50ms] [--keep]
#
# Both runs cut receiver blocks every --block-interval, so that short batches get their
# share of records.
# Needs curl, jq and python3. On any exit it stops what it started.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR="" OUT="" LOW=20000 HIGH=150000 PHASE=20 INTERVAL=200 MIN=200ms MAX=5s BLOCK=50ms KEEP=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --low) LOW=${2:?}; shift 2 ;;
    --high) HIGH=${2:?}; shift 2 ;;
    --phase) PHASE=${2:?}; shift 2 ;;
    --interval) INTERVAL=${2:?}; shift 2 ;;
    --min) MIN=${2:?}; shift 2 ;;
    --max) MAX=${2:?}; shift 2 ;;
    --block-interval) BLOCK=${2:?}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "adaptive_step.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_build adaptive_step.sh "$BUILD_DIR" sluice-master sluice-worker sluice-submit sluice-executor \
  sluice-gen network_word_count || exit 2
[[ -z "$OUT" ]] || bench_out adaptive_step "$OUT"
APP="$BUILD/lib/libnetwork_word_count.so"

# shellcheck source=bench/lib/cluster.sh
source "$ROOT/bench/lib/cluster.sh"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-adaptive-step.XXXXXX")
[[ -n "$OUT" ]] || OUT="$WORK/out"
mkdir -p "$OUT"
log() { echo "adaptive_step: $*" >&2; }
DRIVER_PID=""
cleanup() {
  stop TERM 10 "$DRIVER_PID" || stop KILL 5 "$DRIVER_PID" || true
  stop TERM 15 "${WORKER_PIDS[@]}" || stop KILL 5 "${WORKER_PIDS[@]}" || true
  stop TERM 5 "$MASTER_PID" "$GEN_PID" || stop KILL 5 "$MASTER_PID" "$GEN_PID" || true
  if [[ "$KEEP" == true ]]; then log "cluster logs kept in $WORK"; else rm -rf "$WORK/master"* "$WORK/worker-"*; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

start_master "$WORK/master" 127.0.0.1 || exit 2
for i in 1 2; do
  start_worker "$WORK/worker-$i" "127.0.0.$((i + 1))" --webui-port -1 -c 2 -m 2g -d "$WORK/worker-$i"
done
wait_alive_workers 2 || exit 2
log "master $MASTER_URL, workers on 127.0.0.2 and 127.0.0.3"

RUN_SECONDS=$((3 * PHASE + 2))
# run <name> [--conf k=v...]: one run of the app against a fresh sluice-gen; its stdout
# (one line per batch) in $OUT/<name>.driver.out, sluice-gen's steps in $OUT/<name>.gen.err.
run() {
  local name=$1
  shift
  start_gen "$OUT/$name.gen" --host 127.0.0.1 --rate "$LOW" --rate-steps "${PHASE}s:$HIGH,$((2 * PHASE))s:$LOW" || exit 2
  log "$name: sluice-gen on port $GEN_PORT: $LOW lines/s, $HIGH from ${PHASE}s, $LOW from $((2 * PHASE))s"
  "$BUILD/bin/sluice-submit" --master "$MASTER_URL" --total-executor-cores 4 --executor-cores 2 \
    --executor-memory 1g --conf ui.enabled=false --conf "streaming.blockInterval=$BLOCK" "$@" \
    "$APP" 127.0.0.1 "$GEN_PORT" "$INTERVAL" "$RUN_SECONDS" >"$OUT/$name.driver.out" 2>"$OUT/$name.driver.err" &
  DRIVER_PID=$!
  wait "$DRIVER_PID" || log "$name: the driver exited with $?"
  DRIVER_PID=""
  stop TERM 5 "$GEN_PID" || stop KILL 5 "$GEN_PID" || true
  GEN_PID=""
}

run fixed
run adaptive --conf streaming.batchDuration.adaptive=true --conf "streaming.batchDuration.adaptive.min=$MIN" \
  --conf "streaming.batchDuration.adaptive.max=$MAX"

python3 "$ROOT/bench/adaptive_step_report.py" --out "$OUT" --interval "$INTERVAL" --low "$LOW" --high "$HIGH" \
  fixed adaptive | tee "$OUT/report.txt"
log "files in $OUT"
