// tests/unit/sync_planner_test.cc — the planner's verdicts (sync/planner.h, through
// run_sync) over in-memory remotes: what copy, sync, move and check do with new, changed,
// unchanged and extra objects; the refusals that protect a destination (empty source,
// --max-delete, transfer errors); dry runs; and the planner alone as a merge visitor.
#include <catch2/catch.hpp>

#include "core/buffer_pool.h"
#include "sync/engine.h"
#include "sync/filter.h"
#include "sync/planner.h"
#include "tests/unit/memory_remote.h"

using namespace cpsync;
using cpsync::testing::MemoryRemote;

namespace {

const TimePoint kOld = TimePoint{} + std::chrono::hours(24 * 365 * 50);
const TimePoint kNew = kOld + std::chrono::hours(1);

// A source and a destination on two endpoints (so copies stream and ETags do not count).
struct Pair {
  MemoryRemote src{"src", "memory-a"};
  MemoryRemote dst{"dst", "memory-b"};
  BufferPool pool{8u << 20, 1u << 20};
  SyncOptions o;
  SyncStats stats;
  Pair() {
    o.transfer.pool = &pool;
    o.transfer.chunk_size = 1u << 20;
    o.transfers = 2;
    o.checkers = 2;
    src.make_bucket("b");
    dst.make_bucket("b");
    // Same content, same mtime: unchanged. Different size: changed. One new, one extra.
    src.add("b", "same", "same bytes", kOld);
    dst.add("b", "same", "same bytes", kOld);
    src.add("b", "changed", "new version, longer", kNew);
    dst.add("b", "changed", "old version", kOld);
    src.add("b", "dir/new", "brand new", kNew);
    dst.add("b", "extra", "only here", kOld);
  }
  Status run(SyncMode mode) {
    o.mode = mode;
    return run_sync(SyncEndpoint{&src, "b", "", "src:b"}, SyncEndpoint{&dst, "b", "", "dst:b"}, o,
                    stats);
  }
  std::string dst_data(const std::string& key) {
    auto b = dst.contents("b");
    auto it = b.find(key);
    return it == b.end() ? "<absent>" : it->second.data;
  }
};

}  // namespace

TEST_CASE("planner: sync copies new and changed objects, skips unchanged, deletes extra",
          "[planner]") {
  Pair p;
  REQUIRE(p.run(SyncMode::sync).ok());
  CHECK(p.stats.transferred == 2);
  CHECK(p.stats.matched == 1);
  CHECK(p.stats.deleted == 1);
  CHECK(p.stats.errors == 0);
  CHECK(p.dst_data("changed") == "new version, longer");
  CHECK(p.dst_data("dir/new") == "brand new");
  CHECK(p.dst_data("extra") == "<absent>");
  CHECK(p.dst.contents("b").size() == 3);
  // The copies carry the source mtime, so a second run finds nothing to do.
  SyncStats again;
  p.stats.transferred = 0;
  REQUIRE(run_sync(SyncEndpoint{&p.src, "b", "", "src:b"}, SyncEndpoint{&p.dst, "b", "", "dst:b"},
                   p.o, again)
              .ok());
  CHECK(again.transferred == 0);
  CHECK(again.matched == 3);
}

TEST_CASE("planner: copy never deletes; move deletes each source after its copy", "[planner]") {
  SECTION("copy") {
    Pair p;
    REQUIRE(p.run(SyncMode::copy).ok());
    CHECK(p.stats.transferred == 2);
    CHECK(p.dst_data("extra") == "only here");
    CHECK(p.src.contents("b").size() == 3);
  }
  SECTION("move") {
    Pair p;
    REQUIRE(p.run(SyncMode::move).ok());
    CHECK(p.stats.transferred == 2);
    CHECK(p.stats.src_deleted == 3);  // the unchanged one too: it is at the destination
    CHECK(p.src.contents("b").empty());
    CHECK(p.dst_data("extra") == "only here");
  }
}

TEST_CASE("planner: check counts differences and changes nothing", "[planner]") {
  Pair p;
  REQUIRE(p.run(SyncMode::check).ok());
  CHECK(p.stats.missing_on_dst == 1);
  CHECK(p.stats.missing_on_src == 1);
  CHECK(p.stats.differ == 1);
  CHECK(p.stats.matched == 1);
  CHECK(p.dst.puts == 0);
  CHECK(p.dst.removes == 0);
  CHECK(p.dst_data("changed") == "old version");
}

