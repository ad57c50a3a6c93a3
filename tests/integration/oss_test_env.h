// tests/integration/oss_test_env.h — helpers for the OSS remote's integration tests: a
// remote made from the peer's oss.env (V1 or V4 signing), a fresh bucket per test that is
// emptied and removed at the end, deterministic data and small read/write helpers.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "remotes/oss/oss_remote.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {

inline ConfigSection oss_section(const std::string& signature,
                                 std::map<std::string, std::string> extra = {}) {
  auto env = peer_env("oss");
  ConfigSection s;
  s.name = "osstest";
  s.type = "oss";
  s.origin = "test";
  s.values = {{"endpoint", env["OSS_ENDPOINT"]},
              {"access_key_id", env["OSS_ACCESS_KEY_ID"]},
              {"access_key_secret", env["OSS_ACCESS_KEY_SECRET"]},
              {"region", env["OSS_REGION"]},
              {"signature_version", signature}};
  for (auto& [k, v] : extra) s.values[k] = v;
  return s;
}

inline std::unique_ptr<Remote> oss_remote(const std::string& signature,
                                          std::map<std::string, std::string> extra = {}) {
  auto r = make_oss_remote(oss_section(signature, std::move(extra)));
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::string unique_bucket(const std::string& tag) {
  static std::atomic<int> n{0};
  auto t = std::chrono::system_clock::now().time_since_epoch().count();
  return "t-" + tag + "-" + std::to_string(t % 100000000) + "-" + std::to_string(n++);
}

inline std::vector<std::string> list_keys(Remote& r, const ListRequest& req) {
  std::vector<std::string> keys;
  Status st = r.list(req, [&](std::vector<ObjectInfo>& page) {
    for (auto& o : page) keys.push_back(o.key);
    return Status::OK();
  });
  INFO(st.message);
  REQUIRE(st.ok());
  return keys;
}

// A bucket that exists for the test's lifetime; everything in it is deleted afterwards.
struct ScopedBucket {
  Remote& r;
  std::string name;
  ScopedBucket(Remote& remote, const std::string& tag) : r(remote), name(unique_bucket(tag)) {
    Status st = r.make_bucket(name);
    INFO(st.message);
    REQUIRE(st.ok());
  }
  ~ScopedBucket() {
    std::vector<std::string> keys;
    (void)r.list(ListRequest{name, "", true, ""}, [&](std::vector<ObjectInfo>& page) {
      for (auto& o : page) keys.push_back(o.key);
      return Status::OK();
    });
    (void)r.remove_many(name, keys);
    (void)r.remove_bucket(name);
  }
};

inline std::string pattern_data(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    s[i] = static_cast<char>(seed >> 24);
  }
  return s;
}

inline Result<std::string> read_all(Remote& r, const ObjectRef& ref, ByteRange range = {}) {
  std::string out;
  Status st = r.read(ref, range, [&](const char* d, size_t n) {
    out.append(d, n);
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

inline std::string md5_hex(const std::string& s) {
  return hex_lower(md5_raw(s));
}

}  // namespace cpsync::testing
