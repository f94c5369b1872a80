#!/usr/bin/env bash
# Runs the Sluice benchmarks (bench/README.md) and prints one JSON object per line on
# stdout; progress goes to stderr.
#
#   bench/run_benchmarks.sh [--lines N] [--tasks N] [--build-dir DIR] [--out DIR] [--repeat N]
#                           [--no-build] [--autogroup-nice N]
#
# --repeat N runs every benchmark N times; the ratios use the best run of each.
# --autogroup-nice N (root, Linux autogroup scheduling): runs each benchmark in a session
# whose autogroup has nice N (e.g. -10), so that on a machine shared with other sessions
# the benchmark gets the CPUs (and takes them from the others for its duration).
#
# --build-dir (default: the repository's build/) and --out (default: bench-out/run_benchmarks)
# are relative to the current directory. The logs go to OUT/logs; the word-count input is
# generated once and kept in OUT/data. Every process the script starts is stopped when it exits (executors
# die with their driver).
set -euo pipefail

LINES=10000000
TASKS=10000
BUILD_DIR=""
OUT=""
REPEAT=1
BUILD=1
AUTOGROUP_NICE=""
RUN_TIMEOUT=${BENCH_RUN_TIMEOUT:-600}   # seconds per benchmark run
BUILD_JOBS=${BENCH_BUILD_JOBS:-1}
LOCAL_MASTER='local[2]'
CLUSTER_MASTER='local-cluster[2,1,1024]'

usage() {
  sed -n '5,6p' "$0" | sed 's/^# \{0,1\}//' >&2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --lines) LINES=${2:?--lines needs a value}; shift 2 ;;
    --tasks) TASKS=${2:?--tasks needs a value}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?--build-dir needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    --repeat) REPEAT=${2:?--repeat needs a value}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --autogroup-nice) AUTOGROUP_NICE=${2:?--autogroup-nice needs a value}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown argument '$1'" >&2; usage; exit 2 ;;
  esac
done
if [[ -n "$AUTOGROUP_NICE" ]]; then
  if ! [[ $AUTOGROUP_NICE =~ ^-?[0-9]+$ ]] || (( AUTOGROUP_NICE < -20 || AUTOGROUP_NICE > 19 )); then
    echo "run_benchmarks.sh: --autogroup-nice must be an integer in -20..19" >&2
    exit 2
  fi
  if [[ ! -w /proc/self/autogroup ]]; then
    echo "run_benchmarks.sh: --autogroup-nice needs a writable /proc/self/autogroup (root, autogroup on)" >&2
    exit 2
  fi
