#!/usr/bin/env bash
# Integration test of the cluster scripts, as a user runs them:
#   scripts/start-cluster.sh with conf/workers listing 127.0.0.2 and 127.0.0.3 -> the master's
#   /json shows 2 ALIVE workers; a second master is refused; a failing daemon is reported;
#   word_count submitted to the cluster gives the counts of `tr | sort | uniq -c`; two worker
#   instances on one host get ports of their own and stop one by one;
#   scripts/stop-cluster.sh stops every daemon (and their executors), removes the pid files,
#   and leaves alone a process whose pid a stale pid file names.
# Everything lives in a temp SLUICE_HOME (conf, logs, pid files, work dirs) on free ports;
# whatever happens, the trap stops what was started.
#
#   tests/scripts/cluster_scripts_test.sh <build dir>
set -euo pipefail

build="$(cd "${1:?usage: cluster_scripts_test.sh <build dir>}" && pwd)"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scripts="$src/scripts"

# Settings of the caller's shell must not leak into the test.
while read -r v; do unset "$v"; done < <(compgen -v SLUICE_ || true)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/sluice-scripts-test.XXXXXX")"
export SLUICE_HOME="$tmp" SLUICE_BIN_DIR="$build/bin" SLUICE_DAEMON_TIMEOUT=20 SLUICE_STOP_TIMEOUT=10
export SLUICE_IDENT_STRING=test
daemon_pids=()
decoy_pid=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cleanup() {
  local rc=$?
  trap - EXIT
  set +e
  if [ "$rc" -ne 0 ]; then
    echo "--- test failed (exit $rc); daemon logs:" >&2
    for f in "$tmp"/logs/*.out; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
    done
  fi
  "$scripts/stop-cluster.sh" >/dev/null 2>&1
  # Should stop-cluster.sh itself be broken, nothing may outlive the test.
  for pid in "${daemon_pids[@]}" $decoy_pid; do kill -KILL "$pid" 2>/dev/null; done
  # Executors and drivers: their command lines name this test's unique temp dir.
  for pid in $(pgrep -f -- "$tmp/"); do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A process is gone when it no longer exists or is a zombie waiting for its parent.
gone() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 0
  [ -z "$state" ] || [ "${state:0:1}" = Z ]
}

master_json() {
  python3 - "$webui/json" "$1" <<'PY'
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1], timeout=5))
print(eval(sys.argv[2], {"d": d}))
PY
}

started=$SECONDS
mkdir -p "$tmp/conf"
# Port 0: every daemon takes a free port and the scripts report the one it got.
cat >"$tmp/conf/sluice-env.sh" <<'EOF'
SLUICE_MASTER_PORT=0
SLUICE_MASTER_WEBUI_PORT=0
SLUICE_WORKER_WEBUI_PORT=0
EOF
cat >"$tmp/conf/workers" <<'EOF'
# two "hosts" on this machine
127.0.0.2 --cores 2 --memory 1g
127.0.0.3 --cores 2 --memory 1g   # the second
EOF

echo "== start-cluster.sh"
out="$("$scripts/start-cluster.sh" 2>&1)" || { echo "$out"; fail "start-cluster.sh exited non-zero"; }
echo "$out"
grep -q "2 workers ALIVE" <<<"$out" || fail "start-cluster.sh did not report 2 ALIVE workers"
line="$(grep '^sluice-master running as process' <<<"$out")" || fail "start-cluster.sh did not report the master"
url="$(sed -n 's/.* at \(sluice:[^ ,]*\),.*/\1/p' <<<"$line")"
webui="$(sed -n 's/.*web UI \(http:[^ ,]*\).*/\1/p' <<<"$line")"
[[ "$url" == sluice://127.0.0.1:* && "$webui" == http://127.0.0.1:* ]] || fail "master at '$url', web UI '$webui'"
[ "$(master_json 'd["url"]')" = "$url" ] || fail "/json: url is not $url"

[ "$(master_json 'd["aliveworkers"]')" = 2 ] || fail "/json: aliveworkers is not 2"
hosts="$(master_json '" ".join(sorted(w["host"] + ":" + w["state"] for w in d["workers"]))')"
[ "$hosts" = "127.0.0.2:ALIVE 127.0.0.3:ALIVE" ] || fail "/json workers: $hosts"

pid_files=("$tmp"/logs/*.pid)
[ ${#pid_files[@]} -eq 3 ] || fail "expected 3 pid files, found: ${pid_files[*]}"
for f in "${pid_files[@]}"; do
  pid="$(cat "$f")"
  daemon_pids+=("$pid")
  comm="$(ps -o comm= -p "$pid")" || fail "$f names process $pid, which does not run"
  case "$f" in
    *-master-127.0.0.1-1.pid) [ "$comm" = sluice-master ] ;;
    *-worker-127.0.0.[23]-1.pid) [ "$comm" = sluice-worker ] ;;
    *) false ;;
  esac || fail "$f: unexpected name or process ($comm)"
done
ls "$tmp"/logs/*-master-127.0.0.1-1.out "$tmp"/logs/*-worker-127.0.0.2-1.out \
  "$tmp"/logs/*-worker-127.0.0.3-1.out >/dev/null || fail "missing daemon logs"

echo "== a second copy is refused"
if out="$("$scripts/start-master.sh" 2>&1)"; then fail "a second master started: $out"; fi
echo "$out"
grep -q "already running as process" <<<"$out" || fail "no clear message for the second master"
if out="$("$scripts/start-worker.sh" "$url" --host 127.0.0.2 2>&1)"; then fail "a second worker started: $out"; fi
grep -q "already running as process" <<<"$out" || fail "no clear message for the second worker"

echo "== a daemon that cannot start is reported"
if out="$("$scripts/start-worker.sh" "$url" --host 127.0.0.4 --memory 1k 2>&1)"; then
  fail "a worker with --memory 1k started: $out"
fi
echo "$out"
grep -q "failed to start" <<<"$out" || fail "no clear message for a worker that exits at once"
[ ! -e "$tmp/logs/sluice-test-worker-127.0.0.4-1.pid" ] || fail "a pid file is left for the failed worker"

echo "== word_count on the cluster"
app="$build/lib/libword_count.so"
[ -f "$app" ] || app="$build/examples/libword_count.so"
[ -f "$app" ] || fail "libword_count.so is not built in $build"
python3 - "$tmp/input.txt" <<'PY'
import random, sys
random.seed(3)
words = ["w%d" % i for i in range(500)]
with open(sys.argv[1], "w") as out:
    for _ in range(40000):
        out.write(" ".join(random.choices(words, k=random.randint(1, 10))) + "\n")
PY
# (timeout: the trap runs only once the foreground command ends, well before ctest's limit)
timeout 120 "$build/bin/sluice-submit" --master "$url" --total-executor-cores 4 --executor-cores 1 --log-level warn \
  --conf default.parallelism=8 "$app" "$tmp/input.txt" "$tmp/out" || fail "sluice-submit failed"
[ -f "$tmp/out/_SUCCESS" ] || fail "no _SUCCESS in the output"
LC_ALL=C tr -s ' ' '\n' <"$tmp/input.txt" | LC_ALL=C sort | uniq -c | awk '{ print $2 " " $1 }' >"$tmp/expected"
LC_ALL=C sort "$tmp"/out/part-* >"$tmp/actual"
cmp -s "$tmp/expected" "$tmp/actual" || fail "word counts differ: $(diff "$tmp/expected" "$tmp/actual" | head -5)"
echo "word_count: $(wc -l <"$tmp/actual") distinct words, as expected"
# Each worker's own /json lists the executors it ran for the finished application.
ran="$(python3 - "$webui/json" <<'PY'
import json, sys, urllib.request
get = lambda url: json.load(urllib.request.urlopen(url, timeout=5))
workers = sorted(get(sys.argv[1])["workers"], key=lambda w: w["host"])
print(" ".join("%s:%d" % (w["host"], len(get(w["webuiaddress"] + "/json")["finishedexecutors"])) for w in workers))
PY
)"
case "$ran" in 127.0.0.2:[1-9]*" "127.0.0.3:[1-9]*) ;; *) fail "executors did not run on both workers: $ran" ;; esac
echo "finished executors per worker: $ran"
apps="$(master_json '" ".join(a["state"] for a in d["completedapps"])')"
[ "$apps" = FINISHED ] || fail "/json completedapps: '$apps', expected FINISHED"

echo "== several workers on one host: instances"
SLUICE_WORKER_INSTANCES=2 "$scripts/start-worker.sh" "$url" --host 127.0.0.4 --cores 1 --memory 512m ||
  fail "two worker instances on 127.0.0.4 did not start"
for i in 1 2; do
  f="$tmp/logs/sluice-test-worker-127.0.0.4-$i.pid"
  [ -f "$f" ] || fail "no pid file $f"
  daemon_pids+=("$(cat "$f")")
done
[ "$(master_json 'd["aliveworkers"]')" = 4 ] || fail "/json: aliveworkers is not 4 with the two instances"
ports="$(master_json 'len({w["port"] for w in d["workers"] if w["host"] == "127.0.0.4"})')"
[ "$ports" = 2 ] || fail "the two instances on 127.0.0.4 do not have ports of their own"
instance2="$(cat "$tmp/logs/sluice-test-worker-127.0.0.4-2.pid")"
"$scripts/stop-worker.sh" --host 127.0.0.4 --instance 2 || fail "stop-worker.sh --instance 2 failed"
gone "$instance2" || fail "instance 2 still runs"
[ -f "$tmp/logs/sluice-test-worker-127.0.0.4-1.pid" ] || fail "stopping instance 2 removed instance 1's pid file"
gone "${daemon_pids[3]}" && fail "stopping instance 2 stopped instance 1"

echo "== stop-cluster.sh"
# A stale pid file naming a live process that is not a worker: stop must not touch the process.
sleep 300 &
decoy_pid=$!
echo "$decoy_pid" >"$tmp/logs/sluice-test-worker-127.0.0.9-1.pid"
out="$("$scripts/stop-cluster.sh" 2>&1)" || { echo "$out"; fail "stop-cluster.sh exited non-zero"; }
echo "$out"
for pid in "${daemon_pids[@]}"; do
  gone "$pid" || fail "daemon process $pid is still running after stop-cluster.sh"
done
leftover="$(compgen -G "$tmp/logs/*.pid" || true)"
[ -z "$leftover" ] || fail "pid files left: $leftover"
if pgrep -f -- "$tmp/" >/dev/null; then fail "processes of the cluster left: $(pgrep -a -f -- "$tmp/")"; fi
gone "$decoy_pid" && fail "stop-cluster.sh killed process $decoy_pid, which a stale pid file named"
kill "$decoy_pid"
decoy_pid=""
out="$("$scripts/stop-cluster.sh" 2>&1)" || fail "a second stop-cluster.sh exited non-zero"
grep -q "no sluice-master to stop" <<<"$out" || fail "second stop-cluster.sh: $out"

echo "== a master with auth.enabled: the scripts ask its web UI with the secret"
printf 'cluster-scripts-test-secret\n' >"$tmp/secret"
out="$("$scripts/start-master.sh" --conf auth.enabled=true --conf "auth.secretFile=$tmp/secret" 2>&1)" ||
  { echo "$out"; fail "start-master.sh with auth.enabled did not see its master answer"; }
echo "$out"
daemon_pids+=("$(cat "$tmp"/logs/*-master-127.0.0.1-1.pid)")
webui="$(sed -n 's/.*web UI \(http:[^ ,]*\).*/\1/p' <<<"$out")"
code="$(python3 - "$webui/json" <<'PY'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
)"
[ "$code" = 401 ] || fail "the master's /json answered $code without credentials, expected 401"
"$scripts/stop-master.sh" >/dev/null || fail "stop-master.sh failed"

echo "PASS: cluster scripts ($((SECONDS - started))s)"
