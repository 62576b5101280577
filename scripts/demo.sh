#!/bin/sh
# The main job: compares the four placement policies on the bundled
# scenario in which kswapd of a CPU-less CXL node compresses cold CXL pages
# into DRAM, and prints the side-by-side table and where the outputs are.
set -eu
cd "$(dirname "$0")/.."
./scripts/setup.sh
./build/tiersim compare scenarios/cxl-kswapd-inversion.json \
    --policies task,local,origin,strict -o results/demo
if ./build/tiersim help 2>/dev/null | grep -q '^  plot '; then
    ./build/tiersim plot results/demo
fi
