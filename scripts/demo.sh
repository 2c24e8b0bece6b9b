#!/usr/bin/env bash
# demo.sh — build StrataDB (Release, ./build) and run the quickstart example.
#
# On a fresh Debian 12 machine, as root: installs any missing build
# dependency with apt-get, configures and builds ./build, then runs
# build/examples/quickstart against ./strata-data (Buffered durability: a
# second run shows the first run's data). Safe to run again: it only
# rebuilds what changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PACKAGES=(build-essential cmake ccache libboost1.81-dev libboost-json1.81-dev
          libboost-test1.81-dev libboost-container1.81-dev)

# Installs the packages that are not installed yet (nothing when all are).
ensure_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "==> installing missing packages: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

ensure_packages
echo "==> configuring and building ./build (Release)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
echo "==> running build/examples/quickstart"
build/examples/quickstart
