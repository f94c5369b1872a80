#!/usr/bin/env bash
# The batch-interval experiment (bench/README.md, "Streaming"): word count from the rate
# source at batch intervals of 1000, 100, 20 and 10 ms, at 100K and 1M lines/s. Prints one
# JSON line per run on stdout, then per rate the shortest stable interval; progress goes
# to stderr.
#
#   bench/streaming.sh [--build-dir DIR] [--seconds N] [--master M] [--rates "R1 R2"] [--intervals "I1 I2"]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=build
SECONDS_PER_RUN=8
MASTER='local[2]'
RATES="100000 1000000"
INTERVALS="1000 100 20 10"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
    --master) MASTER=${2:?}; shift 2 ;;
    --rates) RATES=${2:?}; shift 2 ;;
    --intervals) INTERVALS=${2:?}; shift 2 ;;
    *) echo "streaming.sh: unknown flag $1" >&2; exit 2 ;;
  esac
done
BUILD="$ROOT/$BUILD_DIR"
[[ -x "$BUILD/bin/sluice-submit" && -f "$BUILD/lib/libstreaming_bench_app.so" ]] || {
  echo "streaming.sh: building in $BUILD" >&2
  cmake --build "$BUILD" --target sluice-submit sluice-executor streaming_bench_app >&2
}
mkdir -p "$BUILD/bench-logs"

for rate in $RATES; do
  shortest=null
  for interval in $INTERVALS; do
    # A batch needs blocks: cut them at half the interval (Spark's default 200 ms at most).
    block=$(( interval / 2 > 200 ? 200 : (interval / 2 > 0 ? interval / 2 : 1) ))
    echo "streaming.sh: $rate lines/s, interval $interval ms, block interval $block ms, $SECONDS_PER_RUN s" >&2
    line=$("$BUILD/bin/sluice-submit" --master "$MASTER" --conf ui.enabled=false \
      --conf streaming.blockInterval="$block" --log-level warn \
      "$BUILD/lib/libstreaming_bench_app.so" "$rate" "$interval" "$SECONDS_PER_RUN" \
      2>"$BUILD/bench-logs/streaming-$rate-$interval.log" | grep '"bench":"streaming"' || true)
    if [[ -z "$line" ]]; then
      echo "streaming.sh: the run failed, see $BUILD/bench-logs/streaming-$rate-$interval.log" >&2
      continue
    fi
    echo "$line"
    if [[ "$line" == *'"stable":true'* ]]; then shortest=$interval; fi
  done
  echo "{\"bench\":\"streaming_summary\",\"master\":\"$MASTER\",\"target_lines_per_s\":$rate,\"shortest_stable_interval_ms\":$shortest}"
done
