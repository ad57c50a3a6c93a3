// tests/integration/part_feed_test.cc — streamed copies of large objects between the real
// peers read the source with as few GETs as keep the streams busy (sync/part_feed.h): one
// GET per object when the whole MD5 is hashed in part order (S3 -> Azure, the source's
// md5chksum known), one per stream when it is not (an S3 object without a stored MD5 to a
// local directory); the bytes arrive intact either way. Several large objects copied at once
// never lease more part buffers than the run's pool allows (--max-buffer-memory).
#include <catch2/catch.hpp>

#include "core/crypto.h"
#include "core/http.h"
#include "sync/compare.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

const TimePoint kMtime{std::chrono::seconds(1700000000)};
constexpr uint64_t kPart = 5 * kMiB;
constexpr size_t kSize = 9 * kPart - 4321;  // nine 5 MiB parts, the last one short

uint64_t sent(const std::string& op) {
  uint64_t n = 0;
  for (const auto& [name, count] : request_counters().snapshot())
    if (name == op) n += count;
  return n;
}

// Copies dir "d/" of from to "d/" of to in 5 MiB parts, 4 streams; returns the GETs sent.
uint64_t copy_counting_gets(PeerBucket& from, PeerBucket& to, size_t objects) {
  SyncRunner runner;
  runner.options.mode = SyncMode::copy;
  runner.options.transfer.chunk_size = kPart;
  runner.options.transfer.streams = 4;
  request_counters().reset();
  SyncStats stats;
  Status st = runner.run(from.endpoint("d/"), to.endpoint("d/"), stats);
  INFO(from.kind << " -> " << to.kind << ": " << st.to_string());
  REQUIRE(st.ok());
  REQUIRE(stats.transferred == objects);
  REQUIRE(stats.server_side == 0);
  return sent("get");
}

}  // namespace

TEST_CASE("a streamed copy reads a large object with one GET per object or per stream",
          "[cross][feed]") {
  const std::string data = content_for("big.bin", kSize);
  const std::string want = hex_lower(md5_raw(data));

  SECTION("whole MD5 in part order (S3 -> Azure): one GET") {
    PeerBucket local("local"), s3("s3"), azure("azure");
    REQUIRE(put_object(*local.remote, "", local.prefix + "d/big.bin", data, kMtime).ok());
    copy_counting_gets(local, s3, 1);  // stores md5chksum
    CHECK(copy_counting_gets(s3, azure, 1) == 1);
    CHECK(sent("part") == 9);  // the blocks
    auto info = azure.remote->stat(ObjectRef{azure.bucket, "d/big.bin"});
    REQUIRE(info.ok());
    CHECK(info->md5 == want);  // checked against md5chksum before the commit, then stored
    CHECK(snapshot(*azure.remote, azure.bucket, "d/") ==
          std::map<std::string, std::string>{{"big.bin", want}});
  }

  SECTION("no whole MD5 to keep (S3 without md5chksum -> local): one GET per stream") {
    PeerBucket s3("s3"), local("local");
    UploadOptions uo;
    uo.size = data.size();
    uo.part_size = kPart;
    auto up = s3.remote->begin_upload(ObjectRef{s3.bucket, "d/big.bin"}, uo);
    REQUIRE(up.ok());
    for (uint64_t off = 0, n = 1; off < data.size(); off += kPart, ++n) {
      const size_t len = std::min<size_t>(kPart, data.size() - off);
      REQUIRE((*up)->write_part(static_cast<uint32_t>(n), off, data.data() + off, len).ok());
    }
    REQUIRE((*up)->commit().ok());
    auto listed = s3.remote->stat(ObjectRef{s3.bucket, "d/big.bin"});
    REQUIRE(listed.ok());
    REQUIRE_FALSE(known_md5(*listed));
    CHECK(copy_counting_gets(s3, local, 1) == 4);  // 9 parts: runs of 2, 2, 2 and 3
    CHECK(snapshot(*local.remote, "", local.prefix + "d/") ==
          std::map<std::string, std::string>{{"big.bin", want}});
  }
}

TEST_CASE("large objects copied at once stay inside the run's buffer memory", "[cross][feed]") {
  PeerBucket local("local"), s3("s3"), azure("azure");
  std::map<std::string, std::string> want;
  for (int i = 0; i < 4; ++i) {
    const std::string name = "big" + std::to_string(i) + ".bin";
    const std::string data = content_for(name, kSize);
    want[name] = hex_lower(md5_raw(data));
    REQUIRE(put_object(*local.remote, "", local.prefix + "d/" + name, data, kMtime).ok());
  }
  copy_counting_gets(local, s3, 4);

  // 4 transfers x 4 streams would lease 16 buffers of 5 MiB; the cap allows 3.
  SyncRunner runner;
  BufferPool capped(3 * kPart, kPart);
  runner.options.mode = SyncMode::copy;
  runner.options.transfer.pool = &capped;
  runner.options.transfer.chunk_size = kPart;
  runner.options.transfer.streams = 4;
  runner.options.transfers = 4;
  SyncStats stats;
  Status st = runner.run(s3.endpoint("d/"), azure.endpoint("d/"), stats);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(stats.transferred == 4);
  CHECK(capped.peak_in_use() == 3 * kPart);  // used in full, never above
  CHECK(snapshot(*azure.remote, azure.bucket, "d/") == want);
}
