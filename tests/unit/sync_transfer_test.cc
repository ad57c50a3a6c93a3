// tests/unit/sync_transfer_test.cc — sync/transfer.h over in-memory remotes: which route a
// copy takes (server-side on one endpoint, one PUT, parts), that damaged reads are caught
// by the source's MD5 and the whole object is read again a bounded number of times, that a
// source changed since listing is never copied, that a damaged part read costs one part
// sent again, and that nothing is visible after a failure.
#include <catch2/catch.hpp>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "sync/transfer.h"
#include "tests/unit/memory_remote.h"

using namespace cpsync;
using cpsync::testing::MemoryRemote;

namespace {

std::string bytes_of(size_t n, char seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(seed + i * 131 % 251);
  return s;
}

struct Setup {
  MemoryRemote src{"src", "memory-a"};
  MemoryRemote dst{"dst", "memory-b"};
  BufferPool pool{16u << 20, 1u << 20};
  TransferOptions o;
  Setup() {
    o.pool = &pool;
    o.chunk_size = 1u << 20;  // 1 MiB parts, one PUT up to 1 MiB
    o.streams = 3;
    dst.make_bucket("d");
    dst.mutable_features().part_check = PartCheck::md5;  // Content-MD5 per part, as S3
  }
  Result<TransferOutcome> copy(const std::string& key, Remote* to = nullptr) {
    auto info = src.stat(ObjectRef{"s", key});
    REQUIRE(info.ok());
    Remote& target = to ? *to : static_cast<Remote&>(dst);
    return transfer_object(src, ObjectRef{"s", key}, *info, target, ObjectRef{"d", key}, o);
  }
  std::string stored(const std::string& key) {
    auto b = dst.contents("d");
    auto it = b.find(key);
    return it == b.end() ? "<absent>" : it->second.data;
  }
};

}  // namespace

TEST_CASE("transfer: small objects go in one PUT, large ones in parts, same bytes", "[transfer]") {
  Setup t;
  const std::string small = bytes_of(1000, 'a'), large = bytes_of((5u << 20) + 17, 'b');
  t.src.add("s", "small", small);
  t.src.add("s", "large", large);
  auto r1 = t.copy("small");
  REQUIRE(r1.ok());
  CHECK(t.dst.puts == 1);
  CHECK(r1->md5 == hex_lower(md5_raw(small)));
  auto r2 = t.copy("large");
  REQUIRE(r2.ok());
  CHECK(t.dst.parts == 6);
  CHECK(t.dst.commits == 1);
  CHECK(r2->md5 == hex_lower(md5_raw(large)));
  CHECK(t.stored("small") == small);
  CHECK(t.stored("large") == large);
  // The source mtime travels as metadata (rclone's "mtime").
  CHECK(t.dst.contents("d").at("large").metadata.count(kMetaMtime) == 1);
}

TEST_CASE("transfer: one endpoint copies server-side, no byte through here", "[transfer]") {
  Setup t;
  t.src.make_bucket("d");  // another bucket of the source's own endpoint
  const std::string data = bytes_of(3u << 20, 'c');
  t.src.add("s", "obj", data);
  auto r = t.copy("obj", &t.src);
  REQUIRE(r.ok());
  CHECK(r->server_side);
  CHECK(t.src.copies == 1);
  CHECK(t.src.reads == 0);
  CHECK(t.src.contents("d").at("obj").data == data);
}

TEST_CASE("transfer: a damaged read is caught by the MD5 and read again", "[transfer]") {
  SECTION("single PUT: once damaged, the second read is good") {
    Setup t;
    const std::string data = bytes_of(4000, 'd');
    t.src.add("s", "obj", data);
    t.src.damage_reads("obj", 1);
    auto r = t.copy("obj");
    REQUIRE(r.ok());
    CHECK(t.stored("obj") == data);
    CHECK(t.src.reads == 2);
  }
  SECTION("parts: one damaged read costs one part sent again, not the object") {
    Setup t;
    const std::string data = bytes_of((4u << 20) + 5, 'k');
    t.src.add("s", "obj", data);
    t.src.damage_reads("obj", 1);  // the first read
    auto r = t.copy("obj");
    REQUIRE(r.ok());
    CHECK(r->parts_resent == 1);
    CHECK(t.dst.parts == 5 + 1);  // five parts, one of them twice
    CHECK(t.dst.aborts == 0);
    CHECK(t.dst.commits == 1);
    // One GET of the whole object (sync/part_feed: its MD5 is hashed on the way), then every
    // part read again to find the damaged one.
    CHECK(t.src.reads == 1 + 5);
    CHECK(t.stored("obj") == data);
  }
  SECTION("parts: damaged every time, nothing is committed") {
    Setup t;
    t.src.add("s", "obj", bytes_of(3u << 20, 'e'));
    t.src.damage_reads("obj", 1000);
    auto r = t.copy("obj");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::corrupt);
    CHECK(t.dst.commits == 0);
    CHECK(t.dst.aborts == 3);  // three tries of the whole object, each aborted
    CHECK(t.stored("obj") == "<absent>");
  }
}

TEST_CASE("transfer: a source changed since listing is not copied", "[transfer]") {
  Setup t;
  t.src.add("s", "obj", bytes_of(2u << 20, 'f'));
  auto listed = t.src.stat(ObjectRef{"s", "obj"});
  REQUIRE(listed.ok());
  t.src.add("s", "obj", bytes_of(2u << 20, 'g'));  // rewritten after the listing
  auto r =
      transfer_object(t.src, ObjectRef{"s", "obj"}, *listed, t.dst, ObjectRef{"d", "obj"}, t.o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::conflict);
  CHECK(r.status().message.find("changed since it was listed") != std::string::npos);
  CHECK(t.stored("obj") == "<absent>");
}

TEST_CASE("transfer: a refused write is returned once, not retried here", "[transfer]") {
  Setup t;
  t.src.add("s", "obj", bytes_of(100, 'h'));
  t.dst.fail_writes(Status{Errc::throttled, "dst: slow down"});
  auto r = t.copy("obj");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::throttled);
  CHECK(t.dst.puts == 1);  // retries belong to the remotes' send path
}
