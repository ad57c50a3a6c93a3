# tests/peers/peers.cmake — ctest fixtures that start and stop the test peers (Ceph RGW,
# Azurite, Azurite in OAuth mode, the OSS test server, the credentials endpoint, Redis) in
# ${CMAKE_BINARY_DIR}/peers, and the integration tests, selected by Catch tag, that need them.
# Included from tests/CMakeLists.txt.
#
#   ctest -L unit           unit tests only (no servers)
#   ctest -L integration    integration and e2e tests (starts the peers they need)
#
# A test that needs more than one peer is tagged [cross] (or [e2e]); the per-peer groups
# exclude both tags, so each group runs with exactly the fixtures it names.

set(CPSYNC_PEERS_DIR ${CMAKE_BINARY_DIR}/peers)
set(CPSYNC_PEERS_SRC ${CMAKE_CURRENT_LIST_DIR})

# One fixture per peer: peer_<name>, set up by <name>/start DIR, cleaned up by <name>/stop DIR.
# ceph and azurite share nothing, so their starts may run in parallel (ctest -j); the
# fixture of azurite-oauth is peer_azurite-oauth (it and imds share DIR/testca, under a lock).
foreach(peer ceph azurite azurite-oauth oss imds redis azurite-front)
  add_test(NAME peer_${peer}_start COMMAND ${CPSYNC_PEERS_SRC}/${peer}/start ${CPSYNC_PEERS_DIR})
  add_test(NAME peer_${peer}_stop COMMAND ${CPSYNC_PEERS_SRC}/${peer}/stop ${CPSYNC_PEERS_DIR})
  set_tests_properties(peer_${peer}_start PROPERTIES
    FIXTURES_SETUP peer_${peer} TIMEOUT 300 LABELS "integration;peers" RESOURCE_LOCK peer_${peer})
  set_tests_properties(peer_${peer}_stop PROPERTIES
    FIXTURES_CLEANUP peer_${peer} TIMEOUT 120 LABELS "integration;peers" RESOURCE_LOCK peer_${peer})
endforeach()
# The credentials endpoint asks the Ceph peer's STS for the keys it hands out.
set_tests_properties(peer_imds_start PROPERTIES FIXTURES_REQUIRED peer_ceph)
# The front serves Put Blob/Block From URL for foreign sources in front of Azurite.
set_tests_properties(peer_azurite-front_start PROPERTIES FIXTURES_REQUIRED peer_azurite)

# cpsync_integration(NAME TAGS TIMEOUT PEER...): runs integration_tests with the Catch test
# spec TAGS against the given peers. A group without any test fails (--warn NoTests).
# RESOURCE_LOCK: groups on different peers run in parallel, groups sharing one do not.
function(cpsync_integration name tags timeout)
  add_test(NAME ${name} COMMAND integration_tests "${tags}" --warn NoTests)
  set(fixtures "")
  set(locks "")
  foreach(peer IN LISTS ARGN)
    list(APPEND fixtures peer_${peer})
    list(APPEND locks peer_${peer})
  endforeach()
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "CPSYNC_PEERS_DIR=${CPSYNC_PEERS_DIR}"
    LABELS integration
    TIMEOUT ${timeout})
  if(fixtures)
    set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED "${fixtures}"
      RESOURCE_LOCK "${locks}")
  else()
    set_tests_properties(${name} PROPERTIES RESOURCE_LOCK local_fs)
  endif()
endfunction()

cpsync_integration(integration_local "[local]~[cross]~[e2e]" 900)
cpsync_integration(integration_s3 "[s3]~[cross]~[e2e]" 1800 ceph)
# S3 credential providers and refresh: RGW's STS and the credentials endpoint (imds/).
cpsync_integration(integration_s3_credentials "[s3creds]" 1200 ceph imds)
cpsync_integration(integration_azure "[azure]~[cross]~[e2e]" 1800 azurite)
# Azure AD tokens: imds/ mints them, Azurite in OAuth mode over HTTPS checks them (and
# azurite-front fetches its user delegation SAS URLs for server-side copies).
cpsync_integration(integration_azure_identity "[azidentity]" 600 ceph imds azurite-oauth azurite
                   azurite-front)
cpsync_integration(integration_oss "[oss]~[cross]~[e2e]" 1800 oss)
# OSS credential providers and refresh: imds/alibaba.js (ECS metadata, Alibaba STS) issues
# the keys, the OSS test server checks them (tests/e2e/oss_credentials_test.cc).
cpsync_integration(integration_oss_credentials "[osscreds]" 600 oss imds)
cpsync_integration(integration_cross "[cross]~[e2e]" 2400 ceph azurite oss)
# Cross-cloud server-side copies (Put Blob/Block From URL) through azurite-front.
cpsync_integration(integration_xcopy "[xcopy]" 1200 ceph azurite oss azurite-front)
cpsync_integration(e2e "[e2e]~[queue]~[events]" 2400 ceph azurite oss)
# The Redis Streams work queue (--queue): planner and worker processes, S3 -> Azure, and
# part tasks of large objects to S3, Azure and OSS.
cpsync_integration(e2e_queue "[queue]" 600 ceph azurite oss redis)
# Event replication (cpsync replicate: event files, Azurite's queue service, a Redis stream)
# and inventory reports as the source listing (--source-inventory).
cpsync_integration(e2e_events "[events]" 900 ceph azurite oss redis)
# 200,000 keys put and listed on RGW (about 6 min on the shared 2-core machine): label long.
cpsync_integration(integration_listing_long "[listlong]" 1800 ceph)
set_tests_properties(integration_listing_long PROPERTIES LABELS "integration;long")
# Issue 12's proof: 20,000 objects RGW -> Azurite by 4 shard processes and by 4 queue
# workers, one SIGKILLed (tests/e2e/scale_long_test.cc, about 10 min here): label long.
cpsync_integration(e2e_scale_long "[scalelong]" 1800 ceph azurite redis)
set_tests_properties(e2e_scale_long PROPERTIES LABELS "integration;long")

# Bucket regions: a second zonegroup on the Ceph peer (its start restarts the peer's main
# gateway, hence the lock), and one remote reaching both.
add_test(NAME peer_ceph-zonegroup_start
  COMMAND ${CPSYNC_PEERS_SRC}/ceph-zonegroup/start ${CPSYNC_PEERS_DIR})
set_tests_properties(peer_ceph-zonegroup_start PROPERTIES FIXTURES_SETUP peer_ceph-zonegroup
  FIXTURES_REQUIRED peer_ceph TIMEOUT 300 LABELS "integration;peers" RESOURCE_LOCK peer_ceph)
cpsync_integration(integration_s3_region "[s3region]" 600 ceph ceph-zonegroup)

# The OSS test server's own tests, when it has some.
include(${CMAKE_CURRENT_LIST_DIR}/oss/oss.cmake OPTIONAL)
