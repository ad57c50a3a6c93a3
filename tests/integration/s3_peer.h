// tests/integration/s3_peer.h — helpers for the S3 tests against Ceph RGW (peer "ceph"):
// a remote built from the fixture's env file and a fresh bucket per test, emptied and
// removed afterwards. One S3Bucket per test; not shared between threads.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "conf/config_section.h"
#include "core/crypto.h"
#include "remotes/remote.h"
#include "remotes/s3/s3_remote.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {

inline ConfigSection ceph_section(const std::map<std::string, std::string>& extra = {}) {
  auto env = peer_env("ceph");
  ConfigSection s;
  s.name = "ceph";
  s.type = "s3";
  s.origin = "test";
  s.values = {{"provider", "Ceph"},
              {"endpoint", env["S3_ENDPOINT"]},
              {"access_key_id", env["S3_ACCESS_KEY_ID"]},
              {"secret_access_key", env["S3_SECRET_ACCESS_KEY"]},
              {"region", env["S3_REGION"]}};
  for (const auto& [k, v] : extra) s.values[k] = v;
  return s;
}

inline std::unique_ptr<Remote> ceph_remote(const std::map<std::string, std::string>& extra = {}) {
  auto r = make_s3_remote(ceph_section(extra));
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::string random_suffix() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 10; ++i) out.push_back("0123456789abcdefghijklmnopqrstuvwxyz"[rd() % 36]);
  return out;
}

// Deterministic test bytes.
inline std::string test_bytes(size_t n, uint32_t seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = static_cast<char>(x >> 24);
  }
  return s;
}

inline std::string md5_hex(std::string_view s) {
  return hex_lower(md5_raw(s));
}

// A fresh bucket on the Ceph peer, emptied and removed by the destructor.
struct S3Bucket {
  std::unique_ptr<Remote> remote;
  std::string bucket;
  explicit S3Bucket(const std::map<std::string, std::string>& extra = {})
      : remote(ceph_remote(extra)), bucket("cpsync-test-" + random_suffix()) {
    Status st = remote->make_bucket(bucket);
    INFO(st.message);
    REQUIRE(st.ok());
  }
  ~S3Bucket() {
    std::vector<std::string> keys;
    (void)remote->list({bucket, "", true, ""}, [&](std::vector<ObjectInfo>& page) {
      for (auto& o : page) keys.push_back(o.key);
      return Status::OK();
    });
    (void)remote->remove_many(bucket, keys);
    (void)remote->remove_bucket(bucket);
  }
  ObjectRef ref(const std::string& key) const { return {bucket, key}; }
  Result<std::string> get(const std::string& key, ByteRange range = {}) const {
    std::string out;
    Status st = remote->read(ref(key), range, [&](const char* d, size_t n) {
      out.append(d, n);
      return Status::OK();
    });
    if (!st.ok()) return st;
    return out;
  }
  std::vector<ObjectInfo> list(const std::string& prefix = "", bool recursive = true) const {
    std::vector<ObjectInfo> all;
    Status st = remote->list({bucket, prefix, recursive, ""}, [&](std::vector<ObjectInfo>& page) {
      for (auto& o : page) all.push_back(o);
      return Status::OK();
    });
    INFO(st.message);
    REQUIRE(st.ok());
    return all;
  }
};

}  // namespace cpsync::testing