fi
for v in LINES TASKS REPEAT; do
  if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then
    echo "run_benchmarks.sh: --${v,,} must be a positive integer, got '${!v}'" >&2
    exit 2
  fi
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
BUILD_DIR=$(bench_absolute "${BUILD_DIR:-$ROOT/build}")
bench_out run_benchmarks "$OUT"
cd "$ROOT"
mkdir -p "$BUILD_DIR"
LOG_DIR="$OUT/logs"
DATA_DIR="$OUT/data"
mkdir -p "$LOG_DIR" "$DATA_DIR"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# The one benchmark process running now (its process group), stopped on any exit.
CHILD=""
cleanup() {
  if [[ -n "$CHILD" ]] && kill -0 "$CHILD" 2>/dev/null; then
    log "stopping process group $CHILD"
    kill -TERM -- "-$CHILD" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$CHILD" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL -- "-$CHILD" 2>/dev/null || true
  fi
  CHILD=""
  rm -f "$DATA_DIR"/*.tmp.$$ 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- Build ----
if [[ $BUILD -eq 1 ]]; then
  if [[ ! -f "$BUILD_DIR/build.ninja" && ! -f "$BUILD_DIR/Makefile" ]]; then
    generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    log "configuring $BUILD_DIR (Release)"
    cmake -S "$ROOT" -B "$BUILD_DIR" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF >&2
  fi
  build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")
  [[ "$build_type" == Release ]] || log "warning: $BUILD_DIR is a '$build_type' build, figures are for Release"
  log "building (cmake --build, $BUILD_JOBS jobs)"
  cmake --build "$BUILD_DIR" --parallel "$BUILD_JOBS" \
    --target sluice-submit sluice-executor sluice-gen-text sluice-wc-reference bench_app >&2
fi
SUBMIT="$BUILD_DIR/bin/sluice-submit"
GEN="$BUILD_DIR/bin/sluice-gen-text"
APP="$BUILD_DIR/lib/libbench_app.so"
REFERENCE="$BUILD_DIR/bin/sluice-wc-reference"
for f in "$SUBMIT" "$GEN" "$APP" "$REFERENCE" "$BUILD_DIR/bin/sluice-executor"; do
  [[ -e "$f" ]] || { echo "run_benchmarks.sh: $f is missing (build without --no-build)" >&2; exit 1; }
done

# ---- Input ----
INPUT="$DATA_DIR/text-$LINES-v10000-s1.txt"
if [[ -s "$INPUT" ]]; then
  log "input $INPUT present, not regenerated"
else
  log "generating $LINES lines into $INPUT"
  "$GEN" --lines "$LINES" --vocab 10000 --seed 1 --out "$INPUT.tmp.$$"
  mv "$INPUT.tmp.$$" "$INPUT"
fi
log "reading the input once into the page cache"
cat "$INPUT" >/dev/null

# ---- Runs ----
# /proc/stat: "busy idle" jiffies over all CPUs.
cpu_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6; exit}' /proc/stat; }

# run_one <name> <master> <app args...>: runs one benchmark (sluice-submit, or with master
# "-" the hand-written reference loop with the given arguments) and sets RESULT to its JSON line with
# whole-process figures added: process_wall_s and process_cpu_s (driver + executors,
# startup included) and others_cpu_cores (CPU used meanwhile by other processes on the
# machine; above ~0.2 the figures are disturbed). Not for $(...): CHILD must be set in
# this shell for cleanup() to see it.
RESULT=""
run_one() {
  local name=$1 master=$2; shift 2
  local out="$LOG_DIR/$name.out" err="$LOG_DIR/$name.log" times="$LOG_DIR/$name.time"
  local timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -o "$times" -f '%e %U %S')
  rm -f "$times"
  log "running $name${master/#-/ (hand-written loop)}: $*"
  local before after
  before=$(cpu_jiffies)
  # setsid: its own session and process group, which cleanup() stops as a whole.
  local boost=()
  # shellcheck disable=SC2016  # $0 and $@ belong to the inner sh
  [[ -n "$AUTOGROUP_NICE" ]] && boost=(sh -c 'echo "$0" >/proc/self/autogroup && exec "$@"' "$AUTOGROUP_NICE")
  local command=("$SUBMIT" --master "$master" "$APP")
  [[ "$master" == - ]] && command=("$REFERENCE")
  setsid "${boost[@]}" timeout -k 5 "$RUN_TIMEOUT" "${timer[@]}" "${command[@]}" "$@" >"$out" 2>"$err" &
  CHILD=$!
  local rc=0
  wait "$CHILD" || rc=$?
  CHILD=""
  after=$(cpu_jiffies)
  local json
  json=$(grep -m1 '^{' "$out" || true)
  if [[ $rc -ne 0 || -z "$json" ]]; then
    log "$name failed (exit $rc); last lines of $err:"
    tail -n 20 "$err" >&2
    return 1
  fi
  local extra=""
  if [[ -s "$times" ]]; then
    extra=$(awk -v b="$before" -v a="$after" -v t="$(tail -n 1 "$times")" -v hz="$(getconf CLK_TCK)" 'BEGIN {
      split(t, r, " "); wall = r[1]; cpu = r[2] + r[3];
      split(b, x, " "); split(a, y, " ");
      others = wall > 0 ? ((y[1] - x[1]) / hz - cpu) / wall : 0; if (others < 0) others = 0;
      printf ",\"process_wall_s\":%.3f,\"process_cpu_s\":%.3f,\"others_cpu_cores\":%.2f", wall, cpu, others
    }')
  fi
  RESULT="${json%\}}${extra}}"
}

# Best and median value of field <key> over the JSON lines in $1.
best() { grep -o "\"$2\":[0-9.]*" <<<"$1" | cut -d: -f2 | sort -g | tail -n 1; }
median() { grep -o "\"$2\":[0-9.]*" <<<"$1" | cut -d: -f2 | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

results=""
# record <name> <master> <app args...>: runs one benchmark, prints and keeps its line.
record() {
  run_one "$@"
  echo "$RESULT"
  results+="$1 $RESULT"$'\n'
}
for ((i = 1; i <= REPEAT; ++i)); do
  record wordcount-reference - --threads 2 "$INPUT"
  record wordcount-local "$LOCAL_MASTER" wordcount "$INPUT" "$LINES"
  record wordcount-cluster "$CLUSTER_MASTER" wordcount "$INPUT" "$LINES"
  record empty-tasks-local "$LOCAL_MASTER" empty-tasks "$TASKS"
  record empty-tasks-cluster "$CLUSTER_MASTER" empty-tasks "$TASKS"
done

wc_local=$(best "$(grep '^wordcount-local ' <<<"$results")" lines_per_s)
wc_cluster=$(best "$(grep '^wordcount-cluster ' <<<"$results")" lines_per_s)
et_local=$(best "$(grep '^empty-tasks-local ' <<<"$results")" tasks_per_s)
et_cluster=$(best "$(grep '^empty-tasks-cluster ' <<<"$results")" tasks_per_s)
# Word count against the hand-written loop: medians, each run of one beside the other.
wc_ref_med=$(median "$(grep '^wordcount-reference ' <<<"$results")" lines_per_s)
wc_local_med=$(median "$(grep '^wordcount-local ' <<<"$results")" lines_per_s)
wc_cluster_med=$(median "$(grep '^wordcount-cluster ' <<<"$results")" lines_per_s)
awk -v wl="$wc_local" -v wc="$wc_cluster" -v el="$et_local" -v ec="$et_cluster" -v n="$REPEAT" -v ag="$AUTOGROUP_NICE" \
    -v rm="$wc_ref_med" -v lm="$wc_local_med" -v cm="$wc_cluster_med" 'BEGIN {
  printf "{\"bench\":\"ratios\",\"runs\":%d,\"autogroup_nice\":\"%s\",\"wordcount_lines_per_s_local\":%.0f,\"wordcount_lines_per_s_cluster\":%.0f,", n, ag, wl, wc
  printf "\"wordcount_median_lines_per_s_reference\":%.0f,\"wordcount_median_lines_per_s_local\":%.0f,", rm, lm
  printf "\"wordcount_median_lines_per_s_cluster\":%.0f,\"wordcount_local_over_reference\":%.3f,", cm, lm / rm
  printf "\"wordcount_median_cluster_over_local\":%.3f,", cm / lm
  printf "\"wordcount_cluster_over_local\":%.3f,\"tasks_per_s_local\":%.0f,\"tasks_per_s_cluster\":%.0f,", wc / wl, el, ec
  printf "\"empty_tasks_cluster_over_local\":%.3f}\n", ec / el
}'
log "done; logs in $LOG_DIR"
