#!/usr/bin/env bash
# chaos.sh: kills Sluice processes under load and counts every record (issue 6).
#
#   scripts/chaos.sh --kill driver|executor|receiver-executor|worker [--kills K] [--records N]
#                    [--rate R] [--no-wal] [--build-dir DIR] [--keep]
#
# Starts a master and two workers (2 cores each) on 127.0.0.1, sluice-gen --numbered
# sending N numbered records at R records/s, and the recovery test application
# (tests/recovery/numbered_lines_app.cc: reliable socket receiver, receiver WAL on, every
# record's number saved) as a client-mode driver. Then, K times at a random moment 2-5 s
# apart, it SIGKILLs the chosen process:
#   driver             the driver's process group; started again on the same checkpoint
#                      directory, as the master does for a --supervise'd driver. The
#                      driver runs on local-cluster[2,2,1024] here, its executors in its
#                      process group: a standalone master does not notice a dead
#                      client-mode driver and keeps its executors (and the source's
#                      connection) until they time out
#   executor           a random executor
#   receiver-executor  the executor that runs the receiver
#   worker             a random worker with its executors; a new worker takes its place
# When sluice-gen saw every record acknowledged, it stops the driver gracefully, reads the
# saved output and prints one line:
#
#   chaos: kill=<kind> kills=K records sent=N lost=L duplicated=D
#
# Exit status: 0 when no record is lost, 1 when some are, 2 on a setup error.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=build
KIND=""
KILLS=3
RECORDS=30000
RATE=2000
WAL=true
KEEP=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kill) KIND=${2:?}; shift 2 ;;
    --kills) KILLS=${2:?}; shift 2 ;;
    --records) RECORDS=${2:?}; shift 2 ;;
    --rate) RATE=${2:?}; shift 2 ;;
    --no-wal) WAL=false; shift ;;
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$KIND" in
  driver|executor|receiver-executor|worker) ;;
  *) echo "chaos.sh: --kill must be driver, executor, receiver-executor or worker" >&2; exit 2 ;;
