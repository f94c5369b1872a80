#!/usr/bin/env bash
# The main job: installs what is missing, builds, generates a text, and runs the word count
# on it twice — in local[2] and on a local cluster of two executor processes — showing the
# most frequent words and the job's progress.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
dir=$(SLUICE_SKIP_DEPS=1 scripts/build.sh | tail -n 1)
bin="$dir/bin"
work=$(mktemp -d /tmp/sluice-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "demo: generating 200,000 lines of text in $work/input.txt" >&2
python3 - "$work/input.txt" <<'PY'
import random, sys
random.seed(1)
words = ("the sluice gate lets water through in measured batches stream river flow lock "
         "canal boat keeper spark batch interval window state driver executor worker").split()
with open(sys.argv[1], "w") as out:
    for _ in range(200000):
        out.write(" ".join(random.choices(words, k=random.randint(1, 12))) + "\n")
PY

echo; echo "== word count, --master local[2] (driver and 2 task threads in one process)"
"$bin/sluice-submit" --master 'local[2]' --log-level warn "$dir/lib/libword_count.so" "$work/input.txt"

echo; echo "== word count, --master local-cluster[2,1,512] (2 sluice-executor processes)"
"$bin/sluice-submit" --master 'local-cluster[2,1,512]' "$dir/lib/libword_count.so" "$work/input.txt" "$work/counts"
echo "output files:"; ls "$work/counts"
echo "first lines:"; sort -k2 -n -r "$work"/counts/part-* | head -5

echo; echo "== join-heavy example (sales_report) on the local cluster"
"$bin/sluice-submit" --master 'local-cluster[2,1,512]' --log-level warn "$dir/lib/libsales_report.so"
