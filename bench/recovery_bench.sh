#!/usr/bin/env bash
# The cost of the receiver write-ahead log (issue 6): word count from the socket receiver
# (examples/network_word_count.cc, fed by sluice-gen --rate 0, i.e. as fast as the receiver
# reads) on local-cluster[2,2,1024], three runs in one invocation:
#
#   1. WAL off, 1 copy of each block (streaming.receiver.replication=1)  <- like for like
#   2. WAL on (wal.fsync=group), 1 copy (the WAL is the second copy)
#   3. WAL off, 2 copies (Spark's default _2 storage level), for reference
#
# Each run streams for --seconds, then stops gracefully: every line received is processed.
# Figures per run (one JSON line each on stdout):
#   lines        sum of the lines the app reports per completed batch ("batch T ms: N lines")
#   words        sum of the words its reduceByKey counted ("batch T ms: W words counted")
#   sent_lines   what sluice-gen handed to the kernel; sent_lines - lines is what was still
#                in socket buffers when the receiver stopped
#   seconds      stream start (first batch time - batch) to the end of the last batch
#   lines_per_s  lines / seconds: end-to-end throughput, the drain included
#   ingest_lines_per_s  lines of the batches inside the timed window / --seconds: what the
#                receiver path (read, cut, serialize, WAL or replica, report) stored
#   max_total_delay_ms, process_cpu_s (driver, cluster daemons and executors, /usr/bin/time),
#   lines_per_cpu_s = lines / process_cpu_s (steadier than lines_per_s on a shared
#   machine, where how much CPU a run gets varies), load1 at the start of the run
# Then one JSON line per ratio, WAL on over each WAL-off run, of lines_per_s, of
# ingest_lines_per_s and of lines_per_cpu_s ("met": lines_per_s ratio >= 0.8).
# Progress goes to stderr.
#
#   bench/recovery_bench.sh [--build-dir DIR] [--seconds N] [--batch-ms B] [--keep]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=""
SECONDS_PER_RUN=10
BATCH_MS=500
KEEP=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
    --batch-ms) BATCH_MS=${2:?}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "recovery_bench.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_build recovery_bench.sh "$BUILD_DIR" sluice-submit sluice-executor sluice-master sluice-worker \
  sluice-gen network_word_count || exit 2
