# Fuzz targets: tests/fuzz/fuzz_<name>.c with a seed corpus in
# tests/fuzz/corpus_<name>/. Each runs its corpus as an ordinary CTest test
# (plain and sanitized). With -DTIERSIM_FUZZ=ON (clang) each also becomes a
# libFuzzer binary fuzz_<name>_lf; `ctest -L fuzz` then runs each for
# TIERSIM_FUZZ_SECONDS (default 60).
option(TIERSIM_FUZZ "Build libFuzzer binaries (needs clang)" OFF)
set(TIERSIM_FUZZ_SECONDS 60 CACHE STRING "Seconds per libFuzzer target in the fuzz build")
if(TIERSIM_FUZZ)
  # The core library instrumented for coverage, so libFuzzer sees the parsers.
  tiersim_core_library(tiersim_core_fuzz)
  target_compile_options(tiersim_core_fuzz PUBLIC
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -g -O1)
  target_link_options(tiersim_core_fuzz PUBLIC -fsanitize=address,undefined)
endif()
file(GLOB TIERSIM_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${TIERSIM_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" short ${name})
  set(corpus ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus_${short})
  add_executable(${name} ${src} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/driver.c)
  target_compile_options(${name} PRIVATE ${TIERSIM_WARNINGS})
  target_link_libraries(${name} PRIVATE tiersim_core)
  add_test(NAME ${name}_corpus COMMAND ${name} ${corpus})
  if(TIERSIM_SANITIZERS)
    add_executable(${name}_san ${src} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/driver.c)
    target_compile_options(${name}_san PRIVATE ${TIERSIM_WARNINGS})
    target_link_libraries(${name}_san PRIVATE tiersim_core_san)
    add_test(NAME ${name}_corpus_san COMMAND ${name}_san ${corpus})
  endif()
  if(TIERSIM_FUZZ)
    add_executable(${name}_lf ${src})
    target_compile_options(${name}_lf PRIVATE -fsanitize=fuzzer,address,undefined -g -O1)
    target_link_options(${name}_lf PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name}_lf PRIVATE tiersim_core_fuzz)
    # New inputs go to a scratch folder in the build tree (the first corpus
    # argument), never into the committed seed corpus.
    set(scratch ${CMAKE_CURRENT_BINARY_DIR}/fuzz-scratch/${short})
    file(MAKE_DIRECTORY ${scratch})
    add_test(NAME ${name}_libfuzzer
      COMMAND ${name}_lf -max_total_time=${TIERSIM_FUZZ_SECONDS} ${scratch} ${corpus})
    set_tests_properties(${name}_libfuzzer PROPERTIES LABELS fuzz)
  endif()
endforeach()
