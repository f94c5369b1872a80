#!/usr/bin/env bash
# The demo: installs what is missing, builds, starts a standalone cluster on this machine (a
# master and two workers, on 127.0.0.2 and 127.0.0.3, through scripts/start-cluster.sh),
# submits the batch word count over a generated text and checks it, then runs the streaming
# network_word_count for about 20 seconds against sluice-gen, printing each batch's top
# words and delays and checking that every word sent was counted. It stops the cluster
# (always, also on failure or Ctrl-C) and exits non-zero on any failure.
#
#   scripts/demo.sh
#
# The cluster's logs, pid files and work dirs go to a temp dir of their own (kept on failure),
# on free ports, so the demo does not touch a cluster already running from $SLUICE_HOME.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

# ---- a throwaway cluster (reusable: demo_cluster_start / demo_cluster_stop) --------------

# demo_cluster_start <bin dir> <state dir> [workers]: a master on 127.0.0.1 and one worker
# (2 cores, 1g) per address in [workers] (default "127.0.0.2 127.0.0.3"), on free ports, with
# their conf, logs, pid files and work dirs under <state dir>. Sets DEMO_MASTER_URL and
# DEMO_MASTER_WEBUI. Returns non-zero (having printed why) when the cluster does not come up.
demo_cluster_start() {
  local bin="$1" state="$2" hosts="${3:-127.0.0.2 127.0.0.3}" host
  export SLUICE_BIN_DIR="$bin" SLUICE_CONF_DIR="$state/conf" SLUICE_LOG_DIR="$state/logs"
  export SLUICE_PID_DIR="$state/logs" SLUICE_WORKER_DIR="$state/work"
  mkdir -p "$SLUICE_CONF_DIR"
  printf 'SLUICE_MASTER_HOST=127.0.0.1\nSLUICE_MASTER_PORT=0\nSLUICE_MASTER_WEBUI_PORT=0\nSLUICE_WORKER_WEBUI_PORT=0\n' \
    >"$SLUICE_CONF_DIR/sluice-env.sh"
  : >"$SLUICE_CONF_DIR/workers"
  for host in $hosts; do echo "$host --cores 2 --memory 1g" >>"$SLUICE_CONF_DIR/workers"; done
  DEMO_CLUSTER_STATE="$state"
  "$root/scripts/start-cluster.sh" || return 1
  # shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
  . "$root/scripts/sluice-daemon.sh"
  sluice_load_env
  read -r DEMO_MASTER_URL DEMO_MASTER_WEBUI <<<"$(sluice_running_master)"
  export DEMO_MASTER_URL DEMO_MASTER_WEBUI
}

# demo_cluster_stop: stops what demo_cluster_start started (a no-op when it started nothing).
demo_cluster_stop() {
  [ -n "${DEMO_CLUSTER_STATE:-}" ] || return 0
  "$root/scripts/stop-cluster.sh"
}

# ---- the demo ---------------------------------------------------------------------------------

work=$(mktemp -d /tmp/sluice-demo.XXXXXX)
gen_pid=""
finish() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  [ -z "$gen_pid" ] || kill "$gen_pid" 2>/dev/null
  echo
  echo "== stopping the cluster"
  demo_cluster_stop
  if [ "$rc" -eq 0 ]; then
    rm -rf "$work"
    echo "demo: done"
  else
    echo "demo: FAILED (exit $rc); the cluster's logs are kept in $work/logs" >&2
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

demo_started=$(date +%s)
echo "== installing what is missing (scripts/install-deps.sh --minimal)"
scripts/install-deps.sh --minimal
# Only what the demo runs: the daemons, sluice-submit, sluice-gen and two example apps (about
# a fifth of a full build with the tests); scripts/test.sh builds the rest in the same dir.
echo; echo "== building the daemons, sluice-submit, sluice-gen and two example apps"
dir=$(SLUICE_SKIP_DEPS=1 scripts/build.sh sluice-master sluice-worker sluice-executor sluice-submit \
  sluice-gen word_count network_word_count | tail -n 1)
