#!/usr/bin/env bash
# What auth.enabled (CURVE on every socket, SECURITY.md) costs: word count and the task
# launch rate on local-cluster[2,1,1024], without and with authentication, interleaved
# (off on off on ...), so that a noisy machine disturbs both alike. Prints one JSON line per
# run on stdout, then the medians and the ratios on/off; progress on stderr.
#
#   bench/auth_overhead.sh [--lines N] [--tasks N] [--pairs N] [--build-dir DIR] [--out DIR]
#
# --lines   word count input lines (default 10000000, 1-12 words of a 10,000-word vocabulary)
# --tasks   empty tasks for the launch rate (default 10000)
# --pairs   off/on pairs of each benchmark (default 3)
# --build-dir (default: the repository's build/) and --out (default: bench-out/auth_overhead)
# are relative to the current directory. The input is generated once and kept in OUT/data.
set -euo pipefail

LINES=10000000
TASKS=10000
PAIRS=3
BUILD_DIR=""
OUT=""
MASTER='local-cluster[2,1,1024]'

while [[ $# -gt 0 ]]; do
  case "$1" in
    --lines) LINES=${2:?--lines needs a value}; shift 2 ;;
    --tasks) TASKS=${2:?--tasks needs a value}; shift 2 ;;
    --pairs) PAIRS=${2:?--pairs needs a value}; shift 2 ;;
    --build-dir) BUILD_DIR=${2:?--build-dir needs a value}; shift 2 ;;
    --out) OUT=${2:?--out needs a value}; shift 2 ;;
    *) sed -n '7p' "$0" | sed 's/^# //' >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib/dirs.sh
source "$(dirname "$0")/lib/dirs.sh"
bench_build auth_overhead.sh "$BUILD_DIR" sluice-submit sluice-executor sluice-master sluice-worker \
  sluice-gen-text bench_app || exit 2
bench_out auth_overhead "$OUT"
mkdir -p "$OUT/data" "$OUT/logs"
log() { echo "auth_overhead: $*" >&2; }

INPUT="$OUT/data/text-$LINES-v10000-s1.txt"
if [[ ! -s "$INPUT" ]]; then
  log "generating $LINES lines into $INPUT"
  "$BUILD/bin/sluice-gen-text" --lines "$LINES" --vocab 10000 --seed 1 --out "$INPUT.tmp.$$"
  mv "$INPUT.tmp.$$" "$INPUT"
fi
cat "$INPUT" >/dev/null  # into the page cache
SECRET="$OUT/secret"
head -c 32 /dev/urandom | base64 >"$SECRET"
chmod 600 "$SECRET"

# run <name> <auth: off|on> <app args...>: one run; prints its JSON line with "auth" added and
# appends "<name> <auth> <json>" to RESULTS.
RESULTS="$OUT/logs/results.txt"
: >"$RESULTS"
run() {
  local name=$1 auth=$2
  shift 2
  local conf=(--conf auth.enabled=false)
  [[ $auth == on ]] && conf=(--conf auth.enabled=true --conf "auth.secretFile=$SECRET")
  local log_file json
  log_file="$OUT/logs/$name-$auth-$(date +%s%N).log"
  log "$name, auth $auth"
  json=$("$BUILD/bin/sluice-submit" --master "$MASTER" "${conf[@]}" --conf ui.enabled=false \
    "$BUILD/lib/libbench_app.so" "$@" 2>"$log_file" | grep -m1 '^{' || true)
  if [[ -z "$json" ]]; then
    log "$name (auth $auth) failed; last lines of $log_file:"
    tail -n 20 "$log_file" >&2
    exit 1
  fi
  json="${json%\}},\"auth\":\"$auth\"}"
  echo "$json"
  echo "$name $auth $json" >>"$RESULTS"
}

for ((i = 1; i <= PAIRS; ++i)); do
  log "pair $i of $PAIRS"
  run wordcount off wordcount "$INPUT" "$LINES"
  run wordcount on wordcount "$INPUT" "$LINES"
  run empty-tasks off empty-tasks "$TASKS"
  run empty-tasks on empty-tasks "$TASKS"
done

# median <name> <auth> <field>
median() {
  grep "^$1 $2 " "$RESULTS" | grep -o "\"$3\":[0-9.]*" | cut -d: -f2 | sort -g |
    awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
wc_off=$(median wordcount off lines_per_s)
wc_on=$(median wordcount on lines_per_s)
et_off=$(median empty-tasks off tasks_per_s)
et_on=$(median empty-tasks on tasks_per_s)
awk -v a="$wc_off" -v b="$wc_on" -v c="$et_off" -v d="$et_on" -v n="$PAIRS" -v m="$MASTER" 'BEGIN {
  printf "{\"summary\":\"auth_overhead\",\"master\":\"%s\",\"pairs\":%d,", m, n
  printf "\"wordcount_lines_per_s_median\":{\"off\":%.0f,\"on\":%.0f,\"ratio_on_off\":%.3f},", a, b, b / a
  printf "\"empty_tasks_per_s_median\":{\"off\":%.0f,\"on\":%.0f,\"ratio_on_off\":%.3f}}\n", c, d, d / c
}'
