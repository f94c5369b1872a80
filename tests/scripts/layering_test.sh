#!/usr/bin/env bash
# The rooms' layering: a component's sources include only its own headers and those of the
# components listed before it in SLUICE_COMPONENTS (the top-level CMakeLists.txt), so that a
# lower room never reaches into a higher one.
#   layering_test.sh <source dir> <component>...   (lowest first)
set -euo pipefail
cd "$1"
shift
allowed=" "
bad=0
include_re='#include "([a-z_]+)/'
for c in "$@"; do
  allowed+="$c "
  while IFS= read -r line; do
    file=${line%%:*}
    [[ $line =~ $include_re ]] || continue
    dep=${BASH_REMATCH[1]}
    if [[ $allowed != *" $dep "* ]]; then
      echo "layering: $file includes $dep/, a component listed after $c" >&2
      bad=1
    fi
  done < <(grep -rnE '^#include "[a-z_]+/' --include='*.h' --include='*.cc' "$c" || true)
done
[ "$bad" = 0 ] && echo "layering: $# components, each includes only those before it"
exit "$bad"
