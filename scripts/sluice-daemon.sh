#!/usr/bin/env bash
# Runs one Sluice daemon (sluice-master or sluice-worker) in the background with a pid file
# and a log, stops it, or reports on it. The start-*/stop-* scripts source this file for
# its functions; it also runs on its own:
#
#   sluice-daemon.sh start  (master|worker) <host> <instance> [daemon flags...]
#   sluice-daemon.sh stop   (master|worker) <host> <instance>
#   sluice-daemon.sh status (master|worker) <host> <instance>
#
# One daemon is named by its role, the address it listens on and an instance number, so that
# one machine can hold several workers (127.0.0.2, 127.0.0.3, or instances 1, 2 on one address):
#   pid file  $SLUICE_PID_DIR/sluice-<user>-<role>-<host>-<instance>.pid
#   log       $SLUICE_LOG_DIR/sluice-<user>-<role>-<host>-<instance>.out (the last 5 kept as .out.N)
#
# Environment (conf/sluice-env.sh may set any of these; see conf/sluice-env.sh.template):
#   SLUICE_HOME            the repo or install dir (default: the parent of this script's dir)
#   SLUICE_CONF_DIR        where sluice-env.sh and workers live (default $SLUICE_HOME/conf)
#   SLUICE_LOG_DIR         daemon logs (default $SLUICE_HOME/logs)
#   SLUICE_PID_DIR         pid files (default $SLUICE_LOG_DIR)
#   SLUICE_BIN_DIR         where the binaries are (default: $SLUICE_HOME/build/bin, then
#                          $SLUICE_HOME/bin, then PATH)
#   SLUICE_IDENT_STRING    the <user> part of the names (default $USER)
#   SLUICE_DAEMON_TIMEOUT  seconds a start waits for the daemon to answer (default 30)
#   SLUICE_STOP_TIMEOUT    seconds a stop waits after SIGTERM before SIGKILL (default 15)
#   SLUICE_LOG_MAX_FILES   old logs kept per daemon (default 5)

# ---- environment ------------------------------------------------------------------------

# Sets SLUICE_HOME and the directories, and loads $SLUICE_CONF_DIR/sluice-env.sh once.
sluice_load_env() {
  if [ -z "${SLUICE_HOME:-}" ]; then
    SLUICE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  fi
  export SLUICE_HOME
  export SLUICE_CONF_DIR="${SLUICE_CONF_DIR:-$SLUICE_HOME/conf}"
  if [ -z "${SLUICE_ENV_LOADED:-}" ]; then
    export SLUICE_ENV_LOADED=1
    if [ -f "$SLUICE_CONF_DIR/sluice-env.sh" ]; then
      set -a
      # shellcheck disable=SC1091
      . "$SLUICE_CONF_DIR/sluice-env.sh"
      set +a
    fi
  fi
  export SLUICE_LOG_DIR="${SLUICE_LOG_DIR:-$SLUICE_HOME/logs}"
  export SLUICE_PID_DIR="${SLUICE_PID_DIR:-$SLUICE_LOG_DIR}"
  export SLUICE_IDENT_STRING="${SLUICE_IDENT_STRING:-${USER:-$(id -un)}}"
}

# Prints the path of binary $1: $SLUICE_BIN_DIR, $SLUICE_HOME/build/bin, $SLUICE_HOME/bin, PATH.
sluice_find_bin() {
  local name="$1" dir
  for dir in ${SLUICE_BIN_DIR:+"$SLUICE_BIN_DIR"} "$SLUICE_HOME/build/bin" "$SLUICE_HOME/bin"; do
    if [ -x "$dir/$name" ]; then
      echo "$dir/$name"
      return 0
    fi
  done
  if command -v "$name" >/dev/null 2>&1; then
    command -v "$name"
    return 0
  fi
  echo "sluice: cannot find $name in ${SLUICE_BIN_DIR:+$SLUICE_BIN_DIR, }$SLUICE_HOME/build/bin," \
    "$SLUICE_HOME/bin or PATH; build it with scripts/build.sh" >&2
  return 1
}

