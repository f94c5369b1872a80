# shellcheck shell=bash disable=SC2034  # sourced; the globals it sets are read by the caller
# The benchmarks' build and output directories, resolved as for any command: a relative
# --build-dir or --out is relative to the directory the script was started from (call these
# before any cd). Sourced, never run.
#
#   source "$ROOT/bench/lib/dirs.sh"
#   bench_build soak "$BUILD_DIR" sluice-master sluice-submit windowed_word_count || exit 2
#   bench_out soak "$OUT"

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# bench_absolute <path>: path made absolute against the current directory (need not exist).
bench_absolute() {
  if [[ "$1" = /* ]]; then echo "$1"; else echo "$PWD/$1"; fi
}

# bench_build <script> <build dir or ""> <target>...: sets BUILD to the absolute build dir
# (default: the repository's build/). Each target is an executable (bin/<t>) or an app
# library (lib/lib<t>.so). Missing ones are built when BUILD is a configured build (Ninja's
# progress on stderr); otherwise one line saying what to run, and non-zero.
bench_build() {
  local script=$1 dir=${2:-$BENCH_ROOT/build} t missing=()
  shift 2
  BUILD=$(bench_absolute "$dir")
  for t in "$@"; do
    [[ -x "$BUILD/bin/$t" || -f "$BUILD/lib/lib$t.so" ]] || missing+=("$t")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
    echo "$script: no Sluice build in $BUILD (run scripts/build.sh, or give --build-dir)" >&2
    return 2
  fi
  echo "$script: building ${missing[*]} in $BUILD" >&2
  cmake --build "$BUILD" "${missing[@]/#/--target=}" >&2
}

# bench_out <name> <out dir or "">: sets OUT to the absolute output dir (default:
# bench-out/<name> in the current directory), created.
bench_out() {
  OUT=$(bench_absolute "${2:-bench-out/$1}")
  mkdir -p "$OUT"
}
