#!/usr/bin/env bash
# Builds Sluice with CMake and Ninja.
#   scripts/build.sh               -> build/        (RelWithDebInfo, tests included)
#   scripts/build.sh --sanitize    -> build-asan/   (ASan + UBSan)
#   scripts/build.sh --release     -> build-release/ (Release, no tests)
# SLUICE_SKIP_DEPS=1 skips scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
for a in "$@"; do
  case "$a" in
    --sanitize) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON) ;;
    --release) dir=build-release; args=(-DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF) ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

[ "${SLUICE_SKIP_DEPS:-0}" = 1 ] || scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
echo "build.sh: configuring $dir" >&2
cmake -S . -B "$dir" -G Ninja "${args[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log" >&2; exit 1; }
echo "build.sh: building $dir with $jobs jobs" >&2
cmake --build "$dir" -j "$jobs"
echo "$dir"
