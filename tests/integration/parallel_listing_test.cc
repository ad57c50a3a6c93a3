// tests/integration/parallel_listing_test.cc — sync/parallel_listing.h against RGW, Azurite and
// the OSS test server: the parallel listing equals Remote::list's (keys, sizes, ETags, order)
// on an empty bucket, one page, awkward keys, ranges without keys, a prefix, shard ranges and
// tails cut after the discovery pages (small pages on Azure and OSS); and ([listlong], its own
// ctest group labelled long) 200,000 keys on RGW.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/http.h"
#include "sync/entry_stream.h"
#include "sync/parallel_listing.h"
#include "sync/shard.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

struct Entry {
  std::string key;
  uint64_t size;
  std::string etag;
  bool operator==(const Entry&) const = default;
};

std::vector<Entry> sequential(Remote& r, const ListRequest& req, const std::string& stop = "") {
  std::vector<Entry> out;
  Status st = r.list(req, [&](std::vector<ObjectInfo>& page) {
    for (auto& e : page)
      if (stop.empty() || e.key < stop) out.push_back({e.key, e.size, e.etag});
    return Status::OK();
  });
  INFO(st.to_string());
  REQUIRE(st.ok());
  return out;
}

// With first_pages 0 the ranges are cut at once, however few keys there are.
std::vector<Entry> parallel(Remote& r, const ListRequest& req, int n, const std::string& stop = "",
                            ParallelListStats* stats = nullptr, size_t first_pages = 0) {
  ParallelListOptions o;
  o.parallel = n;
  o.first_pages = first_pages;
  o.stop = stop;
  std::vector<Entry> out;
  Status st = list_parallel(
      r, req, o,
      [&](std::vector<ObjectInfo>& page) {
        for (auto& e : page) out.push_back({e.key, e.size, e.etag});
        return Status::OK();
      },
      stats);
  INFO(st.to_string());
  REQUIRE(st.ok());
  return out;
}

// Puts a one-byte object at every key from `threads` threads.
void put_all(Remote& r, const std::string& bucket, const std::vector<std::string>& keys,
             int threads) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  std::string first_error;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < keys.size();) {
        Status st = r.put({bucket, keys[i]}, "x", 1, {}).status();
        if (!st.ok() && failures++ == 0) first_error = keys[i] + ": " + st.to_string();
      }
    });
  for (auto& t : pool) t.join();
  INFO(first_error);
  REQUIRE(failures == 0);
}

std::vector<std::string> keys_of(const std::vector<Entry>& v) {
  std::vector<std::string> k;
  for (const auto& e : v) k.push_back(e.key);
  return k;
}

// Keys directly at the top between directories, nested directories, one directory alone at
// a level, a directory marker, and the characters listings encode.
std::vector<std::string> awkward_keys() {
  std::vector<std::string> keys = {
      "a",
      "a!b",
      "a/1",
      "a/2/x",
      "a/2/y",
      "a0",
      "b/",
      "b/c",
      "d/e/f/g/h",
      "d/e/f/g/i",
      "m+plus",
      "m%25pct",
      "m space",
      "m/%/+ / x",
      "n/\xC3\xA9t\xC3\xA9/1",
      "n/\xE2\x82\xAC/2",
      "n/\xF0\x9F\x98\x80",
      "\xC3\xA9/1",
      "\xF0\x9F\x98\x80/z",
      "zz",
  };
  for (int i = 0; i < 12; ++i) keys.push_back("w/" + std::to_string(100 + i) + "/k");
  return keys;
}

void check_remote(const std::string& kind, const std::string& list_chunk) {
  ConfigSection section = peer_section(kind);
  if (!list_chunk.empty()) section.values["list_chunk"] = list_chunk;
  PeerBucket b(kind);
  auto remote = make_remote_from(section);
  Remote& r = *remote;
  const ListRequest whole{b.bucket, "", true, ""};

  SECTION("an empty bucket lists nothing") {
    CHECK(parallel(r, whole, 8).empty());
  }
  SECTION("a missing bucket is not_found") {
    ParallelListOptions o;
    Status st = list_parallel(r, {b.bucket + "-no-such", "", true, ""}, o,
                              [](std::vector<ObjectInfo>&) { return Status::OK(); });
    CHECK(st.code == Errc::not_found);
  }
  SECTION("one page of flat keys") {
    put_all(r, b.bucket, {"k1", "k2"}, 2);
    CHECK(parallel(r, whole, 8) == sequential(r, whole));
    // Listed plainly first, one page is one request: nothing is cut.
    ParallelListStats stats;
    request_counters().reset();
    CHECK(parallel(r, whole, 8, "", &stats, 2) == sequential(r, whole));
    CHECK(stats.ranges == 1);
    CHECK(request_counters().total() == 2);  // this listing's request and sequential()'s
  }

  SECTION("awkward keys") {
    std::vector<std::string> keys = awkward_keys();
    put_all(r, b.bucket, keys, 8);
    std::sort(keys.begin(), keys.end());
    const auto seq = sequential(r, whole);
    REQUIRE(keys_of(seq) == keys);
    for (int n : {2, 8, 32}) {
      ParallelListStats stats;
      CHECK(parallel(r, whole, n, "", &stats) == seq);
      CHECK(stats.ranges > 1);
      if (list_chunk.empty()) continue;
      // Small pages: cut after two plain pages, as by default.
      CHECK(parallel(r, whole, n, "", &stats, 2) == seq);
      CHECK(stats.ranges > 1);
    }
    SECTION("a prefix") {
      for (const char* p : {"a/", "d/", "d/e/", "n/", "w/", "m", "q/"}) {
        INFO(p);
        const ListRequest req{b.bucket, p, true, ""};
        CHECK(parallel(r, req, 8) == sequential(r, req));
      }
    }
    SECTION("start-after and stop keys, also with no key between them") {
      const std::vector<std::pair<std::string, std::string>> cuts = {{"a/2/x", "d/e/f/g/i"},
                                                                     {"a", "a0"},
                                                                     {"", "a/2"},
                                                                     {"m/%", ""},
                                                                     {"zz", ""},
                                                                     {"b/c", "b/d"},
                                                                     {"n/\xC3\xA9", "n/\xE2"},
                                                                     {"c", "d"},
                                                                     {"\xEF\xBF\xBF", ""},
                                                                     {"w/105", "w/109/k"}};
      for (const auto& [after, stop] : cuts) {
        INFO(after << " .. " << stop);
        const ListRequest req{b.bucket, "", true, after};
        CHECK(parallel(r, req, 8, stop) == sequential(r, req, stop));
      }
    }
    SECTION("shard ranges: each equal to the sequential one, together the whole") {
      std::vector<std::string> all;
      for (int k = 0; k < 4; ++k) {
        const KeyRange range = fixed_shard_range(ShardSpec{k, 4});
        std::vector<std::string> seq_keys, par_keys;
        for (int n : {1, 8}) {
          RemoteListing listing(r, b.bucket, "", 4, false, "", range, n);
          while (const ObjectInfo* e = listing.next())
            (n == 1 ? seq_keys : par_keys).push_back(e->key);
          INFO(listing.status().to_string());
          REQUIRE(listing.status().ok());
        }
        CHECK(par_keys == seq_keys);
        all.insert(all.end(), par_keys.begin(), par_keys.end());
      }
      // "b/" holds a byte: an object, not a directory marker.
      CHECK(all == keys);
    }
  }
}

}  // namespace

