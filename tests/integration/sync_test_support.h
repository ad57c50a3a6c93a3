// tests/integration/sync_test_support.h — helpers for sync tests: deterministic trees,
// running run_sync with sane defaults, and reading every object of a side back with MD5.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "sync/engine.h"
#include "sync/entry_stream.h"

namespace cpsync::testing {

// Deterministic content for a key (size bytes, seeded by the key and a version).
inline std::string content_for(const std::string& key, size_t size, int version = 0) {
  std::seed_seq seq(key.begin(), key.end());
  std::mt19937 rng(seq);
  rng.discard(static_cast<unsigned long long>(version) * 7);
  std::string s(size, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  if (version && size) s[0] = static_cast<char>(version);
  return s;
}

inline Status put_object(Remote& r, const std::string& bucket, const std::string& key,
                         const std::string& data, TimePoint mtime) {
  UploadOptions uo;
  uo.size = data.size();
  uo.mtime = mtime;
  uo.metadata["mtime"] = std::to_string(mtime.time_since_epoch().count() / 1000000000) + ".0";
  auto res = r.put(ObjectRef{bucket, key}, data.data(), data.size(), uo);
  return res.status();
}

// key (relative to prefix) -> md5 hex of the content, read back through the remote.
inline std::map<std::string, std::string> snapshot(Remote& r, const std::string& bucket,
                                                   const std::string& prefix) {
  std::map<std::string, std::string> out;
  RemoteListing list(r, bucket, prefix);
  while (const ObjectInfo* e = list.next()) {
    Digest md5(Digest::Algo::md5);
    Status st =
        r.read(ObjectRef{bucket, prefix + e->key}, ByteRange{}, [&](const char* d, size_t n) {
          md5.update(d, n);
          return Status::OK();
        });
    INFO(st.to_string());
    REQUIRE(st.ok());
    out[e->key] = hex_lower(md5.digest());
  }
  INFO(list.status().to_string());
  REQUIRE(list.status().ok());
  return out;
}

struct SyncRunner {
  BufferPool pool{64u << 20, 8u << 20};
  SyncOptions options;
  SyncRunner() {
    options.transfer.pool = &pool;
    options.transfer.chunk_size = 8u << 20;
    options.transfers = 4;
    options.checkers = 4;
  }
  // Runs and returns the stats; the Status goes to *status.
  Status run(const SyncEndpoint& s, const SyncEndpoint& d, SyncStats& stats) {
    return run_sync(s, d, options, stats);
  }
};

}  // namespace cpsync::testing
