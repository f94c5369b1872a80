#!/usr/bin/env bash
# chaos.sh: kills Sluice processes under load and counts every record (issue 6).
#
#   scripts/chaos.sh --kill driver|executor|receiver-executor|worker [--kills K] [--records N]
#                    [--rate R] [--no-wal] [--build-dir DIR] [--keep]
#
# Starts a master and two workers (3 cores each) on 127.0.0.1, sluice-gen --numbered
# sending N numbered records at R records/s, and submits the recovery test application
# (tests/integration/numbered_lines_app.cc: reliable socket receiver, receiver WAL on, every
# record's number saved) to that master with --deploy-mode cluster --supervise: a worker
# runs the driver, and two executors of 2 cores run the receiver and the tasks. Then, K
# times at a random moment 2-5 s apart, it SIGKILLs the chosen process:
#   driver             the driver only (its executors run on until the master ends its
#                      application); the master relaunches it on the same checkpoint
#                      directory, and the next kill waits for the new driver's receiver
#   executor           a random executor
#   receiver-executor  the executor that runs the receiver
#   worker             a random worker with its children (executors, and the driver if it
#                      runs there, which the master then relaunches); a new worker joins
# When sluice-gen saw every record acknowledged, it stops the driver gracefully
# (sluice-submit --kill: SIGTERM, streaming.stopGracefullyOnShutdown=true), waits until the
# master's /json shows the driver completed, reads the saved output and prints one line:
#
#   chaos: kill=<kind> kills=K wal=<true|false> records sent=N lost=L duplicated=D
#
# Exit status: 0 when no record is lost, 1 when some are (expected with --no-wal), 2 on a
# setup error. --keep keeps the work dir (logs, checkpoint, output out-<batch-ms>/).
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
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$KIND" in
  driver|executor|receiver-executor|worker) ;;
  *) echo "chaos.sh: --kill must be driver, executor, receiver-executor or worker" >&2; exit 2 ;;