TEST_CASE("parallel listing equals the sequential one on RGW", "[s3][parallel-listing]") {
  check_remote("s3", "");
}

TEST_CASE("parallel listing equals the sequential one on Azurite (3 keys a page)",
          "[azure][parallel-listing]") {
  check_remote("azure", "3");
}

TEST_CASE("parallel listing equals the sequential one on the OSS server (3 keys a page)",
          "[oss][parallel-listing]") {
  check_remote("oss", "3");
}

// 200,000 keys: 2,500 at the top (more than the discovery's two pages, so a tail range is cut
// after them), and 197,500 in 79 directories of 5 sub-directories of 500 keys.
TEST_CASE("a parallel listing of 200,000 keys on RGW is sorted, complete and sequential's",
          "[listlong]") {
  PeerBucket b("s3");
  std::vector<std::string> keys;
  char buf[64];
  for (int i = 0; i < 2500; ++i) {
    std::snprintf(buf, sizeof buf, "top-%05d", i * 7);
    keys.push_back(buf);
  }
  for (int d = 0; d < 79; ++d)
    for (int s = 0; s < 5; ++s)
      for (int i = 0; i < 500; ++i) {
        std::snprintf(buf, sizeof buf, "dir%02d/sub%d/obj-%05d", d, s, i);
        keys.push_back(buf);
      }
  REQUIRE(keys.size() == 200000);
  auto t0 = std::chrono::steady_clock::now();
  put_all(*b.remote, b.bucket, keys, 48);
  auto t1 = std::chrono::steady_clock::now();
  std::sort(keys.begin(), keys.end());
  const ListRequest whole{b.bucket, "", true, ""};
  const auto seq = sequential(*b.remote, whole);
  auto t2 = std::chrono::steady_clock::now();
  ParallelListStats stats;
  const auto par = parallel(*b.remote, whole, kDefaultListParallel, "", &stats, 2);
  auto t3 = std::chrono::steady_clock::now();
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  WARN("200,000 keys: put " << secs(t0, t1) << " s, sequential listing " << secs(t1, t2)
                            << " s, parallel (" << kDefaultListParallel << ", " << stats.ranges
                            << " ranges) " << secs(t2, t3) << " s");
  REQUIRE(keys_of(seq) == keys);
  // After two plain pages (in dir00/): dir00/'s rest, the other 78 directories and the tail
  // after the two discovery pages.
  CHECK(stats.ranges == 80);
  CHECK(par.size() == keys.size());
  CHECK(std::is_sorted(par.begin(), par.end(),
                       [](const Entry& x, const Entry& y) { return x.key < y.key; }));
  CHECK(par == seq);
  // A shard of the whole, listed in parallel through the sync engine's stream.
  const KeyRange range{"dir13/sub2/obj-00250", "dir40/"};
  std::vector<std::string> got;
  RemoteListing listing(*b.remote, b.bucket, "", 4, false, "", range, 16);
  while (const ObjectInfo* e = listing.next()) got.push_back(e->key);
  REQUIRE(listing.status().ok());
  std::vector<std::string> want;
  for (const auto& k : keys)
    if (range.contains(k)) want.push_back(k);
  CHECK(got == want);
}

TEST_CASE("Azure starts a listing after a key with startFrom, not from the prefix",
          "[azure][parallel-listing]") {
  ConfigSection section = peer_section("azure");
  section.values["list_chunk"] = "3";
  PeerBucket b("azure");
  auto remote = make_remote_from(section);
  std::vector<std::string> keys;
  for (int i = 10; i < 40; ++i) keys.push_back("k" + std::to_string(i));
  put_all(*remote, b.bucket, keys, 4);
  const ListRequest req{b.bucket, "", true, "k33"};
  request_counters().reset();
  const auto got = sequential(*remote, req);
  CHECK(keys_of(got) == std::vector<std::string>{"k34", "k35", "k36", "k37", "k38", "k39"});
  // Six keys after k33 at three a page: 2 or 3 requests, not the 10 from the first key.
  CHECK(request_counters().total() <= 3);
}
