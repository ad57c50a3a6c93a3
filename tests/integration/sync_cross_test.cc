// tests/integration/sync_cross_test.cc — sync between different providers on the real
// emulators: a 300-object tree arrives byte-identical; the second run sends only list
// requests; after changing 3, deleting 2 and adding 4 objects exactly those 9 actions run.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "core/http.h"
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
