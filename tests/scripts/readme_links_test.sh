#!/usr/bin/env bash
# The README is for users of this repository alone: it never points outside it. Fails on a
# path that climbs out of the checkout (`../x`), a markdown link to a file that is not in the
# repository, and a URL to anywhere but this machine's daemons (127.x, localhost, <host>).
#   readme_links_test.sh <repo root> [readme]   (readme: default <repo root>/README.md)
set -euo pipefail
root=$1
readme=${2:-$root/README.md}
failures=0
fail() { echo "FAIL: $readme: $*" >&2; failures=$((failures + 1)); }

while IFS= read -r hit; do fail "points outside the repository: $hit"; done \
  < <(grep -n -E '(^|[^.[:alnum:]_])\.\./' "$readme" || true)

# Markdown links outside code blocks (whose lambdas look like links): "[text](target)".
prose=$(awk '/^```/ { code = !code; print ""; next } { print code ? "" : $0 }' "$readme")
while IFS=: read -r line target; do
  target=${target%%#*}
  [[ -z "$target" || "$target" =~ ^https?:// ]] && continue
  [[ -e "$root/$target" ]] || fail "line $line: a link to $target, which is not in the repository"
done < <(grep -n -o -E '\[[^]]*[[:alpha:]][^]]*\]\([^)]*\)' <<<"$prose" | sed -E 's/^([0-9]+):.*\]\((.*)\)$/\1:\2/')

while IFS= read -r hit; do fail "a URL outside this machine: $hit"; done \
  < <(grep -n -o -E 'https?://[^ )`>"]+' "$readme" |
      grep -v -E '^[0-9]+:https?://(127\.[0-9.]+|localhost|0\.0\.0\.0|<[^>]*>?)([:/]|$)' || true)

[[ $failures -eq 0 ]] && echo "README: every path and link stays inside the repository"
exit $((failures > 0))
