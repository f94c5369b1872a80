#!/usr/bin/env bash
# sluice-tune on examples/network_word_count against sluice-gen on a local standalone
# cluster (bench/README.md, "sluice-tune"): a master on 127.0.0.1 and two workers (2 cores,
# 2 GB each) on 127.0.0.2 and 127.0.0.3, all on free ports, and `sluice-gen --rate 0`
# (as fast as the receiver reads, so that streaming.receiver.maxRate sets the rate). The
# app runs in client mode with two executors of 2 cores and 1 GB; each point's interval
# reaches it as its batch-ms argument ({interval_ms}) and as streaming.batchDuration.
#
#   bench/tune_network_word_count.sh [--build-dir DIR] [--keep] [sluice-tune flags...]
#
# Every other flag goes to sluice-tune, e.g.
#   bench/tune_network_word_count.sh --intervals 100ms,250ms,500ms,1s --rates 100000,200000,400000 \
#       --repeat 2 --warmup 4s --measure 15s --out tune-nwc
# Verdicts on stdout, progress on stderr. On Ctrl-C sluice-tune stops its driver and writes
# what it measured; then (as on any exit) the script stops the workers (which stop the
# executors), the master and sluice-gen, and removes the cluster's work dir (--keep keeps it).
#
# The block interval is a quarter of the batch interval (streaming.blockInterval=
# {interval_ms/4}; a --conf of yours comes later and wins): with the default 200 ms, a
# 100 ms batch gets a block every other batch and none in between, so its delays measure
# the blocks' cadence, not the interval; at a quarter every batch has about 4 partitions.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=""
KEEP=false
TUNE_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) TUNE_ARGS+=("$1"); shift ;;
  esac
done
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_build tune_network_word_count.sh "$BUILD_DIR" sluice-master sluice-worker sluice-submit \
  sluice-executor sluice-gen sluice-tune network_word_count || exit 2
APP="$BUILD/lib/libnetwork_word_count.so"

# shellcheck source=bench/lib/cluster.sh
source "$ROOT/bench/lib/cluster.sh"  # start_master, start_worker, start_gen, alive, stop
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-tune-nwc.XXXXXX")
log() { echo "tune_network_word_count: $*" >&2; }
cleanup() {
  stop TERM 15 "${WORKER_PIDS[@]}" || stop KILL 5 "${WORKER_PIDS[@]}" || true
  stop TERM 5 "$MASTER_PID" "$GEN_PID" || stop KILL 5 "$MASTER_PID" "$GEN_PID" || true
  if [[ "$KEEP" == true ]]; then log "cluster logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

start_master "$WORK/master" 127.0.0.1 || exit 2
for i in 1 2; do
  start_worker "$WORK/worker-$i" "127.0.0.$((i + 1))" --webui-port -1 -c 2 -m 2g -d "$WORK/worker-$i"
done
wait_alive_workers 2 || exit 2
start_gen "$WORK/gen" --host 127.0.0.1 --rate 0 || exit 2
disown "$GEN_PID"
log "master $MASTER_URL, workers on 127.0.0.2 and 127.0.0.3, sluice-gen on port $GEN_PORT (--rate 0)"

# In the foreground: a Ctrl-C reaches sluice-tune too, which stops its run and writes its
# files; the EXIT trap then stops the cluster.
"$BUILD/bin/sluice-tune" --conf 'streaming.blockInterval={interval_ms/4}' "${TUNE_ARGS[@]}" --master "$MASTER_URL" --total-executor-cores 4 \
  --executor-cores 2 --executor-memory 1g "$APP" 127.0.0.1 "$GEN_PORT" '{interval_ms}'
