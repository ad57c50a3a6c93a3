// tests/integration/resume_parts_test.cc — UploadOptions::resume at the Remote level on Ceph
// RGW, the OSS test server and Azurite: an upload left unfinished is adopted, a stored part
// with the same bytes is not sent again, a stored part with other bytes (or another size) is
// replaced, the committed object holds exactly the bytes of the second run, and on S3/OSS an
// upload that started before the source's mtime is not adopted.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/crypto.h"
#include "core/part_size.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

constexpr size_t kPart = 5 * kMiB;

std::string read_all(Remote& r, const ObjectRef& ref) {
  std::string out;
  Status st = r.read(ref, ByteRange{}, [&](const char* d, size_t n) {
    out.append(d, n);
    return Status::OK();
  });
  INFO(st.to_string());
  REQUIRE(st.ok());
  return out;
}

void adopts_only_matching_parts(const std::string& kind) {
  PeerBucket b(kind);
  Remote& r = *b.remote;
  REQUIRE(r.features().resume_uploads);
  const ObjectRef ref{b.bucket, "big/obj.bin"};
  const std::string a1 = random_bytes(kPart, 1), a2 = random_bytes(kPart, 2),
                    b2 = random_bytes(kPart, 3), a3 = random_bytes(kPart / 2, 4);
  const auto mtime = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now() - std::chrono::hours(1));
  UploadOptions uo;
  uo.size = 2 * kPart + a3.size();
  uo.part_size = kPart;
  uo.mtime = mtime;

  // Run 1 stores parts 1 and 2 and "dies" (the upload stays open until the end).
  auto first = r.begin_upload(ref, uo);
  REQUIRE(first.ok());
  REQUIRE((*first)->write_part(1, 0, a1.data(), a1.size()).ok());
  REQUIRE((*first)->write_part(2, kPart, a2.data(), a2.size()).ok());

  // The source changed after that upload started: S3/OSS must not adopt it (its metadata
  // would be stale); Azure has no such metadata and adopts the blocks that match.
  if (kind != "azure") {
    UploadOptions later = uo;
    later.resume = true;
    later.mtime = std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now() + std::chrono::hours(1));
    auto fresh = r.begin_upload(ref, later);
    REQUIRE(fresh.ok());
    REQUIRE((*fresh)->write_part(1, 0, a1.data(), a1.size()).ok());
    CHECK((*fresh)->reused_bytes() == 0);
    REQUIRE((*fresh)->abort().ok());
  }

  // Run 2: part 1 unchanged (kept), part 2 changed (sent again), part 3 new.
  uo.resume = true;
  auto second = r.begin_upload(ref, uo);
  REQUIRE(second.ok());
  Upload& up = **second;
  REQUIRE(up.write_part(1, 0, a1.data(), a1.size()).ok());
  CHECK(up.reused_bytes() == kPart);
  REQUIRE(up.write_part(2, kPart, b2.data(), b2.size()).ok());
  REQUIRE(up.write_part(3, 2 * kPart, a3.data(), a3.size()).ok());
  CHECK(up.reused_bytes() == kPart);
  auto done = up.commit();
  INFO(done.status().to_string());
  REQUIRE(done.ok());
  CHECK(read_all(r, ref) == a1 + b2 + a3);
  if (r.features().pending_uploads) {
    std::vector<PendingUpload> left;
    REQUIRE(r.list_pending_uploads(b.bucket, "big/", left).ok());
    CHECK(left.empty());  // adopted and completed: nothing left behind
  }
}

}  // namespace

TEST_CASE("resume parts: S3 keeps only stored parts with the same bytes", "[s3][resume]") {
  adopts_only_matching_parts("s3");
}

TEST_CASE("resume parts: OSS keeps only stored parts with the same bytes", "[oss][resume]") {
  adopts_only_matching_parts("oss");
}

TEST_CASE("resume parts: Azure keeps only stored blocks with the same bytes", "[azure][resume]") {
  adopts_only_matching_parts("azure");
}