# Prints the IPv4 address of host $1 (the daemons bind addresses, not names): localhost -> 127.0.0.1.
sluice_resolve_host() {
  local addr
  case "$1" in
    "" | *[!0-9.]*) ;;
    *) echo "$1"; return 0 ;;
  esac
  addr="$(getent ahostsv4 "$1" 2>/dev/null | awk 'NR == 1 { print $1 }')"
  if [ -z "$addr" ]; then
    echo "sluice: cannot resolve host '$1' to an IPv4 address" >&2
    return 1
  fi
  echo "$addr"
}

# ---- names --------------------------------------------------------------------------------

# sluice_daemon_name <role> <host> <instance>: the base name of the pid file and the log.
sluice_daemon_name() {
  echo "sluice-$SLUICE_IDENT_STRING-$1-$2-$3"
}

sluice_pid_file() { echo "$SLUICE_PID_DIR/$(sluice_daemon_name "$@").pid"; }
sluice_log_file() { echo "$SLUICE_LOG_DIR/$(sluice_daemon_name "$@").out"; }

# sluice_pid_files <role> [host]: every pid file of that role (and host) in $SLUICE_PID_DIR.
sluice_pid_files() {
  local f prefix="$SLUICE_PID_DIR/sluice-$SLUICE_IDENT_STRING-$1-"
  if [ -n "${2:-}" ]; then
    for f in "$prefix$2-"*.pid; do [ -f "$f" ] && echo "$f"; done
  else
    for f in "$prefix"*.pid; do [ -f "$f" ] && echo "$f"; done
  fi
  return 0
}

# sluice_pid_file_host_instance <pid file> <role>: prints "<host> <instance>" parsed from its name.
sluice_pid_file_host_instance() {
  local base="${1##*/}"
  base="${base%.pid}"
  base="${base#"sluice-$SLUICE_IDENT_STRING-$2-"}"
  echo "${base%-*} ${base##*-}"
}

# ---- processes ----------------------------------------------------------------------------

# True when process $1 exists and is not a zombie.
sluice_alive() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "${state:0:1}" != Z ]
}

# sluice_running_pid <pid file> <role>: prints the pid when the file names a live sluice-<role>
# process (a pid reused by another program does not count).
sluice_running_pid() {
  local pid comm
  [ -f "$1" ] || return 1
  pid="$(tr -dc '0-9' <"$1")"
  [ -n "$pid" ] || return 1
  sluice_alive "$pid" || return 1
  comm="$(ps -o comm= -p "$pid" 2>/dev/null)" || return 1
  [ "$comm" = "sluice-$2" ] || return 1
  echo "$pid"
}

# Keeps the last $SLUICE_LOG_MAX_FILES logs: x.out -> x.out.1 -> x.out.2 ...
sluice_rotate_log() {
  local log="$1" num="${SLUICE_LOG_MAX_FILES:-5}" prev
  [ -f "$log" ] || return 0
  while [ "$num" -gt 1 ]; do
    prev=$((num - 1))
    [ -f "$log.$prev" ] && mv "$log.$prev" "$log.$num"
    num=$prev
  done
  mv "$log" "$log.1"
}

# The file that daemon flags give as auth.secretFile (--conf auth.secretFile=F), or nothing.
sluice_secret_file_in() {
  local arg file=""
  for arg in "$@"; do
    case "$arg" in *auth.secretFile=*) file="${arg#*auth.secretFile=}" ;; esac
  done
  printf '%s' "$file"
}

# Fetches <url> and prints top-level field <field> of its JSON; fails when it does not answer.
# A web UI with auth.enabled is asked as the user sluice with the cluster secret: that of
# $SLUICE_AUTH_SECRET, else the content of [secret file] (sluice_secret_file_in).
sluice_json_field() {
  python3 - "$1" "$2" "${3:-}" <<'PY' 2>/dev/null
import base64, json, os, sys, urllib.request
request = urllib.request.Request(sys.argv[1])
secret = os.environ.get("SLUICE_AUTH_SECRET")
if not secret and sys.argv[3]:
    with open(sys.argv[3], "rb") as f:
        secret = f.read().decode().rstrip("\r\n")
if secret:
    token = base64.b64encode(("sluice:" + secret).encode()).decode()
    request.add_header("Authorization", "Basic " + token)
with urllib.request.urlopen(request, timeout=2) as r:
    value = json.load(r).get(sys.argv[2], "")
print(value)
PY
}