# shellcheck source=bench/lib/cluster.sh
source "$ROOT/bench/lib/cluster.sh"  # start_gen
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-recovery-bench.XXXXXX")
cleanup() {
  if [[ -n "$GEN_PID" ]]; then kill "$GEN_PID" 2>/dev/null || true; fi
  if [[ $KEEP = 1 ]]; then echo "recovery_bench.sh: logs kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# run <name> <wal true|false> <copies>: writes the run's JSON line to $WORK/<name>/result.
run() {
  local name=$1 wal=$2 copies=$3
  local dir="$WORK/$name"
  mkdir -p "$dir"
  start_gen "$dir/gen" --rate 0 2>/dev/null ||
    { echo "recovery_bench.sh: sluice-gen did not start: $(cat "$dir/gen.err")" >&2; exit 1; }
  local port=$GEN_PORT
  local load1
  load1=$(cut -d' ' -f1 /proc/loadavg)
  if ! /usr/bin/time -f '%e %U %S' -o "$dir/time" \
      "$BUILD/bin/sluice-submit" --master 'local-cluster[2,2,1024]' --conf ui.enabled=false --log-level warn \
      --conf streaming.receiver.writeAheadLog.enable="$wal" --conf wal.fsync=group \
      --conf streaming.receiver.replication="$copies" --conf streaming.checkpoint.dir="$dir/checkpoint" \
      "$BUILD/lib/libnetwork_word_count.so" 127.0.0.1 "$port" "$BATCH_MS" "$SECONDS_PER_RUN" \
      >"$dir/app.out" 2>"$dir/app.err"; then
    echo "recovery_bench.sh: run $name failed:" >&2
    tail -5 "$dir/app.err" >&2
    exit 1
  fi
  kill "$GEN_PID" 2>/dev/null || true
  wait "$GEN_PID" 2>/dev/null || true
  GEN_PID=""
  local sent
  sent=$(sed -n 's/.*sent_lines=\([0-9]*\).*/\1/p' "$dir/gen.out")
  # "batch <t> ms: <n> lines, scheduling delay <s> ms, processing <p> ms, total delay <d> ms"
  # and "batch <t> ms: <w> words counted, top words: ...", one of each per completed batch.
  awk -v name="$name" -v wal="$wal" -v copies="$copies" -v secs="$SECONDS_PER_RUN" -v batch="$BATCH_MS" \
      -v sent="${sent:-0}" -v load1="$load1" -v times="$(cat "$dir/time")" '
    /^batch [0-9]+ ms: [0-9]+ lines,/ {
      t = $2; n = $4; d = $15
      if (first == "") first = t
      lines += n; batches++
      if (t <= first - batch + secs * 1000) window += n
      if (t + d > end) end = t + d
      if (d > maxd) maxd = d
    }
    /^batch [0-9]+ ms: [0-9]+ words counted/ { words += $4 }
    END {
      split(times, tm, " ")
      s = batches ? (end - (first - batch)) / 1000 : 0
      printf "{\"bench\":\"receiver_wal\",\"run\":\"%s\",\"wal\":%s,\"fsync\":\"%s\",\"copies\":%d,", name, wal,
             (wal == "true" ? "group" : "none"), copies
      printf "\"lines\":%d,\"words\":%d,\"sent_lines\":%d,\"batches\":%d,\"seconds\":%.2f,", lines, words, sent,
             batches, s
      printf "\"lines_per_s\":%.0f,\"ingest_lines_per_s\":%.0f,\"max_total_delay_ms\":%d,", (s > 0 ? lines / s : 0),
             window / secs, maxd
      cpu = tm[2] + tm[3]
      printf "\"process_wall_s\":%.2f,\"process_cpu_s\":%.2f,\"lines_per_cpu_s\":%.0f,\"load1\":%s}\n", tm[1], cpu,
             (cpu > 0 ? lines / cpu : 0), load1
    }' "$dir/app.out" >"$dir/result"
}

field() { sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<<"$1"; }

echo "recovery_bench.sh: WAL off, 1 copy, $SECONDS_PER_RUN s" >&2
run wal_off_1copy false 1
off1=$(<"$WORK/wal_off_1copy/result")
echo "$off1"
echo "recovery_bench.sh: WAL on (group fsync), 1 copy, $SECONDS_PER_RUN s" >&2
run wal_on_group true 1
on=$(<"$WORK/wal_on_group/result")
echo "$on"
echo "recovery_bench.sh: WAL off, 2 copies, $SECONDS_PER_RUN s" >&2
run wal_off_2copies false 2
off2=$(<"$WORK/wal_off_2copies/result")
echo "$off2"
for base in off1 off2; do
  b=${!base}
  [[ $base = off1 ]] && label=wal_off_1copy || label=wal_off_2copies
  awk -v label="$label" -v on="$(field "$on" lines_per_s)" -v off="$(field "$b" lines_per_s)" \
      -v ion="$(field "$on" ingest_lines_per_s)" -v ioff="$(field "$b" ingest_lines_per_s)" \
      -v con="$(field "$on" lines_per_cpu_s)" -v coff="$(field "$b" lines_per_cpu_s)" 'BEGIN {
    r = off > 0 ? on / off : 0; ri = ioff > 0 ? ion / ioff : 0; rc = coff > 0 ? con / coff : 0
    printf "{\"bench\":\"receiver_wal_ratio\",\"over\":\"%s\",\"lines_per_s_ratio\":%.3f,\"ingest_ratio\":%.3f,", label, r, ri
    printf "\"lines_per_cpu_s_ratio\":%.3f,\"target\":0.8,\"met\":%s}\n", rc, (r >= 0.8 ? "true" : "false") }'
done
