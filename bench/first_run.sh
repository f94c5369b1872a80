#!/usr/bin/env bash
# The first run of a new user, measured: a bare Debian 12 (debootstrap --variant=minbase,
# nothing but apt-get) gets a clone of this repository and runs scripts/demo.sh as root in a
# chroot. Prints the seconds from the start to: packages installed, build done ("demo:
# ready"), and the first streaming batch line; the demo's whole output, time-stamped, is in
# OUT/demo.log. Needs root, debootstrap and a Debian mirror; the loopback addresses and ports
# are the host's (the chroot shares its network).
#
#   bench/first_run.sh [--out DIR] [--mirror URL] [--keep]
#
#   --out DIR     default bench-out/first_run in the current directory (the chroot is OUT/root)
#   --mirror URL  default http://deb.debian.org/debian
#   --keep        keep the chroot (by default it is removed; a bare one is about 200 MB)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="" MIRROR=http://deb.debian.org/debian KEEP=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=${2:?}; shift 2 ;;
    --mirror) MIRROR=${2:?}; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "first_run.sh: unknown flag $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "first_run.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "first_run.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }
# shellcheck source=bench/lib/dirs.sh
source "$ROOT/bench/lib/dirs.sh"
bench_out first_run "$OUT"
chroot_dir="$OUT/root"
[[ ! -e "$chroot_dir" ]] || { echo "first_run.sh: $chroot_dir exists; remove it first" >&2; exit 2; }

mounted=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local m
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done
  if [[ "$KEEP" == true ]]; then echo "first_run: chroot kept in $chroot_dir" >&2; else rm -rf "$chroot_dir"; fi
}
trap cleanup EXIT

echo "first_run: debootstrap bookworm into $chroot_dir (not timed)" >&2
debootstrap --variant=minbase bookworm "$chroot_dir" "$MIRROR" >"$OUT/debootstrap.log" 2>&1 ||
  { tail -5 "$OUT/debootstrap.log" >&2; exit 1; }
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
for m in proc sys dev; do mount --bind "/$m" "$chroot_dir/$m"; mounted+=("$chroot_dir/$m"); done
git clone -q "$ROOT" "$chroot_dir/root/sluice"
echo "first_run: scripts/demo.sh in the chroot, at $(git -C "$ROOT" rev-parse --short HEAD)" >&2

start=$(date +%s)
set +e
chroot "$chroot_dir" bash -c 'cd /root/sluice && scripts/demo.sh' 2>&1 |
  while IFS= read -r line; do printf '%s %s\n' "$(($(date +%s) - start))" "$line"; done >"$OUT/demo.log"
rc=${PIPESTATUS[0]}
set -e
at() { awk -v re="$1" '$0 ~ re { print $1; exit }' "$OUT/demo.log"; }
echo "packages installed: $(at '== building') s"
echo "build done (demo: ready): $(at 'demo: ready') s"
echo "first batch line: $(at 'batch [0-9]+ ms:') s"
echo "demo finished: $(tail -n 1 "$OUT/demo.log" | cut -d' ' -f1) s (exit $rc)"
exit "$rc"
