# cmake/check_layers.cmake — the layer rule, checked at build time:
#   cli -> sync -> remotes -> conf -> core
# A file may include headers of its own layer and of the layers below it, never above; and
# the backends under remotes/ (BACKENDS below) do not include one another (what they share
# lives in remotes/ or a shared directory under it, such as remotes/http).
# Run as: cmake -DSOURCE_DIR=<repo> -DSTAMP=<file> -P check_layers.cmake
# Every violation is listed as "file:line: includes X (layer may include only ...)"; the
# stamp is written only when there is none, so the build stops until the include is fixed.
set(LAYERS core conf remotes sync cli)
set(BACKENDS azure local oss s3)

set(violations "")
list(LENGTH LAYERS layer_count)
math(EXPR last "${layer_count} - 1")
foreach(rank RANGE ${last})
  list(GET LAYERS ${rank} layer)
  list(SUBLIST LAYERS 0 ${rank} below)
  list(APPEND below ${layer})
  string(REPLACE ";" "/, " allowed "${below}")
  file(GLOB_RECURSE files RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/${layer}/*.h
       ${SOURCE_DIR}/${layer}/*.cc)
  foreach(f IN LISTS files)
    set(backend "")
    if(f MATCHES "^remotes/([^/]+)/")
      list(FIND BACKENDS "${CMAKE_MATCH_1}" b)
      if(b GREATER -1)
        set(backend "${CMAKE_MATCH_1}")
      endif()
    endif()
    file(STRINGS ${SOURCE_DIR}/${f} lines)
    set(n 0)
    foreach(line IN LISTS lines)
      math(EXPR n "${n} + 1")
      if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*\"(([^/\"]+)/[^\"]*)\"")
        continue()
      endif()
      set(target "${CMAKE_MATCH_1}")
      set(top "${CMAKE_MATCH_2}")
      list(FIND LAYERS "${top}" top_rank)
      if(top_rank GREATER rank)
        list(APPEND violations
             "${f}:${n}: includes ${target} (${layer}/ may include only ${allowed}/)")
      elseif(backend AND target MATCHES "^remotes/([^/]+)/")
        set(other "${CMAKE_MATCH_1}")
        list(FIND BACKENDS "${other}" o)
        if(o GREATER -1 AND NOT other STREQUAL backend)
          list(APPEND violations
               "${f}:${n}: includes ${target} (a backend may not include another's headers)")
        endif()
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n" text)
  message(FATAL_ERROR "layer rule broken (cli -> sync -> remotes -> conf -> core):\n${text}")
endif()
file(TOUCH ${STAMP})
