// tests/integration/sync_local_test.cc — copy, sync, move and check between two local
// trees: first run, incremental runs, exact actions after changes, safety rules.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "remotes/local/local_remote.h"
#include "sync/filter.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;
namespace fs = std::filesystem;

namespace {

struct LocalPair {
  fs::path root;
  std::unique_ptr<Remote> remote;
  SyncEndpoint src, dst;
  explicit LocalPair(const std::string& name) {
    root = fs::temp_directory_path() / ("cpsync-sync-" + name + "-" + std::to_string(getpid()));
    fs::remove_all(root);
    fs::create_directories(root / "src");
    ConfigSection cs;
    cs.name = "local";
    cs.type = "local";
    auto r = make_local_remote(cs);
    REQUIRE(r.ok());
    remote = std::move(r).value();
    src = SyncEndpoint{remote.get(), "", (root / "src").string() + "/", "src"};
    dst = SyncEndpoint{remote.get(), "", (root / "dst").string() + "/", "dst"};
  }
  ~LocalPair() { fs::remove_all(root); }
  void write(const std::string& rel, const std::string& data, int64_t mtime_s = 1700000000) {
    REQUIRE(
        put_object(*remote, "", src.prefix + rel, data, TimePoint(std::chrono::seconds(mtime_s)))
            .ok());
  }
};

std::vector<std::string> tree_keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i)
    keys.push_back("d" + std::to_string(i % 7) + "/s" + std::to_string(i % 3) + "/f" +
                   std::to_string(i) + (i % 10 == 0 ? " sp\xc3\xa9" : "") + ".bin");
  return keys;
}

}  // namespace

TEST_CASE("local sync: first run, no-change rerun, then exactly the changed actions",
          "[local][sync]") {
  LocalPair p("basic");
  auto keys = tree_keys(300);
  for (size_t i = 0; i < keys.size(); ++i)
    p.write(keys[i], content_for(keys[i], 100 + i * 37 % 5000));
  p.write("big/large.bin", content_for("large", 20u << 20));  // multipart: 3 parts of 8 MiB

  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  runner.options.transfer.server_side_copy = false;  // stream through the client
  SyncStats first;
  REQUIRE(runner.run(p.src, p.dst, first).ok());
  CHECK(first.transferred == 301);
  CHECK(snapshot(*p.remote, "", p.dst.prefix) == snapshot(*p.remote, "", p.src.prefix));

  SyncStats again;
  REQUIRE(runner.run(p.src, p.dst, again).ok());
  CHECK(again.transferred == 0);
  CHECK(again.matched == 301);
  CHECK(again.deleted == 0);

  // Change 3, delete 2, add 4.
  for (int i : {1, 2, 3}) p.write(keys[i], content_for(keys[i], 50, 1), 1700000500);
  for (int i : {4, 5}) REQUIRE(p.remote->remove(ObjectRef{"", p.src.prefix + keys[i]}).ok());
  for (int i : {0, 1, 2, 3}) p.write("new/n" + std::to_string(i), content_for("n", 10 + i));
  SyncStats changed;
  REQUIRE(runner.run(p.src, p.dst, changed).ok());
  CHECK(changed.transferred == 7);
  CHECK(changed.deleted == 2);
  CHECK(snapshot(*p.remote, "", p.dst.prefix) == snapshot(*p.remote, "", p.src.prefix));

  SyncStats settled;
  REQUIRE(runner.run(p.src, p.dst, settled).ok());
  CHECK(settled.transferred == 0);
  CHECK(settled.deleted == 0);
}

TEST_CASE("local sync: dry-run, max-delete and a failed listing change nothing they must not",
          "[local][sync]") {
  LocalPair p("safety");
  for (int i = 0; i < 30; ++i) p.write("k" + std::to_string(i), content_for("k", 10 + i));
  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  SyncStats s0;
  REQUIRE(runner.run(p.src, p.dst, s0).ok());
  auto mirrored = snapshot(*p.remote, "", p.dst.prefix);
  REQUIRE(mirrored.size() == 30);

  for (int i = 0; i < 10; ++i)
    REQUIRE(p.remote->remove(ObjectRef{"", p.src.prefix + "k" + std::to_string(i)}).ok());
  p.write("fresh", "new data");

  SECTION("dry-run") {
    runner.options.dry_run = true;
    SyncStats s;
    REQUIRE(runner.run(p.src, p.dst, s).ok());
    CHECK(snapshot(*p.remote, "", p.dst.prefix) == mirrored);
  }
  SECTION("max-delete stops before the N+1th delete") {
    runner.options.max_delete = 4;
    SyncStats s;
    Status st = runner.run(p.src, p.dst, s);
    CHECK_FALSE(st.ok());
    CHECK(st.message.find("--max-delete") != std::string::npos);
    CHECK(s.deleted == 4);
    CHECK(snapshot(*p.remote, "", p.dst.prefix).size() == 30 + 1 - 4);
  }
  SECTION("a listing error on the source deletes nothing") {
    FailingListRemote failing(*p.remote, 0);
    SyncEndpoint bad_src = p.src;
    bad_src.remote = &failing;
    SyncStats s;
    Status st = runner.run(bad_src, p.dst, s);
    CHECK(st.code == Errc::transient);
    CHECK(s.deleted == 0);
    CHECK(snapshot(*p.remote, "", p.dst.prefix) == mirrored);
  }
}

TEST_CASE("local move and check", "[local][sync]") {
  LocalPair p("move");
  for (int i = 0; i < 12; ++i) p.write("m/" + std::to_string(i), content_for("m", 100 + i));
  auto before = snapshot(*p.remote, "", p.src.prefix);

  SyncRunner runner;
  runner.options.mode = SyncMode::check;
  SyncStats missing;
  REQUIRE(runner.run(p.src, p.dst, missing).ok());
  CHECK(missing.missing_on_dst == 12);

  runner.options.mode = SyncMode::move;
  SyncStats moved;
  REQUIRE(runner.run(p.src, p.dst, moved).ok());
  CHECK(moved.transferred == 12);
  CHECK(moved.src_deleted == 12);
  CHECK(snapshot(*p.remote, "", p.src.prefix).empty());
  CHECK(snapshot(*p.remote, "", p.dst.prefix) == before);

  // check --download finds a changed byte with the same size and mtime.
  p.write("m/0", content_for("m", 100, 1));
  auto info = p.remote->stat(ObjectRef{"", p.src.prefix + "m/0"});
  REQUIRE(info.ok());
  runner.options.mode = SyncMode::check;
  runner.options.one_way = true;
  runner.options.download = true;
  SyncStats diff;
  REQUIRE(runner.run(p.src, p.dst, diff).ok());
  CHECK(diff.differ == 1);
}

TEST_CASE("local copy honours filters", "[local][sync]") {
  LocalPair p("filter");
  for (const char* k : {"a.jpg", "b.txt", "dir/c.jpg", "dir/sub/d.txt", "skip/e.jpg"})
    p.write(k, content_for(k, 20));
  FilterOptions fo;
  fo.rules = {"- skip/**", "+ *.jpg", "- **"};
  auto f = Filter::build(fo, std::chrono::system_clock::now());
  REQUIRE(f.ok());
  SyncRunner runner;
  runner.options.filter = &*f;
  SyncStats s;
  REQUIRE(runner.run(p.src, p.dst, s).ok());
  auto got = snapshot(*p.remote, "", p.dst.prefix);
  CHECK(got.size() == 2);
  CHECK(got.count("a.jpg") == 1);
  CHECK(got.count("dir/c.jpg") == 1);
}