dir="$root/$dir"
app="$dir/lib/libword_count.so"
[ -f "$app" ] || { echo "demo: $app was not built" >&2; exit 1; }
echo "demo: ready after $(($(date +%s) - demo_started)) s"

echo "demo: generating 200,000 lines of text in $work/input.txt"
python3 - "$work/input.txt" <<'PY'
import random, sys
random.seed(1)
words = ("the sluice gate lets water through in measured batches stream river flow lock "
         "canal boat keeper spark batch interval window state driver executor worker").split()
with open(sys.argv[1], "w") as out:
    for _ in range(200000):
        out.write(" ".join(random.choices(words, k=random.randint(1, 12))) + "\n")
PY

echo; echo "== starting a cluster: a master and workers on 127.0.0.2 and 127.0.0.3"
demo_cluster_start "$dir/bin" "$work"

echo; echo "== word count on $DEMO_MASTER_URL (client mode, 4 executors of 1 core)"
start=$(date +%s%N)
"$dir/bin/sluice-submit" --master "$DEMO_MASTER_URL" --name demo-word-count --total-executor-cores 4 \
  --executor-cores 1 --executor-memory 512m --log-level warn "$app" "$work/input.txt" "$work/counts"
echo "the job took $((($(date +%s%N) - start) / 1000000)) ms; output files: $(cd "$work/counts" && echo part-*)"

LC_ALL=C tr -s ' ' '\n' <"$work/input.txt" | LC_ALL=C sort | uniq -c | awk '{ print $2 " " $1 }' >"$work/expected"
if ! LC_ALL=C sort "$work"/counts/part-* | cmp -s - "$work/expected"; then
  echo "demo: the counts differ from tr | sort | uniq -c" >&2
  exit 1
fi
echo "checked: the counts equal those of tr | sort | uniq -c"
echo; echo "most frequent words:"
sort -k2,2nr -k1,1 "$work"/counts/part-* | head -10 | awk '{ printf "  %-10s %d\n", $1, $2 }'

echo; echo "== the master's /json after the job"
python3 - "$DEMO_MASTER_WEBUI/json" <<'PY'
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
print("  %d workers ALIVE, %d cores" % (d["aliveworkers"], d["cores"]))
for w in d["workers"]:
    print("  worker %s  %s  cores %d  memory %d MiB" % (w["host"], w["state"], w["cores"], w["memory"]))
for a in d["completedapps"]:
    print("  application %s (%s): %s" % (a["id"], a["name"], a["state"]))
PY

echo; echo "== streaming: network_word_count on $DEMO_MASTER_URL for 20 s, 1 s batches, fed by sluice-gen"
"$dir/bin/sluice-gen" --port 0 --rate 20000 --count 200000 >"$work/gen.out" 2>"$work/gen.err" &
gen_pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on [0-9.]*:\([0-9]*\).*/\1/p' "$work/gen.err")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "demo: sluice-gen did not start: $(cat "$work/gen.err")" >&2; exit 1; }
echo "sluice-gen serves 200,000 lines at 20,000 lines/s on 127.0.0.1:$port"
"$dir/bin/sluice-submit" --master "$DEMO_MASTER_URL" --name demo-network-word-count --total-executor-cores 4 \
  --executor-cores 1 --executor-memory 512m --log-level warn "$dir/lib/libnetwork_word_count.so" \
  127.0.0.1 "$port" 1000 20 "$work/stream"
wait "$gen_pid"
gen_pid=""
sent=$(sed -n 's/.*sent_words=\([0-9]*\).*/\1/p' "$work/gen.out")
counted=$(cat "$work"/stream-*/part-* | awk '{ s += $2 } END { print s + 0 }')
echo "sluice-gen sent $sent words; the batches counted $counted"
if [ "$sent" != "$counted" ]; then
  echo "demo: words were lost or counted twice" >&2
  exit 1
fi