TEST_CASE("planner: a sync from an empty source deletes nothing unless allowed", "[planner]") {
  MemoryRemote src{"src", "a"}, dst{"dst", "b"};
  src.make_bucket("b");
  dst.add("b", "keep1", "x");
  dst.add("b", "keep2", "y");
  BufferPool pool{4u << 20, 1u << 20};
  SyncOptions o;
  o.mode = SyncMode::sync;
  o.transfer.pool = &pool;
  SyncStats stats;
  const SyncEndpoint s{&src, "b", "", "src:b"}, d{&dst, "b", "", "dst:b"};
  Status st = run_sync(s, d, o, stats);
  CHECK(st.code == Errc::not_found);
  CHECK(st.message.find("lists no objects") != std::string::npos);
  CHECK(dst.contents("b").size() == 2);
  o.allow_empty_source = true;
  SyncStats allowed;
  REQUIRE(run_sync(s, d, o, allowed).ok());
  CHECK(allowed.deleted == 2);
  CHECK(dst.contents("b").empty());
}

TEST_CASE("planner: a missing source bucket stops the run before the destination", "[planner]") {
  MemoryRemote src{"src", "a"}, dst{"dst", "b"};
  dst.add("b", "keep", "x");
  BufferPool pool{4u << 20, 1u << 20};
  SyncOptions o;
  o.mode = SyncMode::sync;
  o.allow_empty_source = true;  // even then: a missing bucket is not an empty one
  o.transfer.pool = &pool;
  SyncStats stats;
  Status st = run_sync(SyncEndpoint{&src, "nope", "", "src:nope"},
                       SyncEndpoint{&dst, "b", "", "dst:b"}, o, stats);
  CHECK(st.code == Errc::not_found);
  CHECK(st.missing == Missing::bucket);
  CHECK(dst.contents("b").size() == 1);
}

TEST_CASE("planner: --max-delete and transfer errors hold deletes back", "[planner]") {
  SECTION("--max-delete 0") {
    Pair p;
    p.o.max_delete = 0;
    Status st = p.run(SyncMode::sync);
    CHECK_FALSE(st.ok());
    CHECK(st.message.find("--max-delete 0 reached") != std::string::npos);
    CHECK(p.dst_data("extra") == "only here");
    CHECK(p.stats.transferred == 2);  // the copies were done
  }
  SECTION("a failed copy") {
    Pair p;
    p.dst.fail_writes(Status{Errc::access_denied, "dst: writes refused"});
    Status st = p.run(SyncMode::sync);
    CHECK(st.code == Errc::access_denied);
    CHECK(p.stats.errors == 2);
    CHECK(p.dst_data("extra") == "only here");
    CHECK(p.dst.removes == 0);
  }
}

TEST_CASE("planner: --dry-run plans everything and does nothing", "[planner]") {
  Pair p;
  p.o.dry_run = true;
  REQUIRE(p.run(SyncMode::sync).ok());
  CHECK(p.stats.transferred == 0);
  CHECK(p.stats.deleted == 0);
  CHECK(p.dst.puts + p.dst.parts + p.dst.removes == 0);
  CHECK(p.dst_data("changed") == "old version");
}

TEST_CASE("planner: filters judge each side on its own; --delete-excluded", "[planner]") {
  Pair p;
  p.dst.add("b", "skip.tmp", "excluded at the destination");
  p.src.add("b", "skip2.tmp", "excluded at the source");
  FilterOptions fo;
  fo.rules.push_back("- *.tmp");
  auto filter = Filter::build(fo, std::chrono::system_clock::now());
  REQUIRE(filter.ok());
  p.o.filter = &*filter;
  REQUIRE(p.run(SyncMode::sync).ok());
  CHECK(p.dst_data("skip.tmp") == "excluded at the destination");
  CHECK(p.dst_data("skip2.tmp") == "<absent>");
  CHECK(p.dst_data("extra") == "<absent>");
}

TEST_CASE("planner: as a merge visitor, deletes wait for run_deletes", "[planner]") {
  MemoryRemote src{"src", "a"}, dst{"dst", "b"};
  src.add("b", "a", "1");
  dst.add("b", "a", "1");
  dst.add("b", "z", "2");
  BufferPool pool{4u << 20, 1u << 20};
  SyncOptions o;
  o.mode = SyncMode::sync;
  o.transfer.pool = &pool;
  SyncStats stats;
  const SyncEndpoint s{&src, "b", "", "src:b"}, d{&dst, "b", "", "dst:b"};
  Planner planner(s, d, o, stats);
  auto sa = src.stat(ObjectRef{"b", "a"});
  auto da = dst.stat(ObjectRef{"b", "a"});
  auto dz = dst.stat(ObjectRef{"b", "z"});
  REQUIRE((sa.ok() && da.ok() && dz.ok()));
  REQUIRE(planner.both(*sa, *da).ok());
  REQUIRE(planner.dst_only(*dz).ok());
  REQUIRE(planner.finish().ok());
  CHECK(planner.pending_deletes() == 1);
  CHECK(dst.contents("b").count("z") == 1);  // not yet
  REQUIRE(planner.run_deletes().ok());
  CHECK(dst.contents("b").count("z") == 0);
  CHECK(stats.matched == 1);
  CHECK(stats.deleted == 1);
}
