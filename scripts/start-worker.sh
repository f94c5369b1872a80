#!/usr/bin/env bash
# Starts sluice-worker instances on this machine, in the background, for the given master.
#
#   scripts/start-worker.sh <sluice://master:port> [--host H] [--cores N] [--memory 4g]
#       [--port P] [--webui-port 8081] [--work-dir DIR] [--instance K] [sluice-worker flags...]
#
# Starts SLUICE_WORKER_INSTANCES workers (default 1) numbered 1..N, or only instance K with
# --instance K. Instance i listens on --port + i - 1 (default 0: any free port) and serves its
# status page on --webui-port + i - 1 (default 8081; 0: any free port). Several workers on one
# machine: give each a host of its own (127.0.0.2, 127.0.0.3, ...) or an instance number.
# Defaults come from SLUICE_WORKER_HOST (127.0.0.1), SLUICE_WORKER_CORES (all cores),
# SLUICE_WORKER_MEMORY (total memory minus 1g), SLUICE_WORKER_PORT, SLUICE_WORKER_WEBUI_PORT,
# SLUICE_WORKER_DIR ($SLUICE_HOME/work) and SLUICE_WORKER_OPTS (extra flags). Each start
# waits until the worker answers on /json and registered with the master.
set -uo pipefail
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$(dirname "${BASH_SOURCE[0]}")/sluice-daemon.sh"
sluice_load_env

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

# Total memory minus 1 GiB, at least 1 GiB, as "<n>m" (Spark's default for a worker).
default_memory() {
  local kb
  kb="$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo 2>/dev/null)"
  if [ -z "$kb" ]; then
    echo 1g
    return
  fi
  local mb=$((kb / 1024 - 1024))
  [ "$mb" -ge 1024 ] || mb=1024
  echo "${mb}m"
}

master=""
host="${SLUICE_WORKER_HOST:-127.0.0.1}"
cores="${SLUICE_WORKER_CORES:-$(nproc 2>/dev/null || echo 1)}"
memory="${SLUICE_WORKER_MEMORY:-$(default_memory)}"
port="${SLUICE_WORKER_PORT:-0}"
webui_port="${SLUICE_WORKER_WEBUI_PORT:-8081}"
work_dir="${SLUICE_WORKER_DIR:-$SLUICE_HOME/work}"
instances="${SLUICE_WORKER_INSTANCES:-1}"
only=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --host | --cores | -c | --memory | -m | --port | --webui-port | --work-dir | -d | --instance | --master)
      [ $# -ge 2 ] || { echo "start-worker.sh: $1 needs a value" >&2; exit 2; }
      case "$1" in
        --host) host="$2" ;;
        --cores | -c) cores="$2" ;;
        --memory | -m) memory="$2" ;;
        --port) port="$2" ;;
        --webui-port) webui_port="$2" ;;
        --work-dir | -d) work_dir="$2" ;;
        --instance) only="$2" ;;
        --master) master="$2" ;;
      esac
      shift 2 ;;
    --*=*)
      name="${1%%=*}" value="${1#*=}"
      case "$name" in
        --host | --cores | --memory | --port | --webui-port | --work-dir | --instance | --master)
          shift; set -- "$name" "$value" "$@" ;;
        *) extra+=("$1"); shift ;;
      esac ;;
    sluice://*) master="$1"; shift ;;
    *) extra+=("$1"); shift ;;
  esac
done

host="$(sluice_resolve_host "$host")" || exit 1
if [ -z "$master" ]; then
  echo "start-worker.sh: the master URL is required, e.g. scripts/start-worker.sh sluice://127.0.0.1:7077" >&2
  exit 2
fi
for n in "$instances" "$port" "$webui_port" ${only:+"$only"}; do
  case "$n" in
    -1 | [0-9] | [0-9]*[0-9]) ;;
    *) echo "start-worker.sh: expected a number, got '$n'" >&2; exit 2 ;;
  esac
done
mkdir -p "$work_dir" || { echo "start-worker.sh: cannot create the work dir $work_dir" >&2; exit 1; }
work_dir="$(cd "$work_dir" && pwd)"  # absolute, as the worker hands it to its children

# Port p for instance i: p + i - 1, except 0 (any free port) and -1 (none).
port_for() {
  if [ "$1" -le 0 ]; then echo "$1"; else echo $(($1 + $2 - 1)); fi
}

# shellcheck disable=SC2206  # SLUICE_WORKER_OPTS is a list of flags separated by spaces
opts=(${SLUICE_WORKER_OPTS:-})
if [ -n "$only" ]; then
  list=("$only")
else
  list=()
  for ((i = 1; i <= instances; i++)); do list+=("$i"); done
fi
status=0
for i in "${list[@]}"; do
  sluice_start worker "$host" "$i" "$master" --host "$host" --port "$(port_for "$port" "$i")" \
    --webui-port "$(port_for "$webui_port" "$i")" --cores "$cores" --memory "$memory" \
    --work-dir "$work_dir" "${opts[@]}" "${extra[@]}" || status=1
done
exit "$status"
