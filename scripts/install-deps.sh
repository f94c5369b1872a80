#!/usr/bin/env bash
# Installs every package Sluice needs to build, test and run, from Debian's archive.
# Idempotent: it calls apt-get only when something is missing.
set -euo pipefail

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git
  libzmq3-dev cppzmq-dev libcereal-dev libboost-program-options-dev
  libspdlog-dev libfmt-dev catch2 nlohmann-json3-dev libcpp-httplib-dev
  libxxhash-dev liblz4-dev
  procps coreutils python3 curl jq
  gnuplot-nox  # sluice-tune's plots (PNG through the pngcairo terminal)
  chromium  # the web UI tests load pages in headless Chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
