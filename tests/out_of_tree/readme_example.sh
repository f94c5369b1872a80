#!/usr/bin/env bash
# The README's first example compiles and runs as written: its first ```cpp block (as
# word_count.cc) and first ```cmake block (as CMakeLists.txt) are built out of tree against
# an installed Sluice, and the app counts the words of a small file on a local cluster.
set -euo pipefail
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "$build/readme-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/app"
# first_block <lang>: the lines of the README's first ```<lang> block.
first_block() { awk -v open='```'"$1" '$0 == open { on = 1; next } on && $0 == "```" { exit } on' "$root/README.md"; }
first_block cpp >"$work/app/word_count.cc"
first_block cmake >"$work/app/CMakeLists.txt"
if [ ! -s "$work/app/word_count.cc" ] || [ ! -s "$work/app/CMakeLists.txt" ]; then
  echo "README.md has no cpp or cmake block" >&2
  exit 1
fi
cmake --install "$build" --prefix "$work/prefix" >"$work/install.log"
cmake -S "$work/app" -B "$work/app/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log"
cmake --build "$work/app/build" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
printf 'the sluice gate\nthe  river\n\ngate the\n' >"$work/input.txt"
"$work/prefix/bin/sluice-submit" --master 'local-cluster[1,1,256]' --log-level warn \
  "$work/app/build/libword_count.so" "$work/input.txt" "$work/out"
sort "$work"/out/part-* >"$work/got"
printf '(gate,2)\n(river,1)\n(sluice,1)\n(the,3)\n' >"$work/want"
diff "$work/want" "$work/got" >&2 || { echo "README example: wrong counts" >&2; exit 1; }
echo "README example: built out of tree and counted 4 words right"
