#!/usr/bin/env bash
# The batch-interval experiment (bench/README.md, "Streaming"): sluice-tune on the built-in
# benchmark app (bench/streaming_app.cc: word count over the rate source in local[2]), at
# batch intervals of 1000, 100, 20 and 10 ms and 100K and 1M lines/s. The block interval
# is half the batch interval. Prints sluice-tune's verdict lines on stdout; progress goes to
# stderr; the CSVs, plots and report.html go to --out.
#
#   bench/streaming.sh [--build-dir DIR] [--seconds N] [--warmup N] [--repeat N] [--master M]
#                      [--rates "R1 R2"] [--intervals "I1 I2"] [--out DIR] [-- sluice-tune flags...]
#
#   --seconds N     measured seconds per run (default 8)
#   --warmup N      warm-up seconds per run (default 2)
#   --repeat N      runs per point (default 1)
#   --master M      default local[2]
#   --rates         lines/s, space- or comma-separated (default "100000 1000000")
#   --intervals     batch intervals in ms (default "1000 100 20 10")
#   --build-dir DIR default: the repository's build/ (a relative DIR is relative to the current dir)
#   --out DIR       default bench-out/streaming in the current directory
#   after --         more sluice-tune flags, e.g. -- --trend-tolerance 1 --no-remeasure
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=""
SECONDS_PER_RUN=8
WARMUP=2
REPEAT=1
MASTER='local[2]'
RATES="100000 1000000"
INTERVALS="1000 100 20 10"
OUT=""
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD_DIR=${2:?}; shift 2 ;;
    --seconds) SECONDS_PER_RUN=${2:?}; shift 2 ;;
    --warmup) WARMUP=${2:?}; shift 2 ;;
    --repeat) REPEAT=${2:?}; shift 2 ;;
    --master) MASTER=${2:?}; shift 2 ;;
    --rates) RATES=${2:?}; shift 2 ;;
    --intervals) INTERVALS=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "streaming.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_build streaming.sh "$BUILD_DIR" sluice-tune sluice-submit sluice-executor streaming_bench_app || exit 2
bench_out streaming "$OUT"

# "1000 100" -> "1000ms,100ms"; "100000 1000000" -> "100000,1000000".
intervals="" rates=""
for i in ${INTERVALS//,/ }; do intervals+="${intervals:+,}${i}ms"; done
for r in ${RATES//,/ }; do rates+="${rates:+,}$r"; done

# The app takes its rate and interval as arguments ({rate}, {interval_ms}); the rate source
# is a receiver, so streaming.receiver.maxRate (set by sluice-tune) bounds it too.
exec "$BUILD/bin/sluice-tune" --intervals "$intervals" --rates "$rates" --repeat "$REPEAT" \
  --warmup "${WARMUP}s" --measure "${SECONDS_PER_RUN}s" --out "$OUT" --master "$MASTER" \
  --conf 'streaming.blockInterval={interval_ms/2}' "${EXTRA[@]}" \
  "$BUILD/lib/libstreaming_bench_app.so" '{rate}' '{interval_ms}'
