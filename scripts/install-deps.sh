#!/usr/bin/env bash
# Installs every package Sluice needs to build, test and run, from Debian's archive.
# Idempotent: it calls apt-get (update, then install) only when something is missing.
#
#   scripts/install-deps.sh            everything: build, run, tests and benchmarks
#   scripts/install-deps.sh --minimal  only what building and running a cluster needs (the demo)
set -euo pipefail

# Building (the tests' Catch2 included, so that the demo's build dir serves scripts/test.sh)
# and running: the compiler, CMake, Ninja, the libraries, what the scripts and the demo call.
MINIMAL=(
  g++ cmake ninja-build pkg-config ccache catch2
  libzmq3-dev libsodium-dev cppzmq-dev libcereal-dev libboost-program-options-dev
  libspdlog-dev libfmt-dev nlohmann-json3-dev libcpp-httplib-dev
  libxxhash-dev liblz4-dev
  libabsl-dev  # flat hash maps on the per-record paths (rdd/combine_map.h)
  librdkafka-dev  # the Kafka direct stream and sink (streaming/kafka), sluice-kafka-mock
  procps coreutils python3
)
# Tests and benchmarks.
TESTING=(
  build-essential git curl jq
  gnuplot-nox  # sluice-tune's plots (PNG through the pngcairo terminal)
  chromium  # the web UI tests load pages in headless Chromium
  redis-server libhiredis-dev  # the Yahoo Streaming Benchmark (bench/ysb/) and its test
  kcat  # reading and writing the mock cluster's topics by hand
)

case "${1:-}" in
  --minimal) PACKAGES=("${MINIMAL[@]}") ;;
  "") PACKAGES=("${MINIMAL[@]}" "${TESTING[@]}") ;;
  -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
  *) echo "install-deps: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

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
