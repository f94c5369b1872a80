#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest.
#   scripts/test.sh              every test (unit and multi-process integration)
#   scripts/test.sh --sanitize   ASan+UBSan build, unit tests
#   scripts/test.sh -L unit      extra arguments go to ctest
set -euo pipefail
cd "$(dirname "$0")/.."

mode=()
ctest_args=()
for a in "$@"; do
  case "$a" in
    --sanitize) mode=(--sanitize); ctest_args+=(-L unit) ;;
    *) ctest_args+=("$a") ;;
  esac
done

scripts/install-deps.sh
dir=$(SLUICE_SKIP_DEPS=1 scripts/build.sh "${mode[@]}" | tail -n 1)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "test.sh: running ctest in $dir" >&2
cd "$dir"
ctest --output-on-failure --timeout 900 "${ctest_args[@]}"
