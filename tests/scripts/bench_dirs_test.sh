#!/usr/bin/env bash
# The bench scripts resolve --build-dir and --out against the directory they are started
# from, as any command does (not against the repository), and say so when there is no build:
# each one, given a relative and an absolute --build-dir without a build, exits 2 with one
# line naming exactly that directory, and run_benchmarks.sh writes nothing into it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-dirs.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cwd"
cd "$work/cwd"
failures=0
check() {  # check <script> <--build-dir value> <expected dir in the message> [args...]
  local script=$1 dir=$2 expect=$3 rc=0
  shift 3
  "$root/bench/$script" --build-dir "$dir" "$@" >"$work/out" 2>"$work/err" || rc=$?
  if [[ $rc -ne 2 ]] || ! grep -qF "no Sluice build in $expect " "$work/err"; then
    echo "FAIL: bench/$script --build-dir $dir: exit $rc, stderr:" >&2
    sed 's/^/    /' "$work/err" >&2
    failures=$((failures + 1))
  fi
}
for s in streaming.sh adaptive_step.sh recovery_bench.sh soak.sh tune_network_word_count.sh auth_overhead.sh ysb/ysb.sh; do
  check "$s" nothere "$work/cwd/nothere"
  check "$s" ../elsewhere "$work/cwd/../elsewhere"
  check "$s" "$work/absent" "$work/absent"
done

# run_benchmarks.sh --no-build: the missing binary is named in the build dir the user gave,
# and the logs go to --out (relative to the current dir), not into the build dir.
rc=0
"$root/bench/run_benchmarks.sh" --no-build --build-dir b --out o >"$work/out" 2>"$work/err" || rc=$?
if [[ $rc -eq 0 ]] || ! grep -qF "$work/cwd/b/bin/sluice-submit is missing" "$work/err" ||
   [[ ! -d "$work/cwd/o/logs" ]] || [[ -n "$(ls -A "$work/cwd/b" 2>/dev/null)" ]]; then
  echo "FAIL: bench/run_benchmarks.sh --no-build --build-dir b --out o: exit $rc, stderr:" >&2
  sed 's/^/    /' "$work/err" >&2
  failures=$((failures + 1))
fi
[[ $failures -eq 0 ]] && echo "bench dirs: every script resolved its dirs against the current directory"
exit $((failures > 0))
