#!/usr/bin/env bash
# Starts one sluice-worker per line of conf/workers, on this machine, for the master.
#
#   scripts/start-workers.sh [sluice://master:port] [start-worker.sh flags for every worker...]
#
# Each line of $SLUICE_CONF_DIR/workers (or of the file $SLUICE_WORKERS) is an address of this
# machine, optionally followed by start-worker.sh flags for that worker, separated by spaces;
# '#' starts a comment. A host listed twice gets instances 1 and 2. Without the file: one
# worker on localhost. See conf/workers.template. The hosts are addresses of this machine
# (127.0.0.x makes one machine hold "several hosts"); workers are not started over ssh.
# The master defaults to the one start-master.sh started (its URL is read from its log), else
# sluice://$SLUICE_MASTER_HOST:$SLUICE_MASTER_PORT.
set -uo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$dir/sluice-daemon.sh"
sluice_load_env

case "${1:-}" in -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
master=""
if [[ "${1:-}" == sluice://* ]]; then
  master="$1"
  shift
elif running="$(sluice_running_master)"; then
  master="${running%% *}"
else
  master="sluice://${SLUICE_MASTER_HOST:-127.0.0.1}:${SLUICE_MASTER_PORT:-7077}"
fi

workers_file="${SLUICE_WORKERS:-$SLUICE_CONF_DIR/workers}"
lines=()
if [ -f "$workers_file" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    [ -n "${line//[[:space:]]/}" ] && lines+=("$line")
  done <"$workers_file"
  if [ ${#lines[@]} -eq 0 ]; then
    echo "start-workers.sh: $workers_file lists no worker" >&2
    exit 1
  fi
else
  echo "start-workers.sh: no $workers_file; starting one worker on localhost"
  lines=(localhost)
fi

declare -A instances=()
failed=0
for line in "${lines[@]}"; do
  read -r -a words <<<"$line"
  host="$(sluice_resolve_host "${words[0]}")" || { failed=$((failed + 1)); continue; }
  instances[$host]=$((${instances[$host]:-0} + 1))
  "$dir/start-worker.sh" "$master" "$@" --host "$host" --instance "${instances[$host]}" "${words[@]:1}" ||
    failed=$((failed + 1))
done
if [ "$failed" -gt 0 ]; then
  running=$((${#lines[@]} - failed))
  rest=""
  [ "$running" -gt 0 ] && rest="; the other $running run (scripts/stop-workers.sh stops them)"
  echo "start-workers.sh: $failed of ${#lines[@]} workers failed to start (see above)$rest" >&2
  exit 1
fi
