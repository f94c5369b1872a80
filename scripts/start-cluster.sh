#!/usr/bin/env bash
# Starts a standalone cluster on this machine: a sluice-master (scripts/start-master.sh) and one
# sluice-worker per line of conf/workers (scripts/start-workers.sh; without the file, one on
# localhost). Waits until the master reports every worker ALIVE, then prints the master's URL.
# Settings come from the environment or conf/sluice-env.sh (see conf/sluice-env.sh.template).
#
#   scripts/start-cluster.sh
#   scripts/stop-cluster.sh      # stops exactly what this started
set -uo pipefail
dir="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=sluice-daemon.sh source-path=SCRIPTDIR
. "$dir/sluice-daemon.sh"
sluice_load_env

case "${1:-}" in -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac

"$dir/start-master.sh" || exit 1
read -r url webui <<<"$(sluice_running_master)"
status=0
"$dir/start-workers.sh" "$url" || status=1

# The workers that run now, by pid file, must all show ALIVE on the master.
expected=0
for f in $(sluice_pid_files worker); do
  sluice_running_pid "$f" worker >/dev/null && expected=$((expected + 1))
done
if [ -z "$webui" ]; then
  echo "cluster: master at $url (no web UI), $expected workers started"
  exit "$status"
fi
timeout="${SLUICE_DAEMON_TIMEOUT:-30}" start_time=$SECONDS
while :; do
  # shellcheck disable=SC2086  # SLUICE_MASTER_OPTS is a list of flags separated by spaces
  alive="$(sluice_json_field "$webui/json" aliveworkers "$(sluice_secret_file_in ${SLUICE_MASTER_OPTS:-})")" || alive="?"
  [ "$alive" = "$expected" ] && break
  if [ $((SECONDS - start_time)) -ge "$timeout" ]; then
    echo "start-cluster.sh: the master shows $alive ALIVE workers, expected $expected, after ${timeout}s" >&2
    status=1
    break
  fi
  sleep 0.2
done
noun=workers
[ "$alive" = 1 ] && noun=worker
echo "cluster: master at $url, web UI $webui, $alive $noun ALIVE"
exit "$status"
