#!/usr/bin/env bash
# Stops the cluster that scripts/start-cluster.sh started: the workers, then the master.
# Exactly the daemons whose pid files are in $SLUICE_PID_DIR, each checked to still be that
# daemon before it is stopped; the pid files are removed.
#
#   scripts/stop-cluster.sh
set -uo pipefail
case "${1:-}" in -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
dir="$(dirname "${BASH_SOURCE[0]}")"
status=0
"$dir/stop-workers.sh" || status=1
"$dir/stop-master.sh" || status=1
exit "$status"
