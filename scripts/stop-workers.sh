#!/usr/bin/env bash
# Stops every sluice-worker that scripts/start-workers.sh or start-worker.sh started on this
# machine, by their pid files in $SLUICE_PID_DIR (whatever conf/workers says now).
#
#   scripts/stop-workers.sh
set -uo pipefail
case "${1:-}" in -h | --help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
exec "$(dirname "${BASH_SOURCE[0]}")/stop-worker.sh"
