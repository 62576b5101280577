#!/bin/sh
# Optional: builds every fuzz target with clang's libFuzzer (installing
# clang when missing) and runs each for FUZZ_SECONDS (default 60) under
# ASan+UBSan, starting from its committed seed corpus.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
if ! command -v clang >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clang >&2
fi
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIERSIM_FUZZ=ON \
    -DTIERSIM_FUZZ_SECONDS="${FUZZ_SECONDS:-60}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" >&2
cd build-fuzz
exec ctest -L fuzz --output-on-failure