esac
BUILD="$ROOT/$BUILD_DIR"
APP="$BUILD/lib/libnumbered_lines_app.so"
for f in "$BUILD/bin/sluice-master" "$BUILD/bin/sluice-worker" "$BUILD/bin/sluice-submit" \
         "$BUILD/bin/sluice-executor" "$BUILD/bin/sluice-gen" "$APP"; do
  [[ -e "$f" ]] || { echo "chaos.sh: $f is missing: cmake --build $BUILD_DIR --target sluice-master sluice-worker sluice-submit sluice-executor sluice-gen numbered_lines_app" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-chaos.XXXXXX")
MASTER_PID="" GEN_PID="" DRIVER_ID=""
WORKER_PIDS=()
log() { echo "chaos: $*" >&2; }
fail() { echo "chaos.sh: $*" >&2; exit 2; }

# Every pid we started, and the drivers and executors under the workers.
cleanup() {
  local pids=()
  for w in "${WORKER_PIDS[@]}"; do
    mapfile -t pids < <(pgrep -P "$w" || true)
    kill -KILL "$w" "${pids[@]}" 2>/dev/null || true
  done
  if [[ -n "$MASTER_PID" ]]; then kill -KILL "$MASTER_PID" 2>/dev/null || true; fi
  if [[ -n "$GEN_PID" ]]; then kill -KILL "$GEN_PID" 2>/dev/null || true; fi
  if [[ "$KEEP" == true ]]; then log "logs and output kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# wait_for_line <file> <regex> [skip]: prints capture group 1 of the first match after the
# first <skip> lines of <file>; waits up to 30 s.
wait_for_line() {
  local v=""
  for _ in $(seq 300); do
    v=$(tail -n "+$((${3:-0} + 1))" "$1" 2>/dev/null | sed -n -E "s|.*$2.*|\1|p" | head -1)
    [[ -n "$v" ]] && { echo "$v"; return 0; }
    sleep 0.1
  done
  echo "chaos.sh: timed out waiting for /$2/ in $1" >&2
  return 1
}

"$BUILD/bin/sluice-master" --port 0 --webui-port 0 --conf worker.timeout=3s \
  >"$WORK/master.out" 2>"$WORK/master.err" &
MASTER_PID=$!
disown  # the script SIGKILLs what it started without job notices
MASTER_URL=$(wait_for_line "$WORK/master.out" '(sluice://[0-9.]+:[0-9]+)') || fail "the master did not start"
MASTER_WEB=$(wait_for_line "$WORK/master.out" 'web UI at (http://[0-9.]+:[0-9]+)') || fail "the master has no web UI"
master_json() { curl -sf --max-time 2 "$MASTER_WEB/json"; }

NEXT_WORKER=0
start_worker() {
  NEXT_WORKER=$((NEXT_WORKER + 1))
  # A graceful streaming stop takes a few batches: give it time before SIGKILL.
  "$BUILD/bin/sluice-worker" "$MASTER_URL" --webui-port -1 -c 3 -m 2g -d "$WORK/worker-$NEXT_WORKER" \
    --conf worker.killTimeout=30s >"$WORK/worker-$NEXT_WORKER.out" 2>"$WORK/worker-$NEXT_WORKER.err" &
  WORKER_PIDS+=($!)
  disown
}
start_worker
start_worker
for _ in $(seq 100); do
  [[ "$(master_json | jq '.aliveworkers' 2>/dev/null)" == 2 ]] && break
  sleep 0.1
done

"$BUILD/bin/sluice-gen" --port 0 --numbered --rate "$RATE" --count "$RECORDS" >"$WORK/gen.out" 2>"$WORK/gen.err" &
GEN_PID=$!
disown
GEN_PORT=$(wait_for_line "$WORK/gen.err" 'listening on [0-9.]+:([0-9]+)') || fail "sluice-gen did not start"

# Executors of 2 cores: the receiver's executor has a core left for the tasks of its blocks,
# which otherwise wait out the locality waits behind the receiver.
"$BUILD/bin/sluice-submit" --master "$MASTER_URL" --deploy-mode cluster --supervise \
  --total-executor-cores 4 --executor-cores 2 --executor-memory 512m \
  --conf driver.memory=512m --conf ui.port=0 \
  --conf streaming.stopGracefullyOnShutdown=true --conf streaming.blockInterval=100 \
  --conf streaming.checkpoint.interval=1s \
  --conf streaming.receiver.writeAheadLog.enable="$WAL" --conf streaming.checkpoint.dir="$WORK/checkpoint" \
  "$APP" 127.0.0.1 "$GEN_PORT" 200 "$WORK/out" >"$WORK/submit.out" 2>"$WORK/submit.err" ||
  fail "sluice-submit failed: $(cat "$WORK/submit.err")"
DRIVER_ID=$(sed -n -E 's/.*submitted driver ([^ ]+).*/\1/p' "$WORK/submit.out" | head -1)
[[ -n "$DRIVER_ID" ]] || fail "no driver id in $(cat "$WORK/submit.out")"

# The pid of the process a worker runs for the driver (sluice-submit --driver-id <id>), or
# nothing. Only the driver: its executors are the workers' children too.
driver_pid() {
  local w pid
  for w in "${WORKER_PIDS[@]}"; do
    for pid in $(pgrep -P "$w" -x sluice-submit || true); do
      if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "--driver-id $DRIVER_ID "; then
        echo "$pid"; return 0
      fi
    done
  done
}
# The driver logs of every run, each "<file> <lines>": a relaunched driver appends to its
# worker's log, so its own lines are those after the count taken before it started.
log_sizes() {
  local f
  for f in "$WORK"/worker-*/"$DRIVER_ID"/stderr; do [[ -e "$f" ]] && echo "$f $(wc -l <"$f")"; done
  return 0
}
DRIVER_PID="" DRIVER_LOG="" DRIVER_LOG_SKIP=0
# wait_for_driver <sizes> [old-pid]: waits for a driver process other than old-pid (the
# master launches it), and for its receiver to start; <sizes> is log_sizes from before.
wait_for_driver() {
  local pid=""
  for _ in $(seq 300); do
    pid=$(driver_pid)
    [[ -n "$pid" && "$pid" != "${2:-}" ]] && break
    pid=""
    sleep 0.1
  done
  [[ -n "$pid" ]] || { log "no driver process for $DRIVER_ID after 30 s"; return 1; }
  DRIVER_PID=$pid
  DRIVER_LOG=$(readlink "/proc/$pid/fd/2") || DRIVER_LOG=""
  DRIVER_LOG_SKIP=$(awk -v f="$DRIVER_LOG" '$1 == f { print $2 }' <<<"$1")
  wait_for_line "$DRIVER_LOG" '(receiver 0 started on executor)' "${DRIVER_LOG_SKIP:-0}" >/dev/null
}
wait_for_driver "" || fail "driver $DRIVER_ID did not start"
log "master $MASTER_URL, 2 workers, sluice-gen on port $GEN_PORT ($RECORDS records at $RATE/s), WAL $WAL, driver $DRIVER_ID (pid $DRIVER_PID), work dir $WORK"

executors() { for w in "${WORKER_PIDS[@]}"; do pgrep -P "$w" -x sluice-executor || true; done; }
for k in $(seq "$KILLS"); do
  sleep "$((2 + RANDOM % 4)).$((RANDOM % 10))"
  kill -0 "$GEN_PID" 2>/dev/null || { log "sluice-gen already finished after $((k - 1)) kills"; break; }
  sizes=$(log_sizes)
  case "$KIND" in
    driver)
      log "kill $k: SIGKILL the driver (pid $DRIVER_PID); the master relaunches it"
      kill -KILL "$DRIVER_PID" 2>/dev/null || true
      wait_for_driver "$sizes" "$DRIVER_PID" || log "kill $k: the driver is not back"
      log "kill $k: driver relaunched (pid $DRIVER_PID)" ;;
    executor)
      mapfile -t pids < <(executors)
      [[ ${#pids[@]} -gt 0 ]] || { log "kill $k: no executor to kill"; continue; }
      victim=${pids[$((RANDOM % ${#pids[@]}))]}
      log "kill $k: SIGKILL executor pid $victim"
      kill -KILL "$victim" 2>/dev/null || true ;;
    receiver-executor)
      id=$(tail -n "+$((DRIVER_LOG_SKIP + 1))" "$DRIVER_LOG" 2>/dev/null |
        sed -n -E 's/.*receiver 0 started on executor ([^ ]+) .*/\1/p' | tail -1)
      victim=""
      for pid in $(executors); do
        if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "--executor-id $id "; then victim=$pid; fi
      done
      [[ -n "$victim" ]] || { log "kill $k: the receiver's executor $id is not found"; continue; }
      log "kill $k: SIGKILL executor $id (pid $victim), which runs the receiver"
      kill -KILL "$victim" 2>/dev/null || true ;;
    worker)
      i=$((RANDOM % ${#WORKER_PIDS[@]}))
      w=${WORKER_PIDS[$i]}
      mapfile -t children < <(pgrep -P "$w" || true)
      with_driver=false
      for c in "${children[@]}"; do [[ "$c" == "$DRIVER_PID" ]] && with_driver=true; done
      log "kill $k: SIGKILL worker pid $w and its ${#children[@]} children (driver among them: $with_driver); a new worker joins"
      kill -KILL "$w" "${children[@]}" 2>/dev/null || true
      WORKER_PIDS=("${WORKER_PIDS[@]:0:$i}" "${WORKER_PIDS[@]:$((i + 1))}")
      start_worker
      if [[ "$with_driver" == true ]]; then
        wait_for_driver "$sizes" "$DRIVER_PID" || log "kill $k: the driver is not back"
        log "kill $k: driver relaunched (pid $DRIVER_PID)"
      fi ;;
  esac
done

# sluice-gen exits once every record is acknowledged (stored, and known to the driver).
for _ in $(seq 1200); do kill -0 "$GEN_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$GEN_PID" 2>/dev/null; then log "sluice-gen has unacknowledged records after 120 s; stopping anyway"; fi
log "$(cat "$WORK/gen.out" 2>/dev/null)"

# A graceful stop: the worker SIGTERMs the driver, which processes what it received; then
# the master shows the driver completed and no application active.
"$BUILD/bin/sluice-submit" --master "$MASTER_URL" --kill "$DRIVER_ID" >"$WORK/kill.out" 2>"$WORK/kill.err" ||
  log "sluice-submit --kill $DRIVER_ID failed: $(cat "$WORK/kill.err")"
stopped=false
for _ in $(seq 600); do
  if master_json | jq -e --arg id "$DRIVER_ID" \
      'any(.completeddrivers[]; .id == $id) and (.activeapps | length) == 0' >/dev/null 2>&1; then
    stopped=true; break
  fi
  sleep 0.1
done
[[ "$stopped" == true ]] || log "driver $DRIVER_ID still active 60 s after sluice-submit --kill"
grep -q "streaming stopped gracefully" "$WORK"/worker-*/"$DRIVER_ID"/stderr 2>/dev/null ||
  log "the driver's log does not say it stopped gracefully"

# Count every record number 0..RECORDS-1 in the saved output.
read -r lost duplicated < <(find "$WORK" -path "$WORK/out-*" -name 'part-*' -type f -print0 |
  xargs -0 -r cat | awk -v n="$RECORDS" '
    $1 ~ /^[0-9]+$/ && $1 < n { seen[$1]++ }
    END { lost = 0; dup = 0
          for (i = 0; i < n; i++) { if (!(i in seen)) lost++; else if (seen[i] > 1) dup += seen[i] - 1 }
          print lost, dup }')
echo "chaos: kill=$KIND kills=$KILLS wal=$WAL records sent=$RECORDS lost=$lost duplicated=$duplicated"
[[ "$lost" -eq 0 ]]