# The addresses a started daemon printed in its log ("... listening at X ..., web UI at Y").
sluice_log_url() { sed -n 's/^master listening at \(sluice:[^ ,]*\).*/\1/p' "$1" | head -n 1; }
sluice_log_endpoint() { sed -n 's/^worker .* listening at \([^ ,]*\) for master.*/\1/p' "$1" | head -n 1; }
sluice_log_webui() {
  grep -E '^(master|worker) .*listening at' "$1" | sed -n 's/.*web UI at \(http[^ ,]*\).*/\1/p' | head -n 1
}

# Prints "<sluice:// URL> <web UI URL>" of a running master started from this $SLUICE_PID_DIR
# (read from its log); fails when there is none.
sluice_running_master() {
  local f host_instance url
  for f in $(sluice_pid_files master); do
    sluice_running_pid "$f" master >/dev/null || continue
    read -r -a host_instance <<<"$(sluice_pid_file_host_instance "$f" master)"
    local log
    log="$(sluice_log_file master "${host_instance[0]}" "${host_instance[1]}")"
    url="$(sluice_log_url "$log")"
    [ -n "$url" ] || continue
    echo "$url $(sluice_log_webui "$log")"
    return 0
  done
  return 1
}

# ---- start / stop / status ------------------------------------------------------------------

# sluice_start <role> <host> <instance> [daemon flags...]
# Starts sluice-<role> in the background and waits (up to $SLUICE_DAEMON_TIMEOUT seconds) until
# it answers on its web UI's /json (a worker: until it also registered with its master, or just
# warns if it did not). Refuses when that instance already runs. On success it prints the pid and
# the addresses; on failure it prints why with the log's last lines, stops what it started and
# returns 1.
sluice_start() {
  local role="$1" host="$2" instance="$3"
  shift 3
  local what="sluice-$role ($host, instance $instance)"
  local bin pid_file log pid
  bin="$(sluice_find_bin "sluice-$role")" || return 1
  pid_file="$(sluice_pid_file "$role" "$host" "$instance")"
  log="$(sluice_log_file "$role" "$host" "$instance")"
  mkdir -p "$SLUICE_LOG_DIR" "$SLUICE_PID_DIR" || {
    echo "sluice: cannot create $SLUICE_LOG_DIR or $SLUICE_PID_DIR" >&2
    return 1
  }
  if pid="$(sluice_running_pid "$pid_file" "$role")"; then
    echo "sluice: $what is already running as process $pid (pid file $pid_file); stop it first with scripts/stop-$role.sh" >&2
    return 1
  fi
  if [ -f "$pid_file" ]; then
    echo "sluice: removing stale pid file $pid_file (no sluice-$role runs as its process)"
    rm -f "$pid_file"
  fi
  sluice_rotate_log "$log"
  echo "starting $what, logging to $log"
  {
    echo "$(date '+%Y-%m-%d %H:%M:%S') $bin $*"
  } >"$log"
  # A background job of a non-interactive shell is not a group leader, so setsid does not fork:
  # $! is the daemon itself, in a session of its own (no terminal signals reach it).
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  nohup "${launcher[@]}" "$bin" "$@" >>"$log" 2>&1 </dev/null &
  pid=$!
  disown "$pid" 2>/dev/null  # no "Killed" job notice from this shell if it has to kill it
  echo "$pid" >"$pid_file"

  local timeout="${SLUICE_DAEMON_TIMEOUT:-30}" start_time=$SECONDS
  local url="" webui="" state="" registered="" secret_file
  secret_file="$(sluice_secret_file_in "$@")"
  while :; do
    if ! sluice_alive "$pid"; then
      echo "sluice: $what failed to start (process $pid exited); last lines of $log:" >&2
      tail -n 15 "$log" | sed 's/^/    /' >&2
      rm -f "$pid_file"
      return 1
    fi
    if [ -z "$url" ]; then
      if [ "$role" = master ]; then url="$(sluice_log_url "$log")"; else url="$(sluice_log_endpoint "$log")"; fi
      webui="$(sluice_log_webui "$log")"
    fi
    if [ -n "$url" ]; then
      if [ -z "$webui" ]; then
        break  # no web UI (--webui-port -1): the printed address is all there is
      fi
      if [ "$role" = master ]; then
        state="$(sluice_json_field "$webui/json" status "$secret_file")" && break
      else
        state="$(sluice_json_field "$webui/json" state "$secret_file")"
        if [ "$state" = ALIVE ]; then
          registered=1
          break
        fi
      fi
    fi
    if [ $((SECONDS - start_time)) -ge "$timeout" ]; then
      if [ "$role" = worker ] && [ -n "$state" ]; then
        echo "sluice: warning: $what answers but has not registered with its master within ${timeout}s" \
          "(state $state); it keeps trying, see $log" >&2
        break
      fi
      echo "sluice: $what did not answer within ${timeout}s; stopping it. Last lines of $log:" >&2
      tail -n 15 "$log" | sed 's/^/    /' >&2
      kill -KILL "$pid" 2>/dev/null
      rm -f "$pid_file"
      return 1
    fi
    sleep 0.2
  done
  local extra=""
  [ "$role" = worker ] && [ -n "$registered" ] && extra=", registered with its master"
  echo "sluice-$role running as process $pid at $url${webui:+, web UI $webui}$extra"
}

