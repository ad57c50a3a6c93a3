// tests/integration/sync_cross_test.cc — sync between different providers on the real
// emulators: a 300-object tree arrives byte-identical; the second run sends only list
// requests; after changing 3, deleting 2 and adding 4 objects exactly those 9 actions run;
// a copy carries the source's stored mtime, read from the GET (or one HEAD when multipart).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <set>

#include "core/http.h"
#include "sync/compare.h"
#include "sync/sync_state.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

const TimePoint kMtime{std::chrono::seconds(1700000000)};

std::vector<std::string> tree_keys() {
  std::vector<std::string> keys;
  for (int i = 0; i < 300; ++i)
    keys.push_back("t/" + std::to_string(i % 5) + "/" + std::to_string(i % 4) + "/obj-" +
                   std::to_string(i) + (i % 25 == 0 ? " r\xc3\xa9sum\xc3\xa9 +%&.txt" : ".dat"));
  return keys;
}

// Fills dir of a source with the tree (small objects, in parallel).
void fill_tree(PeerBucket& src, const std::string& dir) {
  auto keys = tree_keys();
  std::vector<std::thread> threads;
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < keys.size();)
        if (!put_object(*src.remote, src.bucket, src.prefix + dir + keys[i],
                        content_for(keys[i], 1 + i * 53 % 3000), kMtime)
                 .ok())
          ++failures;
    });
  for (auto& t : threads) t.join();
  REQUIRE(failures == 0);
}

std::string state_dir() {
  return (std::filesystem::temp_directory_path() /
          ("cpsync-cross-state-" + std::to_string(getpid())))
      .string();
}

// Every request of the last run was a list request.
void require_only_list_requests() {
  for (const auto& [op, n] : request_counters().snapshot()) {
    INFO("op " << op << " sent " << n << " times");
    CHECK(op == "list");
  }
}

struct Pair {
  const char* src;
  const char* dst;
};

}  // namespace

TEST_CASE("sync between providers: first run, list-only rerun, exact incremental actions",
          "[cross][sync]") {
  auto pair =
      GENERATE(Pair{"s3", "azure"}, Pair{"s3", "oss"}, Pair{"azure", "s3"}, Pair{"oss", "azure"},
               Pair{"local", "s3"}, Pair{"local", "azure"}, Pair{"local", "oss"},
               Pair{"s3", "local"}, Pair{"azure", "local"}, Pair{"oss", "local"});
  INFO(pair.src << " -> " << pair.dst);
  PeerBucket src(pair.src), dst(pair.dst);
  fill_tree(src, "data/");
  SyncEndpoint s = src.endpoint("data/"), d = dst.endpoint("mirror/");

  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  auto state_path = SyncState::default_path(state_dir(), s.display, d.display);
  std::filesystem::remove(state_path);
  auto run = [&](SyncStats& stats) {
    auto st = SyncState::open(state_path);
    REQUIRE(st.ok());
    runner.options.state = st->get();
    Status result = runner.run(s, d, stats);
    INFO(result.to_string());
    REQUIRE(result.ok());
  };

  SyncStats first;
  run(first);
  CHECK(first.transferred == 300);
  CHECK(first.errors == 0);
  auto want = snapshot(*src.remote, src.bucket, src.prefix + "data/");
  CHECK(snapshot(*dst.remote, dst.bucket, dst.prefix + "mirror/") == want);

  request_counters().reset();
  SyncStats second;
  run(second);
  CHECK(second.transferred == 0);
  CHECK(second.matched == 300);
  require_only_list_requests();

  // Change 3 (new content and size), delete 2, add 4.
  auto keys = tree_keys();
  for (int i : {10, 20, 30})
    REQUIRE(put_object(*src.remote, src.bucket, src.prefix + "data/" + keys[i],
                       content_for(keys[i], 4000 + i, 2), kMtime + std::chrono::hours(1))
                .ok());
  for (int i : {40, 50})
    REQUIRE(src.remote->remove(ObjectRef{src.bucket, src.prefix + "data/" + keys[i]}).ok());
  for (int i = 0; i < 4; ++i)
    REQUIRE(put_object(*src.remote, src.bucket, src.prefix + "data/added/" + std::to_string(i),
                       content_for("added", 100 + i), kMtime)
                .ok());
  SyncStats third;
  run(third);
  CHECK(third.transferred == 7);
  CHECK(third.deleted == 2);
  CHECK(snapshot(*dst.remote, dst.bucket, dst.prefix + "mirror/") ==
        snapshot(*src.remote, src.bucket, src.prefix + "data/"));

  request_counters().reset();
  SyncStats fourth;
  run(fourth);
  CHECK(fourth.transferred == 0);
  CHECK(fourth.deleted == 0);
  require_only_list_requests();
  std::filesystem::remove(state_path);
}

