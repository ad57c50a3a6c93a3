// tests/unit/vectors.h — loads the SDK-made signing vectors (../shared/vectors/README.md)
// from $CPSYNC_SIGNING_VECTORS, default <source>/../shared/vectors/public.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cpsync::testing {

inline std::string vectors_dir() {
  const char* env = std::getenv("CPSYNC_SIGNING_VECTORS");
  if (env && *env) return env;
  std::string dir = CPSYNC_SOURCE_DIR;
  dir += "/../shared/vectors/public";
  return dir;
}

// The vectors of one family (e.g. "sigv4-header"); fails the test when the file is
// missing or empty, so a wrong directory can never pass silently.
inline nlohmann::json load_vectors(const std::string& family) {
  std::string path = vectors_dir() + "/" + family + ".json";
  std::ifstream in(path);
  INFO("vector file " << path);
  REQUIRE(in.good());
  nlohmann::json j = nlohmann::json::parse(in);
  REQUIRE(j.is_array());
  REQUIRE(!j.empty());
  return j;
}

// [[name, value], ...] as ordered pairs; a JSON null value becomes the sentinel "\x01null".
inline std::vector<std::pair<std::string, std::string>> pairs(const nlohmann::json& j) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& p : j)
    out.emplace_back(p[0].get<std::string>(),
                     p[1].is_null() ? "\x01null" : p[1].get<std::string>());
  return out;
}

}  // namespace cpsync::testing
