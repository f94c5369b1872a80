#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang++ -fsanitize=fuzzer,address,undefined
# in their own build directory and runs each for a fixed time, starting from well-formed
# seeds. Prints one result line per target; exits non-zero if any target crashed.
#   scripts/fuzz.sh                  60 s per target, build in ./build-fuzz
#   FUZZ_SECONDS=10 scripts/fuzz.sh  shorter runs
#   FUZZ_BUILD_DIR=/tmp/bf scripts/fuzz.sh
#   FUZZ_SAVE_CORPUS=1 scripts/fuzz.sh   also merge what the runs found into the kept corpora
# Each target starts from its kept corpus (tests/fuzz/corpus/<target>, in the repository)
# plus the seeds fuzz_make_seeds writes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
targets=(wal_reader_fuzz rpc_decoder_fuzz)

compiler=${FUZZ_CXX:-clang++}
if ! command -v "$compiler" >/dev/null; then
  echo "fuzz.sh: $compiler not found; install clang (libFuzzer ships with it)" >&2
  exit 2
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}

echo "fuzz.sh: building ${targets[*]} in $build" >&2
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$compiler" -DSLUICE_FUZZ=ON "${launcher[@]}" >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 2; }
cmake --build "$build" --target "${targets[@]}" fuzz_make_seeds >&2

corpus=$build/fuzz-corpus
mkdir -p "$corpus/wal_reader_fuzz" "$corpus/rpc_decoder_fuzz"
"$build/bin/fuzz_make_seeds" "$corpus/wal_reader_fuzz" "$corpus/rpc_decoder_fuzz"
kept=$root/tests/fuzz/corpus
for target in "${targets[@]}"; do
  if [[ -d $kept/$target ]]; then cp -n "$kept/$target"/* "$corpus/$target"/ 2>/dev/null || true; fi
done

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
for target in "${targets[@]}"; do
  log=$build/$target.log
  artifacts=$build/artifacts/$target/
  mkdir -p "$artifacts"
  echo "fuzz.sh: running $target for ${seconds}s (log: $log)" >&2
  # The RPC decoder must never allocate much for a small input: a decoder that trusts a
  # claimed length fails here at once.
  extra=()
  if [[ $target == rpc_decoder_fuzz ]]; then extra=(-malloc_limit_mb=64); fi
  set +e
  "$build/bin/$target" -max_total_time="$seconds" -print_final_stats=1 -rss_limit_mb=2048 \
    "${extra[@]}" -artifact_prefix="$artifacts" "$corpus/$target" >"$log" 2>&1
  rc=$?
  set -e
  if [[ $rc -eq 0 && ${FUZZ_SAVE_CORPUS:-0} == 1 ]]; then
    mkdir -p "$kept/$target"
    "$build/bin/$target" -merge=1 "${extra[@]}" "$kept/$target" "$corpus/$target" >>"$log" 2>&1 || true
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || true)
  if [[ $rc -eq 0 ]]; then
    echo "fuzz $target: OK seconds=$seconds runs=${runs:-?} coverage=${cov:-?}"
  else
    failed=1
    echo "fuzz $target: CRASH exit=$rc (artifacts in $artifacts)"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 || true
  fi
done
exit $failed
