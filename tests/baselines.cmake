# Every bundled scenario listed here runs under CTest and is checked against
# its committed baseline (tests/baselines/<name>.json) with `tiersim check`:
# a change that moves any placement metric fails until the baseline is
# updated on purpose in the same commit:
#   build/tiersim compare scenarios/<name>.json -o /tmp/x -q &&
#   build/tiersim check /tmp/x/compare.json --baseline tests/baselines/<name>.json --update
set(TIERSIM_BASELINE_SCENARIOS cxl-kswapd-inversion direct-reclaim-remote writeback-elsewhere
  strict-density tiering-settle bandwidth-loaded-dram trace-damon trace-lackey trace-perf
  trace-pinatrace trace-prospero trace-ramulator trace-text)
foreach(name ${TIERSIM_BASELINE_SCENARIOS})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/baseline-runs/${name})
  add_test(NAME baseline_${name}
    COMMAND sh -c "\"$1\" compare \"$2\" -o \"$3\" -q && \"$1\" check \"$3/compare.json\" --baseline \"$4\" -q"
            sh $<TARGET_FILE:tiersim> ${PROJECT_SOURCE_DIR}/scenarios/${name}.json ${out}
            ${CMAKE_CURRENT_SOURCE_DIR}/baselines/${name}.json)
  set_tests_properties(baseline_${name} PROPERTIES TIMEOUT 300)
endforeach()
