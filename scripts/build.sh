#!/usr/bin/env bash
# Builds Sluice with CMake and Ninja (through ccache when it is installed).
#   scripts/build.sh               -> build/        (RelWithDebInfo, tests included)
#   scripts/build.sh --sanitize    -> build-asan/   (ASan + UBSan)
#   scripts/build.sh --release     -> build-release/ (Release, no tests)
#   scripts/build.sh [...] T1 T2   builds only targets T1 T2 (e.g. sluice-submit word_count)
# SLUICE_SKIP_DEPS=1 skips scripts/install-deps.sh. Prints the build dir as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=build
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
targets=()
# Unity batches halve the CPU time of a full build (CMakeLists.txt, SLUICE_UNITY_BUILD).
unity=(-DSLUICE_UNITY_BUILD=ON)
for a in "$@"; do
  case "$a" in
    --sanitize) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DSLUICE_SANITIZE=ON) ;;
    --release) dir=build-release; args=(-DCMAKE_BUILD_TYPE=Release -DSLUICE_BUILD_TESTS=OFF) ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    -*) echo "build.sh: unknown option $a (see --help)" >&2; exit 2 ;;
    *) targets+=("$a") ;;
  esac
done

[ "${SLUICE_SKIP_DEPS:-0}" = 1 ] || scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
! command -v ccache >/dev/null || args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "build.sh: configuring $dir" >&2
cmake -S . -B "$dir" -G Ninja "${args[@]}" "${unity[@]}" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log" >&2; exit 1; }
echo "build.sh: building ${targets[*]:-everything} in $dir with $jobs jobs" >&2
# Ninja's [done/total] lines are the progress; they go to stderr so that stdout's last line
# stays the build dir.
cmake --build "$dir" -j "$jobs" "${targets[@]/#/--target=}" >&2
echo "$dir"