TEST_CASE("same-endpoint copy is server-side: no body passes through the client", "[cross][sync]") {
  for (const char* kind : {"s3", "azure", "oss"}) {
    INFO(kind);
    PeerBucket a(kind), b(kind);
    for (int i = 0; i < 5; ++i)
      REQUIRE(put_object(*a.remote, a.bucket, "k" + std::to_string(i), content_for("k", 1000 + i),
                         kMtime)
                  .ok());
    SyncRunner runner;
    // b's remote is a second instance of the same config: same endpoint and credentials.
    SyncEndpoint s = a.endpoint(""), d{b.remote.get(), b.bucket, "", "dst"};
    request_counters().reset();
    SyncStats stats;
    Status st = runner.run(s, d, stats);
    INFO(st.to_string());
    REQUIRE(st.ok());
    CHECK(stats.server_side == 5);
    for (const auto& [op, n] : request_counters().snapshot()) {
      INFO(op);
      CHECK(op != "get");
      CHECK(op != "put");
      CHECK(op != "part");
    }
    CHECK(snapshot(*b.remote, b.bucket, "") == snapshot(*a.remote, a.bucket, ""));
  }
}

TEST_CASE("copies carry the source's stored mtime; stateless reruns stat undecided sources",
          "[cross][sync]") {
  // small: one PUT on S3 (its ETag is its MD5); big: multipart at 8 MiB parts (no MD5).
  const std::map<std::string, std::string> files = {{"small.txt", content_for("small", 10000)},
                                                    {"big.bin", content_for("big", 9u << 20)}};
  const int64_t stored_s = 1000000000;  // 2001-09-09, far from any LastModified
  for (const char* dst_kind : {"azure", "local"}) {
    INFO("s3 -> " << dst_kind);
    PeerBucket local("local"), mid("s3"), dst(dst_kind);
    for (const auto& [name, data] : files) {
      const std::string path = local.prefix + "in/" + name;
      std::filesystem::create_directories(local.prefix + "in");
      FILE* f = std::fopen(path.c_str(), "wb");
      REQUIRE(f);
      REQUIRE(std::fwrite(data.data(), 1, data.size(), f) == data.size());
      std::fclose(f);
      const timespec times[2] = {{stored_s, 0}, {stored_s, 0}};
      REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
    }
    SyncRunner runner;  // no sync state: every decision comes from listings and stats
    SyncStats up;
    REQUIRE(runner.run(local.endpoint("in/"), mid.endpoint("m/"), up).ok());
    REQUIRE(up.transferred == 2);

    auto heads = [] {
      uint64_t n = 0;
      for (const auto& [op, count] : request_counters().snapshot())
        if (op == "head") n += count;
      return n;
    };
    request_counters().reset();
    SyncStats first;
    Status st = runner.run(mid.endpoint("m/"), dst.endpoint("out/"), first);
    INFO(st.to_string());
    REQUIRE(st.ok());
    CHECK(first.transferred == 2);
    // The small object's metadata came with its GET; the multipart upload needed it first.
    CHECK(heads() == 1);
    for (const auto& [name, data] : files) {
      INFO(name);
      auto info = dst.remote->stat(ObjectRef{dst.bucket, dst.prefix + "out/" + name});
      REQUIRE(info.ok());
      auto stored = stored_mtime(*info);
      REQUIRE(stored.has_value());
      CHECK(*stored == TimePoint(std::chrono::seconds(stored_s)));
    }
    CHECK(snapshot(*dst.remote, dst.bucket, dst.prefix + "out/") ==
          snapshot(*local.remote, local.bucket, local.prefix + "in/"));

    // Without state: equal MD5s decide the small object on Azure; the rest needs the source's
    // stored mtime, one HEAD each, and nothing is copied again.
    request_counters().reset();
    SyncStats again;
    st = runner.run(mid.endpoint("m/"), dst.endpoint("out/"), again);
    INFO(st.to_string());
    REQUIRE(st.ok());
    CHECK(again.transferred == 0);
    CHECK(again.matched == 2);
    CHECK(heads() == (std::string(dst_kind) == "azure" ? 1u : 2u));
  }
}
