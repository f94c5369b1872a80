#!/usr/bin/env bash
# The soak benchmark (issue 11): does a long-running stream stay flat in memory, fds,
# threads and disk?
#
# Starts a real cluster: a master on 127.0.0.1 and two workers (2 cores, 2 GB each) on
# 127.0.0.2 and 127.0.0.3, all on free ports; sluice-gen sending --rate lines/s; and
# examples/windowed_word_count.cc submitted in client mode (driver = sluice-submit here)
# with two executors of 2 cores and 1 GB: socket receiver -> flatMap -> map (w, 1) ->
# reduceByKeyAndWindow(+, -, 30 s window, 1 s slide), i.e. a shuffle every batch and a window
# kept up to date with its inverse function, with the receiver WAL on
# (streaming.receiver.writeAheadLog.enable=true) and a checkpoint directory.
#
# At the start (once the first batch has completed), every --every seconds and at the end
# it prints, on stdout:
#   - one row per process (master, worker-1, worker-2, driver, every executor, found by the
#     --work-dir on its command line): pid, RSS (MB), open fds (/proc/<pid>/fd), threads;
#   - one row per directory (du -sb): each worker's work dir, each executor's work dir and
#     its spill dir (<work dir>/blocks, where shuffle outputs go past the memory cap), the
#     checkpoint dir and its receiver WAL (<checkpoint>/receivedData);
#   - one stream row from the driver's REST API: batches completed, batches queued or
#     running, the last completed batch's total delay, records processed.
# At the end, per series (every process's rss/fds/threads, every dir's bytes): the warm
# value (first sample at or after --warmup minutes), the least-squares growth per minute
# over the samples from then on, that growth as a percentage of the warm value, and the
# growth over the whole post-warm-up span. A series is flat (PASS) when that growth is at
# most 5 % of its warm value or at most a noise floor (RSS 8 MiB, fds 3, threads 2, dir
# 1 MiB); the verdict is PASS when every series is flat, else FAIL naming those that grew.
# The last line is a machine-readable JSON summary ("bench":"soak").
#
#   bench/soak.sh [--minutes N] [--rate R] [--interval MS] [--every S] [--warmup MIN]
#                 [--build-dir DIR] [--keep] [--conf key=value]...
#
#   --minutes N    soak length after the first batch (default 15: a 5-minute warm-up, then the
#                  10 minutes the verdict is about); --minutes 2 checks the script
#   --rate R       lines/s sluice-gen sends (default 150000: half the sustainable rate of this
#                  app on this cluster shape, measured on the project's 2-vCPU machine, see
#                  bench/README.md "Soak"; measure again on other machines)
#   --interval MS  batch interval (default 500)
#   --every S      seconds between samples (default 60)
#   --warmup MIN   minutes before the growth is measured (default 5, or a third of a shorter run)
#   --build-dir    build directory, absolute or relative to the current dir (default: the repo's build/)
#   --keep         keep the work dir (logs, checkpoint, spills); by default it is removed
#   --conf k=v     passed on to sluice-submit (repeatable), e.g. executor.heartbeatTimeout=120s
#                  to attach a profiler (heaptrack -p) to an executor without it being declared lost
#
# Progress goes to stderr. Ctrl-C (or any exit) stops everything the script started.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=""
MINUTES=15
RATE=150000
INTERVAL=500
EVERY=60
WARMUP=""
KEEP=false
WINDOW_S=30
SLIDE_S=1
EXTRA_CONF=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES=${2:?}; shift 2 ;;
    --rate) RATE=${2:?}; shift 2 ;;
    --interval) INTERVAL=${2:?}; shift 2 ;;
    --every) EVERY=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    --conf) EXTRA_CONF+=(--conf "${2:?}"); shift 2 ;;
    -h|--help) sed -n '2,46p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
# Default warm-up: 5 minutes (the 30 s window, the receiver's remembered blocks and the
# 1,000 retained batches fill within it), or a third of a shorter run.
[[ -z "$WARMUP" ]] && WARMUP=$(awk -v m="$MINUTES" 'BEGIN { print (m >= 15 ? 5 : m / 3) }')
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_build soak.sh "$BUILD_DIR" sluice-master sluice-worker sluice-submit sluice-executor sluice-gen \
  windowed_word_count || exit 2
APP="$BUILD/lib/libwindowed_word_count.so"

# shellcheck source=bench/lib/cluster.sh
source "$ROOT/bench/lib/cluster.sh"  # start_master, start_worker, start_gen, wait_for_line, alive, stop
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-soak.XXXXXX")
DRIVER_PID=""
log() { echo "soak: $*" >&2; }
fail() { echo "soak.sh: $*" >&2; exit 2; }

