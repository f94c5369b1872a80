# shellcheck shell=bash disable=SC2034  # sourced; the globals it sets are read by the caller
# Shell helpers for the benchmarks that run real processes: a standalone master and workers
# on 127.0.0.x and sluice-gen, all on free ports (port 0, read back from their logs), and a
# way to stop them. Sourced (`source "$ROOT/bench/lib/cluster.sh"`), never run; it sets no
# shell options and installs no trap: the caller's EXIT trap calls cluster_stop (or stops
# things itself). Needs BUILD (the build directory), curl and jq.
#
# Globals it sets: MASTER_PID MASTER_URL MASTER_WEB (start_master), WORKER_PIDS
# (start_worker appends), GEN_PID GEN_PORT (start_gen). Every function returns non-zero on
# failure, after one line on stderr saying why; the caller decides whether that ends it.

MASTER_PID="" MASTER_URL="" MASTER_WEB="" GEN_PID="" GEN_PORT=""
WORKER_PIDS=()

# wait_for_line <file> <regex> [seconds]: prints capture group 1 of the first line of file
# matching regex (sed -E syntax); waits up to seconds (default 30).
wait_for_line() {
  local v="" secs=${3:-30}
  for _ in $(seq $((secs * 10))); do
    v=$(sed -n -E "s|.*$2.*|\1|p" "$1" 2>/dev/null | head -1)
    [[ -n "$v" ]] && { echo "$v"; return 0; }
    sleep 0.1
  done
  echo "timed out waiting for /$2/ in $1" >&2
  return 1
}

# alive <pid>: whether pid is set and the process exists.
alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }

# stop <signal> <seconds> <pid>...: sends the signal, waits up to <seconds> for them to end;
# non-zero when some are left.
stop() {
  local sig=$1 secs=$2 p left
  shift 2
  for p in "$@"; do alive "$p" && kill "-$sig" "$p" 2>/dev/null; done
  for _ in $(seq $((secs * 10))); do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [[ $left = 0 ]] && return 0
    sleep 0.1
  done
  return 1
}

# start_master <log prefix> <host> [args...]: sluice-master on host, any free port, its
# stdout and stderr in <prefix>.out and <prefix>.err; sets MASTER_PID, MASTER_URL
# (sluice://host:port) and MASTER_WEB (http://host:port).
start_master() {
  local prefix=$1 host=$2
  shift 2
  "$BUILD/bin/sluice-master" --host "$host" --port 0 --webui-port 0 "$@" >"$prefix.out" 2>"$prefix.err" &
  MASTER_PID=$!
  disown  # stopped by the caller, without job notices
  MASTER_URL=$(wait_for_line "$prefix.out" '(sluice://[0-9.]+:[0-9]+)') || return 1
  MASTER_WEB=$(wait_for_line "$prefix.out" 'web UI at (http://[0-9.]+:[0-9]+)') || return 1
}

# start_worker <log prefix> <host> [args...]: a sluice-worker of MASTER_URL on host, any
# free port, logs as start_master's; appends its pid to WORKER_PIDS. It does not wait for
# the worker to register (wait_alive_workers does).
start_worker() {
  local prefix=$1 host=$2
  shift 2
  "$BUILD/bin/sluice-worker" "$MASTER_URL" --host "$host" --port 0 "$@" >"$prefix.out" 2>"$prefix.err" &
  WORKER_PIDS+=($!)
  disown
}

# wait_alive_workers <n> [seconds]: waits (default 10 s) until the master's /json counts n
# alive workers.
wait_alive_workers() {
  local n=$1 secs=${2:-10}
  for _ in $(seq $((secs * 10))); do
    [[ "$(curl -sf --max-time 2 "$MASTER_WEB/json" | jq '.aliveworkers' 2>/dev/null)" == "$n" ]] && return 0
    sleep 0.1
  done
  echo "the master did not count $n alive workers within $secs s" >&2
  return 1
}

# start_gen <log prefix> [args...]: sluice-gen on any free port with args (e.g. --rate 0),
# logs as start_master's; sets GEN_PID and GEN_PORT. Not disowned: the caller may `wait`
# for it (its last line, with --count or on SIGTERM, says what it sent).
start_gen() {
  local prefix=$1
  shift
  "$BUILD/bin/sluice-gen" --port 0 "$@" >"$prefix.out" 2>"$prefix.err" &
  GEN_PID=$!
  GEN_PORT=$(wait_for_line "$prefix.err" 'listening on [0-9.]+:([0-9]+)' 10) || return 1
}
