#!/bin/sh
# Installs what tiersim needs (Debian 12 packages) when missing, then
# configures and builds it in build/. Sourced by demo.sh and test.sh; safe to
# run again (it only installs and rebuilds what is missing or changed).
set -eu

TIERSIM_PACKAGES="gcc make cmake pkg-config libglib2.0-dev libcjson-dev gnuplot-nox valgrind \
zlib1g-dev libzstd-dev liblz4-dev"

missing=""
for pkg in $TIERSIM_PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -n "$missing" ]; then
    echo "setup: installing$missing" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi

cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >&2
