#!/usr/bin/env bash
# Stops the sluice-master that scripts/start-master.sh started on this machine.
#
#   scripts/stop-master.sh [--host H]
#
# Goes by the pid files in $SLUICE_PID_DIR (every master, or only the one on H), checks that
# each pid is still a sluice-master, sends SIGTERM (SIGKILL after $SLUICE_STOP_TIMEOUT
# seconds) and removes the pid file.
set -uo pipefail
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/sluice-daemon.sh"
sluice_load_env

host=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --host) [ $# -ge 2 ] || { echo "stop-master.sh: --host needs a value" >&2; exit 2; }; host="$2"; shift 2 ;;
    --host=*) host="${1#*=}"; shift ;;
    *) echo "stop-master.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ -n "$host" ]; then host="$(sluice_resolve_host "$host")" || exit 1; fi
mapfile -t files < <(sluice_pid_files master "$host")
if [ ${#files[@]} -eq 0 ]; then
  echo "no sluice-master to stop (no pid file in $SLUICE_PID_DIR)"
  exit 0
fi
status=0
for f in "${files[@]}"; do
  sluice_stop_pid_file "$f" master || status=1
done
exit "$status"
