# tests/peers/oss/oss.cmake — the OSS test server's own tests (node --test on
# tests/peers/oss/test), included OPTIONAL by tests/peers/peers.cmake. They start their own
# server on a free port and need the npm packages of tests/peers (ali-oss) installed.
find_program(CPSYNC_NODE node)
if(CPSYNC_NODE)
  add_test(NAME oss_server_selftest
           COMMAND ${CPSYNC_NODE} --test ${CMAKE_CURRENT_LIST_DIR}/test/
           WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(oss_server_selftest PROPERTIES
    TIMEOUT 600
    LABELS "integration;peers;oss")
else()
  message(STATUS "node not found: oss_server_selftest not registered")
endif()
