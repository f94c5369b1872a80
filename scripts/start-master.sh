#!/usr/bin/env bash
# Starts a sluice-master on this machine, in the background, and waits until it answers.
#
#   scripts/start-master.sh [--host H] [--port 7077] [--webui-port 8080] [sluice-master flags...]
#
# The master listens at sluice://H:port and serves its status page at http://H:webui-port/
# (JSON at /json). Defaults come from SLUICE_MASTER_HOST (127.0.0.1), SLUICE_MASTER_PORT,
# SLUICE_MASTER_WEBUI_PORT and SLUICE_MASTER_OPTS (extra flags, e.g. --recovery-dir DIR), set
# in the environment or conf/sluice-env.sh. Port 0 picks a free port. The pid file and the log
# go to $SLUICE_PID_DIR and $SLUICE_LOG_DIR (default $SLUICE_HOME/logs); see sluice-daemon.sh.
set -uo pipefail
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/sluice-daemon.sh"
sluice_load_env

host="${SLUICE_MASTER_HOST:-127.0.0.1}"
port="${SLUICE_MASTER_PORT:-7077}"
webui_port="${SLUICE_MASTER_WEBUI_PORT:-8080}"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --host | --port | --webui-port)
      [ $# -ge 2 ] || { echo "start-master.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in --host) host="$2" ;; --port) port="$2" ;; --webui-port) webui_port="$2" ;; esac
      shift 2 ;;
    --host=*) host="${1#*=}"; shift ;;
    --port=*) port="${1#*=}"; shift ;;
    --webui-port=*) webui_port="${1#*=}"; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done

host="$(sluice_resolve_host "$host")" || exit 1

# SLUICE_MASTER_OPTS is a list of flags separated by spaces.
# shellcheck disable=SC2206
opts=(${SLUICE_MASTER_OPTS:-})
sluice_start master "$host" 1 --host "$host" --port "$port" --webui-port "$webui_port" "${opts[@]}" "${extra[@]}"
