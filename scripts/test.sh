#!/bin/sh
# Builds tiersim (plain and ASan+UBSan copies) and runs the whole test suite
# under CTest; CTest's summary is the last thing printed.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
cd build
exec ctest --output-on-failure -j"$(nproc)"