# sluice_stop_pid_file <pid file> <role>: stops the daemon the file names, if it is still that
# daemon (SIGTERM, then SIGKILL after $SLUICE_STOP_TIMEOUT seconds), and removes the file.
sluice_stop_pid_file() {
  local pid_file="$1" role="$2" pid name
  name="${pid_file##*/}"
  name="${name%.pid}"
  if [ ! -f "$pid_file" ]; then
    echo "no $name to stop"
    return 0
  fi
  if ! pid="$(sluice_running_pid "$pid_file" "$role")"; then
    echo "no $name to stop (removing stale pid file $pid_file: its process is gone or is not sluice-$role)"
    rm -f "$pid_file"
    return 0
  fi
  echo "stopping $name (process $pid)"
  kill -TERM "$pid" 2>/dev/null
  local timeout="${SLUICE_STOP_TIMEOUT:-15}" start_time=$SECONDS
  while sluice_alive "$pid"; do
    if [ $((SECONDS - start_time)) -ge "$timeout" ]; then
      echo "sluice: $name (process $pid) did not stop within ${timeout}s of SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
      local kill_time=$SECONDS
      while sluice_alive "$pid" && [ $((SECONDS - kill_time)) -lt 5 ]; do sleep 0.1; done
      break
    fi
    sleep 0.1
  done
  rm -f "$pid_file"
  if sluice_alive "$pid"; then
    echo "sluice: $name (process $pid) is still alive" >&2
    return 1
  fi
  return 0
}

# sluice_stop <role> <host> <instance>
sluice_stop() {
  sluice_stop_pid_file "$(sluice_pid_file "$@")" "$1"
}

# sluice_status <role> <host> <instance>: prints whether it runs; returns 0 when it does.
sluice_status() {
  local pid_file log pid url webui
  pid_file="$(sluice_pid_file "$@")"
  log="$(sluice_log_file "$@")"
  if pid="$(sluice_running_pid "$pid_file" "$1")"; then
    if [ "$1" = master ]; then url="$(sluice_log_url "$log")"; else url="$(sluice_log_endpoint "$log")"; fi
    webui="$(sluice_log_webui "$log")"
    echo "sluice-$1 ($2, instance $3) is running as process $pid at $url${webui:+, web UI $webui}"
    return 0
  fi
  echo "sluice-$1 ($2, instance $3) is not running"
  return 1
}

# ---- command line -----------------------------------------------------------------------------

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  usage="usage: sluice-daemon.sh (start|stop|status) (master|worker) <host> <instance> [daemon flags...]"
  if [ $# -lt 4 ]; then
    echo "$usage" >&2
    exit 2
  fi
  command="$1" role="$2"
  shift 2
  case "$role" in master | worker) ;; *) echo "$usage" >&2; exit 2 ;; esac
  sluice_load_env
  case "$command" in
    start) sluice_start "$role" "$@" ;;
    stop) sluice_stop "$role" "$1" "$2" ;;
    status) sluice_status "$role" "$1" "$2" ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
fi