esac
BUILD="$ROOT/$BUILD_DIR"
APP="$BUILD/lib/libnumbered_lines_app.so"
for f in "$BUILD/bin/sluice-master" "$BUILD/bin/sluice-worker" "$BUILD/bin/sluice-submit" "$BUILD/bin/sluice-gen" "$APP"; do
  [[ -e "$f" ]] || { echo "chaos.sh: $f is missing: cmake --build $BUILD_DIR --target sluice-master sluice-worker sluice-submit sluice-executor sluice-gen numbered_lines_app" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-chaos.XXXXXX")
MASTER_PID="" GEN_PID="" DRIVER_PID=""
WORKER_PIDS=()
log() { echo "chaos: $*" >&2; }

# Every pid we started, and the executors under the workers.
cleanup() {
  local pids=()
  if [[ -n "$DRIVER_PID" ]]; then kill -KILL -- "-$DRIVER_PID" 2>/dev/null || true; fi
  for w in "${WORKER_PIDS[@]}"; do
    mapfile -t pids < <(pgrep -P "$w" || true)
    kill -KILL "$w" "${pids[@]}" 2>/dev/null || true
  done
  if [[ -n "$MASTER_PID" ]]; then kill -KILL "$MASTER_PID" 2>/dev/null || true; fi
  if [[ -n "$GEN_PID" ]]; then kill -KILL "$GEN_PID" 2>/dev/null || true; fi
  if [[ "$KEEP" == true ]]; then log "logs and output kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# wait_for_line <file> <regex>: prints the first match's capture group 1.
wait_for_line() {
  local v=""
  for _ in $(seq 300); do
    v=$(sed -n -E "s|.*$2.*|\1|p" "$1" 2>/dev/null | head -1)
    [[ -n "$v" ]] && { echo "$v"; return 0; }
    sleep 0.1
  done
  echo "chaos.sh: timed out waiting for /$2/ in $1" >&2
  return 1
}

"$BUILD/bin/sluice-master" --port 0 --webui-port 0 >"$WORK/master.out" 2>"$WORK/master.err" &
MASTER_PID=$!
MASTER_URL=$(wait_for_line "$WORK/master.err" '(sluice://[0-9.]+:[0-9]+)')
NEXT_WORKER=0
start_worker() {
  NEXT_WORKER=$((NEXT_WORKER + 1))
  "$BUILD/bin/sluice-worker" "$MASTER_URL" --webui-port -1 -c 2 -m 2g -d "$WORK/worker-$NEXT_WORKER" \
    >"$WORK/worker-$NEXT_WORKER.out" 2>"$WORK/worker-$NEXT_WORKER.err" &
  WORKER_PIDS+=($!)
}
start_worker
start_worker

"$BUILD/bin/sluice-gen" --port 0 --numbered --rate "$RATE" --count "$RECORDS" >"$WORK/gen.out" 2>"$WORK/gen.err" &
GEN_PID=$!
GEN_PORT=$(wait_for_line "$WORK/gen.err" 'listening on [0-9.]+:([0-9]+)')

DRIVER_RUN=0
APP_MASTER=$MASTER_URL
[[ "$KIND" == driver ]] && APP_MASTER='local-cluster[2,2,1024]'
start_driver() {
  DRIVER_RUN=$((DRIVER_RUN + 1))
  setsid "$BUILD/bin/sluice-submit" --master "$APP_MASTER" --executor-cores 2 --conf ui.port=0 \
    --conf streaming.stopGracefullyOnShutdown=true --conf streaming.blockInterval=100 \
    --conf streaming.receiver.writeAheadLog.enable="$WAL" --conf streaming.checkpoint.dir="$WORK/checkpoint" \
    "$APP" 127.0.0.1 "$GEN_PORT" 200 "$WORK/out" >"$WORK/driver-$DRIVER_RUN.out" 2>"$WORK/driver-$DRIVER_RUN.err" &
  DRIVER_PID=$!
  wait_for_line "$WORK/driver-$DRIVER_RUN.err" '(receiver 0 started on executor)' >/dev/null
}
start_driver
log "master $MASTER_URL, 2 workers, sluice-gen on port $GEN_PORT ($RECORDS records at $RATE/s), WAL $WAL, work dir $WORK"

executors() { for w in "${WORKER_PIDS[@]}"; do pgrep -P "$w" -x sluice-executor || true; done; }
for k in $(seq "$KILLS"); do
  sleep "$((2 + RANDOM % 4)).$((RANDOM % 10))"
  kill -0 "$GEN_PID" 2>/dev/null || { log "sluice-gen already finished after $((k - 1)) kills"; break; }
  case "$KIND" in
    driver)
      log "kill $k: SIGKILL the driver (pid $DRIVER_PID) and start it again"
      kill -KILL -- "-$DRIVER_PID" 2>/dev/null || true
      wait "$DRIVER_PID" 2>/dev/null || true
      start_driver ;;
    executor)
      mapfile -t pids < <(executors)
      [[ ${#pids[@]} -gt 0 ]] || { log "kill $k: no executor to kill"; continue; }
      victim=${pids[$((RANDOM % ${#pids[@]}))]}
      log "kill $k: SIGKILL executor pid $victim"
      kill -KILL "$victim" 2>/dev/null || true ;;
    receiver-executor)
      id=$(sed -n -E 's/.*receiver 0 started on executor ([^ ]+) .*/\1/p' "$WORK/driver-$DRIVER_RUN.err" | tail -1)
      victim=""
      for pid in $(executors); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--executor-id $id "; then victim=$pid; fi
      done
      [[ -n "$victim" ]] || { log "kill $k: the receiver's executor $id is not found"; continue; }
      log "kill $k: SIGKILL executor $id (pid $victim), which runs the receiver"
      kill -KILL "$victim" 2>/dev/null || true ;;
    worker)
      i=$((RANDOM % ${#WORKER_PIDS[@]}))
      w=${WORKER_PIDS[$i]}
      mapfile -t children < <(pgrep -P "$w" || true)
      log "kill $k: SIGKILL worker pid $w and its ${#children[@]} executors; a new worker joins"
      kill -KILL "$w" "${children[@]}" 2>/dev/null || true
      WORKER_PIDS=("${WORKER_PIDS[@]:0:$i}" "${WORKER_PIDS[@]:$((i + 1))}")
      start_worker ;;
  esac
done

# sluice-gen exits once every record is acknowledged (stored, and known to the driver).
for _ in $(seq 1200); do kill -0 "$GEN_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$GEN_PID" 2>/dev/null; then log "sluice-gen has unacknowledged records after 120 s; stopping anyway"; fi
kill -TERM "$DRIVER_PID" 2>/dev/null || true
for _ in $(seq 600); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
wait "$DRIVER_PID" 2>/dev/null || true
DRIVER_PID=""
log "$(cat "$WORK/gen.out" 2>/dev/null)"

# Count every record number 0..RECORDS-1 in the saved output.
read -r lost duplicated < <(find "$WORK" -path "$WORK/out-*" -name 'part-*' -type f -print0 |
  xargs -0 -r cat | awk -v n="$RECORDS" '
    $1 ~ /^[0-9]+$/ && $1 < n { seen[$1]++ }
    END { lost = 0; dup = 0
          for (i = 0; i < n; i++) { if (!(i in seen)) lost++; else if (seen[i] > 1) dup += seen[i] - 1 }
          print lost, dup }')
echo "chaos: kill=$KIND kills=$KILLS wal=$WAL records sent=$RECORDS lost=$lost duplicated=$duplicated"
[[ "$lost" -eq 0 ]]
