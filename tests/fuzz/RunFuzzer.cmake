# The CTest fuzz_* tests (tests/fuzz/CMakeLists.txt): runs FUZZER for RUNS runs with seed 1 on the
# tree's CORPUS, read only, with DICT and MAX_LEN. New inputs go to SCRATCH/new and crash files to
# SCRATCH/artifacts (both emptied first), so the source tree is never written.
foreach(var FUZZER CORPUS DICT SCRATCH RUNS MAX_LEN)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunFuzzer.cmake: -D${var}=... is required")
  endif()
endforeach()
file(REMOVE_RECURSE ${SCRATCH})
file(MAKE_DIRECTORY ${SCRATCH}/new ${SCRATCH}/artifacts)
execute_process(
  COMMAND ${FUZZER} -runs=${RUNS} -seed=1 -max_len=${MAX_LEN} -timeout=60 -dict=${DICT}
          -artifact_prefix=${SCRATCH}/artifacts/ -print_final_stats=1 ${SCRATCH}/new ${CORPUS}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB crashes ${SCRATCH}/artifacts/*)
  message(FATAL_ERROR "${FUZZER} failed (${rc}); the input that failed: ${crashes}\n"
                      "Replay it with: ${FUZZER} <file>; docs/testing.md says how to minimise it.")
endif()
