#!/usr/bin/env bash
# Installs the build into a scratch prefix, builds tests/out_of_tree against it with
# find_package(Sluice), and runs the result on a local cluster from the installed binaries.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "$build/out-of-tree.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$src" -B "$work/app" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/app" > "$work/build.log"
printf 'abc\nde\n\nfghij\n' > "$work/input.txt"
"$work/prefix/bin/sluice-submit" --master 'local-cluster[1,1,256]' --log-level warn \
  "$work/app/libline_lengths.so" "$work/input.txt"
