// tests/integration/peer_env.h — what the ctest fixtures (tests/peers/*/start) wrote about
// a running peer: $CPSYNC_PEERS_DIR/<peer>.env, KEY=VALUE lines. A missing file fails the
// test: integration tests never pass without their server.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace cpsync::testing {

inline std::filesystem::path peers_dir() {
  const char* d = std::getenv("CPSYNC_PEERS_DIR");
  if (d && *d) return d;
  return std::filesystem::path(CPSYNC_SOURCE_DIR) / "build" / "peers";
}

// peer: "ceph", "azurite", "azurite-oauth", "oss", "imds" or "redis".
inline std::map<std::string, std::string> peer_env(const std::string& peer) {
  const std::filesystem::path path = peers_dir() / (peer + ".env");
  std::ifstream in(path);
  INFO("peer file " << path << " (is the " << peer << " fixture running?)");
  REQUIRE(in.good());
  std::map<std::string, std::string> env;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos && line[0] != '#') env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

}  // namespace cpsync::testing
