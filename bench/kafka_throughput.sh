#!/usr/bin/env bash
# Throughput of kafka_word_count (a direct Kafka stream reading sluice-kafka-mock) beside
# network_word_count (the socket receiver reading sluice-gen), interleaved (kafka socket
# kafka socket ...) so that a noisy machine disturbs both alike. Each run drains a backlog of
# --records lines of 1-12 words (Kafka: preloaded into a 4-partition topic before the
# stream starts; socket: sluice-gen --count, served as fast as the receiver reads) on
# local[N] and reports records per second: the records processed over the time from the
# start of the first batch with records to the end of the last. One JSON line per run, then
# the medians and the ratio kafka/socket; progress on stderr.
#
#   bench/kafka_throughput.sh [--records N] [--pairs N] [--batch-ms B] [--cores N] [--build-dir DIR] [--out DIR]
#
# --records  lines per run (default 300000); --pairs kafka/socket pairs (default 3);
# --batch-ms batch interval (default 1000); --cores local[N] (default 2).
# librdkafka's mock cluster keeps only about the last 5 MB of each partition (older records
# are deleted, as by retention; some 100000 of these lines), so --records must stay under
# about 400000: the script fails when the first batch does not start at offset 0.
set -euo pipefail

RECORDS=300000
PAIRS=3
BATCH_MS=1000
CORES=2
BUILD_DIR=""
OUT=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --records) RECORDS=${2:?}; shift 2 ;;
    --pairs) PAIRS=${2:?}; shift 2 ;;
    --batch-ms) BATCH_MS=${2:?}; shift 2 ;;
    --cores) CORES=${2:?}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    *) sed -n '11p' "$0" | sed 's/^# //' >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib/dirs.sh
source "$(dirname "$0")/lib/dirs.sh"
bench_build kafka_throughput.sh "$BUILD_DIR" sluice-submit sluice-executor sluice-gen sluice-kafka-mock \
  kafka_word_count network_word_count || exit 2
bench_out kafka_throughput "$OUT"
mkdir -p "$OUT/logs"
log() { echo "kafka_throughput: $*" >&2; }
SECONDS_MAX=600

# rate <app stdout>: {"records":..,"seconds":..,"records_per_s":..} from the app's lines
# "batch T ms: N records|lines, scheduling delay S ms, processing P ms, total delay D ms".
rate() {
  awk -v b="$BATCH_MS" '
    /^batch [0-9]+ ms: [0-9]+ (records|lines), scheduling delay/ {
      t = $2 + 0; n = $4 + 0; d = $(NF - 1) + 0
      if (n == 0) next
      if (first == "" || t - b < first) first = t - b
      if (t + d > last) last = t + d
      total += n
    }
    END { s = (last - first) / 1000; printf "{\"records\":%d,\"seconds\":%.3f,\"records_per_s\":%.0f}", total, s, (s > 0 ? total / s : 0) }' "$1"
}

# Stops when every record was processed: the app runs for at most SECONDS_MAX, the script
# sends SIGTERM (graceful stop) once the counted records reach the total.
wait_counted() {
  local out=$1 pid=$2 unit=$3
  local deadline=$((SECONDS + SECONDS_MAX))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    local n
    n=$(awk -v u="$unit," '$1 == "batch" && $5 == u && $6 == "scheduling" {s += $4} END {print s + 0}' "$out")
    ((n >= RECORDS)) && break
    sleep 0.5
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

RESULTS="$OUT/logs/results.txt"
: >"$RESULTS"
run_kafka() {
  local tag=$1 mock_out="$OUT/logs/mock-$1.out" app_out="$OUT/logs/kafka-$1.out"
  "$BUILD/bin/sluice-kafka-mock" --topic words:4 --produce words --records "$RECORDS" --words 6 \
    --vocabulary 10000 >"$mock_out" 2>&1 &
  local mock=$!
  until grep -q "produced $RECORDS records" "$mock_out" 2>/dev/null; do
    kill -0 "$mock" 2>/dev/null || { log "sluice-kafka-mock ended:"; cat "$mock_out" >&2; exit 1; }
    sleep 0.2
  done
  local bootstrap
  bootstrap=$(awk '/^bootstrap/{print $2; exit}' "$mock_out")
  "$BUILD/bin/sluice-submit" --master "local[$CORES]" --conf ui.enabled=false \
    --conf streaming.stopGracefullyOnShutdown=true \
    "$BUILD/lib/libkafka_word_count.so" "$bootstrap" words "$BATCH_MS" >"$app_out" 2>"$OUT/logs/kafka-$tag.err" &
  wait_counted "$app_out" $! records
  local first
  first=$(grep -m1 " reads " "$app_out" || true)
  if [[ $first != *"words-0 [0, "* ]]; then
    log "the first batch did not start at offset 0 (records deleted by the mock's retention?): $first"
    exit 1
  fi
  kill -TERM "$mock" 2>/dev/null || true
  wait "$mock" 2>/dev/null || true
  local json
  json=$(rate "$app_out")
  echo "${json%\}},\"source\":\"kafka\"}"
  echo "kafka $json" >>"$RESULTS"
}

run_socket() {
  local tag=$1 gen_out="$OUT/logs/gen-$1.out" app_out="$OUT/logs/socket-$1.out"
  "$BUILD/bin/sluice-gen" --port 0 --rate 0 --count "$RECORDS" --vocabulary 10000 >"$gen_out" 2>"$gen_out.err" &
  local gen=$! port=""
  until [[ -n "$port" ]]; do
    port=$(grep -oE "listening on [0-9.]+:[0-9]+" "$gen_out.err" 2>/dev/null | sed 's/.*://' | head -1 || true)
    kill -0 "$gen" 2>/dev/null || { log "sluice-gen ended:"; cat "$gen_out.err" >&2; exit 1; }
    sleep 0.1
  done
  "$BUILD/bin/sluice-submit" --master "local[$CORES]" --conf ui.enabled=false \
    --conf streaming.stopGracefullyOnShutdown=true --conf streaming.receiver.replication=1 \
    "$BUILD/lib/libnetwork_word_count.so" 127.0.0.1 "$port" "$BATCH_MS" >"$app_out" 2>"$OUT/logs/socket-$tag.err" &
  wait_counted "$app_out" $! lines
  kill -TERM "$gen" 2>/dev/null || true
  wait "$gen" 2>/dev/null || true
  local json
  json=$(rate "$app_out")
  echo "${json%\}},\"source\":\"socket\"}"
  echo "socket $json" >>"$RESULTS"
}

for ((i = 1; i <= PAIRS; ++i)); do
  log "pair $i of $PAIRS"
  run_kafka "$i"
  run_socket "$i"
done

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
k=$(grep '^kafka' "$RESULTS" | grep -oE '"records_per_s":[0-9]+' | cut -d: -f2 | median)
s=$(grep '^socket' "$RESULTS" | grep -oE '"records_per_s":[0-9]+' | cut -d: -f2 | median)
echo "{\"median_kafka_records_per_s\":$k,\"median_socket_records_per_s\":$s,\"ratio_kafka_over_socket\":$(awk -v k="$k" -v s="$s" 'BEGIN {printf "%.3f", (s > 0 ? k / s : 0)}')}"
