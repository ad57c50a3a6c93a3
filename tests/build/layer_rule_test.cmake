# tests/build/layer_rule_test.cmake — ctest `layer_rule`: the build's include check
# (cmake/check_layers.cmake) passes on the source tree, and fails, naming file and line, on
# a scratch tree with an upward include and with one backend including another's header.
# Run as: cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch> -P layer_rule_test.cmake
set(checker ${SOURCE_DIR}/cmake/check_layers.cmake)

function(run_checker root expect_ok expect_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${root} -DSTAMP=${WORK_DIR}.stamp
                          -P ${checker}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "the checker refused ${root}:\n${err}")
  endif()
  if(NOT expect_ok)
    if(rc EQUAL 0)
      message(FATAL_ERROR "the checker accepted ${root}, which breaks the layer rule")
    endif()
    string(REPLACE "\n" " " flat "${err}")
    string(REGEX REPLACE " +" " " flat "${flat}")
    string(FIND "${flat}" "${expect_text}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "expected '${expect_text}' in the checker's message:\n${err}")
    endif()
  endif()
endfunction()

run_checker(${SOURCE_DIR} TRUE "")

file(REMOVE_RECURSE ${WORK_DIR})
file(WRITE ${WORK_DIR}/tree/core/units.h "#pragma once\n#include \"core/status.h\"\n")
file(WRITE ${WORK_DIR}/tree/sync/engine.h "#pragma once\n#include \"remotes/remote.h\"\n")
file(WRITE ${WORK_DIR}/tree/remotes/oss/errors.h "#pragma once\n#include \"remotes/http/x.h\"\n")
run_checker(${WORK_DIR}/tree TRUE "")

file(APPEND ${WORK_DIR}/tree/core/units.h "#include \"sync/engine.h\"\n")
run_checker(${WORK_DIR}/tree FALSE
            "core/units.h:3: includes sync/engine.h (core/ may include only core/)")

file(WRITE ${WORK_DIR}/tree/core/units.h "#pragma once\n")
file(APPEND ${WORK_DIR}/tree/remotes/oss/errors.h "#include \"remotes/s3/sigv4.h\"\n")
run_checker(${WORK_DIR}/tree FALSE "remotes/oss/errors.h:3: includes remotes/s3/sigv4.h")
