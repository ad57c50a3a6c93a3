// core/http_connections.h — how many connections core/http has opened in this process (each a
// TCP connect and, over https, a TLS handshake; libcurl's CURLINFO_NUM_CONNECTS summed over
// requests), for --stats and the tests that check connections are reused.
// request_counters().reset() zeroes it too. Thread-safe.
#pragma once

#include <cstdint>

namespace cpsync {

uint64_t connections_opened();

}  // namespace cpsync
