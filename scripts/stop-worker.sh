#!/usr/bin/env bash
# Stops the sluice-worker instances that scripts/start-worker.sh started on this machine.
#
#   scripts/stop-worker.sh [--host H] [--instance K]
#
# Goes by the pid files in $SLUICE_PID_DIR: every worker, or those on H, or instance K on H.
# Checks that each pid is still a sluice-worker, sends SIGTERM (the worker kills its executors
# and drivers; SIGKILL after $SLUICE_STOP_TIMEOUT seconds) and removes the pid file.
set -uo pipefail
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/sluice-daemon.sh"
sluice_load_env

host="" instance=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --host | --instance)
      [ $# -ge 2 ] || { echo "stop-worker.sh: $1 needs a value" >&2; exit 2; }
      if [ "$1" = --host ]; then host="$2"; else instance="$2"; fi
      shift 2 ;;
    --host=*) host="${1#*=}"; shift ;;
    --instance=*) instance="${1#*=}"; shift ;;
    *) echo "stop-worker.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$instance" ] && [ -z "$host" ]; then
  host="${SLUICE_WORKER_HOST:-127.0.0.1}"
fi

if [ -n "$host" ]; then host="$(sluice_resolve_host "$host")" || exit 1; fi
if [ -n "$instance" ]; then
  files=("$(sluice_pid_file worker "$host" "$instance")")
else
  mapfile -t files < <(sluice_pid_files worker "$host")
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "no sluice-worker to stop${host:+ on $host} (no pid file in $SLUICE_PID_DIR)"
  exit 0
fi
status=0
for f in "${files[@]}"; do
  sluice_stop_pid_file "$f" worker || status=1
done
exit "$status"