# Our executors: every sluice-executor whose --work-dir is under this run's work dir.
executor_pids() {
  local pid
  for pid in $(pgrep -x sluice-executor || true); do
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "--work-dir $WORK/" && echo "$pid"
  done
  return 0
}
STOPPED=false
# Stops what we started: the driver (SIGTERM, then SIGKILL after 20 s), the workers (which
# stop their executors), then anything left with SIGKILL.
stop_all() {
  [[ $STOPPED = true ]] && return 0
  STOPPED=true
  if alive "$DRIVER_PID" && ! stop TERM 20 "$DRIVER_PID"; then
    log "the driver (pid $DRIVER_PID) did not stop within 20 s of SIGTERM: SIGKILL"
    stop KILL 5 "$DRIVER_PID" || true
  fi
  stop TERM 15 "${WORKER_PIDS[@]}" || log "a worker did not stop within 15 s of SIGTERM: SIGKILL"
  local left
  mapfile -t left < <(executor_pids)
  stop KILL 5 "${WORKER_PIDS[@]}" "${left[@]}" || true
  stop TERM 5 "$MASTER_PID" "$GEN_PID" || stop KILL 5 "$MASTER_PID" "$GEN_PID" || true
}
cleanup() {
  stop_all
  if [[ "$KEEP" == true ]]; then log "logs, checkpoint and spills kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

start_master "$WORK/master" 127.0.0.1 || fail "the master did not start"
for i in 1 2; do
  start_worker "$WORK/worker-$i" "127.0.0.$((i + 1))" --webui-port -1 -c 2 -m 2g -d "$WORK/worker-$i"
done
wait_alive_workers 2 || true  # the first batch (below) waits for them too
start_gen "$WORK/gen" --host 127.0.0.1 --rate "$RATE" || fail "sluice-gen did not start"
disown "$GEN_PID"

CHECKPOINT="$WORK/checkpoint"
"$BUILD/bin/sluice-submit" --master "$MASTER_URL" --total-executor-cores 4 --executor-cores 2 --executor-memory 1g \
  --conf ui.port=0 --conf streaming.receiver.writeAheadLog.enable=true --conf streaming.checkpoint.dir="$CHECKPOINT" \
  "${EXTRA_CONF[@]}" "$APP" 127.0.0.1 "$GEN_PORT" "$INTERVAL" "$WINDOW_S" "$SLIDE_S" 0 >"$WORK/app.out" 2>"$WORK/driver.log" &
DRIVER_PID=$!
disown
DRIVER_WEB=$(wait_for_line "$WORK/driver.log" 'REST API at (http://[0-9.]+:[0-9]+)') || fail "the driver has no REST API"
DRIVER_WEB=${DRIVER_WEB/0.0.0.0/127.0.0.1}
APP_ID=$(curl -sf --max-time 5 "$DRIVER_WEB/api/v1/applications" | jq -r '.[0].id') || fail "no application id"
REST="$DRIVER_WEB/api/v1/applications/$APP_ID/streaming"
stream_stats() { curl -sf --max-time 5 "$REST/statistics" 2>/dev/null || echo '{}'; }
for _ in $(seq 600); do
  [[ "$(stream_stats | jq '.numTotalCompletedBatches // 0')" -gt 0 ]] && break
  alive "$DRIVER_PID" || fail "the driver ended: $(tail -5 "$WORK/driver.log")"
  sleep 0.1
done
log "master $MASTER_URL, workers on 127.0.0.2 and 127.0.0.3, sluice-gen on port $GEN_PORT at $RATE lines/s,"
log "application $APP_ID (driver pid $DRIVER_PID, REST $DRIVER_WEB), batch $INTERVAL ms, window ${WINDOW_S} s / ${SLIDE_S} s,"
log "receiver WAL on, checkpoint $CHECKPOINT; $MINUTES min, a sample every $EVERY s, warm-up $WARMUP min; work dir $WORK"

SAMPLES="$WORK/samples.tsv"  # t_s <tab> series <tab> value
: >"$SAMPLES"
status_field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
dir_bytes() { if [[ -d "$1" ]]; then du -sb "$1" 2>/dev/null | cut -f1; else echo 0; fi; }
# sample <t_s>: prints the rows of one sample and appends its values to $SAMPLES.
sample() {
  local t=$1 procs=() name pid rss fds thr dirs=() d bytes
  procs+=("master $MASTER_PID" "worker-1 ${WORKER_PIDS[0]}" "worker-2 ${WORKER_PIDS[1]}" "driver $DRIVER_PID")
  local receiver_exec
  receiver_exec=$(curl -sf --max-time 5 "$REST/receivers" 2>/dev/null | jq -r '.[0].executorId // ""' 2>/dev/null || true)
  for pid in $(executor_pids); do
    local args id wd
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    id=$(sed -n -E 's/.*--executor-id ([^ ]+).*/\1/p' <<<"$args")
    wd=$(sed -n -E 's/.*--work-dir ([^ ]+).*/\1/p' <<<"$args")
    procs+=("exec-$id $pid")
    [[ "$id" == "$receiver_exec" ]] && RECEIVER_LABEL="exec-$id"
    dirs+=("exec-$id:work $wd" "exec-$id:spill $wd/blocks")
  done
  dirs=("worker-1:work $WORK/worker-1" "worker-2:work $WORK/worker-2" "${dirs[@]}"
        "checkpoint $CHECKPOINT" "checkpoint:wal $CHECKPOINT/receivedData")
  mapfile -t procs < <(printf '%s\n' "${procs[@]}" | sort -k1,1)
  mapfile -t dirs < <(printf '%s\n' "${dirs[@]}" | sort -k1,1)
  printf '\n== t=%ds (%.1f min); %s runs the receiver ==\n' "$t" "$(awk -v t="$t" 'BEGIN { print t / 60 }')" \
    "${RECEIVER_LABEL:-?}"
  printf '%-18s %8s %10s %6s %8s\n' process pid rss_MB fds threads
  for p in "${procs[@]}"; do
    read -r name pid <<<"$p"
    if ! alive "$pid"; then printf '%-18s %8s %10s\n' "$name" "$pid" gone; continue; fi
    rss=$(status_field "$pid" VmRSS)
    thr=$(status_field "$pid" Threads)
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    printf '%-18s %8s %10.1f %6d %8d\n' "$name" "$pid" "$(awk -v k="${rss:-0}" 'BEGIN { print k / 1024 }')" "$fds" "${thr:-0}"
    printf '%s\t%s.rss_kB\t%s\n%s\t%s.fds\t%s\n%s\t%s.threads\t%s\n' "$t" "$name" "${rss:-0}" "$t" "$name" "$fds" \
      "$t" "$name" "${thr:-0}" >>"$SAMPLES"
  done
  printf '%-18s %14s %10s\n' directory bytes MB
  for d in "${dirs[@]}"; do
    read -r name path <<<"$d"
    bytes=$(dir_bytes "$path")
    printf '%-18s %14d %10.1f\n' "$name" "$bytes" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')"
    printf '%s\t%s.bytes\t%s\n' "$t" "$name" "$bytes" >>"$SAMPLES"
  done
  local stats last
  stats=$(stream_stats)
  last=$(curl -sf --max-time 5 "$REST/batches?status=COMPLETED" 2>/dev/null | jq '[.[] | select(.numTotalOutputOps > 0)][0].totalDelay // null' 2>/dev/null || echo null)
  # Lines in: what sluice-gen handed to the receiver's socket (its progress line every second).
  local rec rate
  rec=$(sed -n -E 's/^sluice-gen: sent ([0-9]+) lines.*/\1/p' "$WORK/gen.err" | tail -1)
  rec=${rec:-0}
  rate=$(awk -v r="$rec" -v pr="$PREV_REC" -v t="$t" -v pt="$PREV_T" 'BEGIN { print (t > pt ? int((r - pr) / (t - pt)) : "-") }')
  [[ $t -gt $PREV_T ]] && { PREV_REC=$rec; PREV_T=$t; }
  jq -r --arg last "$last" --arg rate "$rate" --arg sent "$rec" '"stream: batches completed \(.numTotalCompletedBatches // "?"), queued or running \(.numActiveBatches // "?"), last total delay \($last) ms (of the last batch with a job), lines sent \($sent) (\($rate) lines/s since the last sample)"' <<<"$stats"
  printf '%s\tstream.batches\t%s\n%s\tstream.active\t%s\n%s\tstream.delay_ms\t%s\n' "$t" \
    "$(jq '.numTotalCompletedBatches // 0' <<<"$stats")" "$t" "$(jq '.numActiveBatches // 0' <<<"$stats")" "$t" "$last" \
    >>"$SAMPLES"
}

PREV_T=0 PREV_REC=0
START=$(date +%s)
END=$((START + $(awk -v m="$MINUTES" 'BEGIN { printf "%d", m * 60 }')))
next=$START
while :; do
  now=$(date +%s)
  [[ $now -gt $END ]] && now=$END
  sample "$((now - START))"
  alive "$DRIVER_PID" || { log "the driver ended early: $(tail -3 "$WORK/driver.log")"; break; }
  [[ $now -ge $END ]] && break
  next=$((next + EVERY))
  [[ $next -gt $END ]] && next=$END
  log "$((END - $(date +%s))) s left"
  while [[ $(date +%s) -lt $next ]]; do sleep 1; done
done

log "stopping"
stop_all

# The delays of every batch that ran a job, from the driver's log ("batch <t>: <n> records,
# scheduling delay <s> ms, processing time <p> ms, total delay <d> ms, ...").
sed -n -E 's/.*batch [0-9]+: ([0-9]+) records, scheduling delay (-?[0-9]+) ms, processing time (-?[0-9]+) ms, total delay (-?[0-9]+) ms, tasks by locality: [A-Z].*/\4 \3/p' \
  "$WORK/driver.log" | sort -n | awk -v interval="$INTERVAL" '
  function at(q,  i) { i = int(NR * q) + 1; return d[(i > NR) ? NR : i] }
  { d[NR] = $1; p += $2 }
  END {
    if (NR == 0) { print "batches with a job: none"; exit }
    printf "batches with a job: %d, total delay p50 %d ms, p99 %d ms, max %d ms; processing time mean %d ms\n", NR,
           at(0.5), at(0.99), d[NR], p / NR
  }'

# The verdict, from $SAMPLES. Series of the stream (batches, queue, delay) are reported,
# not judged; every other series is judged.
echo
awk -F'\t' -v warm_s="$(awk -v w="$WARMUP" 'BEGIN { print w * 60 }')" -v minutes="$MINUTES" -v rate="$RATE" \
    -v interval="$INTERVAL" '
  function floor_of(s) {
    if (s ~ /\.rss_kB$/) return 8192
    if (s ~ /\.fds$/) return 3
    if (s ~ /\.threads$/) return 2
    return 1048576
  }
  function unit(s, v) {
    if (s ~ /\.rss_kB$/) return sprintf("%.1f MB", v / 1024)
    if (s ~ /\.bytes$/) return sprintf("%.1f MB", v / 1048576)
    return sprintf("%.1f", v)
  }
  {
    t = $1 + 0; s = $2; v = ($3 == "null" ? "" : $3)
    if (!(s in seen)) { seen[s] = 1; order[++ns] = s }
    if (v == "") next
    if (s == "stream.batches") last_batches = v
    if (s == "stream.active" && v > max_active) max_active = v
    if (s == "stream.delay_ms" && v > max_delay) max_delay = v
    if (t < warm_s) next
    n[s]++; sx[s] += t; sy[s] += v; sxx[s] += t * t; sxy[s] += t * v
    if (!(s in t0)) { t0[s] = t; w[s] = v }
    t1[s] = t; last[s] = v
  }
  END {
    printf "verdict: growth after a %.1f min warm-up (least-squares slope over the samples from then on)\n", warm_s / 60
    printf "%-26s %12s %12s %14s %9s %14s %8s\n", "series", "warm", "end", "growth/min", "%/min", "growth(span)", "result"
    fails = ""; nf = 0
    for (i = 1; i <= ns; i++) {
      s = order[i]
      if (s ~ /^stream\./ || n[s] < 2) continue
      d = n[s] * sxx[s] - sx[s] * sx[s]
      slope = d > 0 ? (n[s] * sxy[s] - sx[s] * sy[s]) / d * 60 : 0   # per minute
      span = slope * (t1[s] - t0[s]) / 60
      pct = w[s] > 0 ? sprintf("%.2f", 100 * slope / w[s]) : "n/a"
      limit = 0.05 * w[s]; if (limit < floor_of(s)) limit = floor_of(s)
      ok = span <= limit
      if (!ok) { fails = fails (nf++ ? "," : "") "\"" s "\"" }
      printf "%-26s %12s %12s %14s %9s %14s %8s\n", s, unit(s, w[s]), unit(s, last[s]), unit(s, slope), pct,
             unit(s, span), ok ? "PASS" : "FAIL"
    }
    verdict = nf ? "FAIL" : "PASS"
    printf "verdict: %s (flat = growth over the span at most 5%% of the warm value or at most the floor: RSS 8 MiB, fds 3, threads 2, dir 1 MiB)\n", verdict
    if (nf) printf "grew: %s\n", fails
    printf "stream: %d batches completed, at most %d queued or running, largest sampled total delay %d ms\n",
           last_batches, max_active, max_delay
    printf "{\"bench\":\"soak\",\"minutes\":%s,\"rate\":%s,\"interval_ms\":%s,\"warmup_min\":%.1f,\"batches\":%d,", minutes, rate,
           interval, warm_s / 60, last_batches
    printf "\"max_active_batches\":%d,\"max_total_delay_ms\":%d,\"verdict\":\"%s\",\"grew\":[%s]}\n", max_active, max_delay,
           verdict, fails
  }' "$SAMPLES"
