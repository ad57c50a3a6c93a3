// tests/integration/resume_parts_test.cc — UploadOptions::resume at the Remote level on Ceph
// RGW, the OSS test server and Azurite: an upload left unfinished is adopted, a stored part
// with the same bytes is not sent again, a stored part with other bytes (or another size) is
// replaced, the committed object holds exactly the bytes of the second run, and on S3/OSS an
// upload that started before the source's mtime is not adopted.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "core/part_size.h"
#include "sync/transfer.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/forwarding_remote.h"
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

// An upload whose part `fail_part` fails once with a transient error, as when the send path
// has spent its retries on it; every other call goes to the real upload.
class FailingPartUpload : public ForwardingUpload {
 public:
  FailingPartUpload(std::unique_ptr<Upload> inner, uint32_t fail_part)
      : ForwardingUpload(std::move(inner)), fail_part_(fail_part) {}
  Status write_summed_part(uint32_t n, uint64_t off, const char* d, size_t len,
                           const PartSums& sums) override {
    if (n == fail_part_) return Status{Errc::transient, "injected: connection reset on part 3"};
    return ForwardingUpload::write_summed_part(n, off, d, len, sums);
  }

 private:
  uint32_t fail_part_;
};

class FailingPartRemote : public ForwardingRemote {
 public:
  using ForwardingRemote::ForwardingRemote;
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& r,
                                               const UploadOptions& o) override {
    CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> up, inner().begin_upload(r, o));
    return std::unique_ptr<Upload>(std::make_unique<FailingPartUpload>(std::move(up), 3));
  }
};

// A streamed copy whose part 3 fails leaves parts 1 and 2 stored; the next attempt of the
// same copy (the run's --retries) resumes the upload and sends only parts 3 and 4.
void failed_part_resumes_within_run(const std::string& kind) {
  PeerBucket b(kind);
  Remote& r = *b.remote;
  const std::string data = random_bytes(3 * kPart + kPart / 2, 7);
  const ObjectRef src{b.bucket, "src/obj.bin"}, dst{b.bucket, "dst/obj.bin"};
  UploadOptions put;
  put.size = data.size();
  REQUIRE(r.put(src, data.data(), data.size(), put).ok());
  auto listed = r.stat(src);
  REQUIRE(listed.ok());

  BufferPool pool{32u << 20, kPart};
  TransferOptions o;
  o.pool = &pool;
  o.chunk_size = kPart;
  o.streams = 1;               // parts in order: 1 and 2 are stored when 3 fails
  o.server_side_copy = false;  // streamed through here, part by part
  FailingPartRemote failing(r);
  auto first = transfer_object(r, src, *listed, failing, dst, o);
  REQUIRE_FALSE(first.ok());
  CHECK(first.status().code == Errc::transient);
  CHECK(r.stat(dst).status().code == Errc::not_found);  // nothing visible
  if (r.features().pending_uploads) {
    std::vector<PendingUpload> left;
    REQUIRE(r.list_pending_uploads(b.bucket, "dst/", left).ok());
    CHECK(left.size() == 1);  // kept, not aborted
  }

  auto second = transfer_object(r, src, *listed, r, dst, o);
  INFO(second.status().to_string());
  REQUIRE(second.ok());
  CHECK(second->reused_bytes == 2 * kPart);  // parts 1 and 2 were not sent again
  CHECK(read_all(r, dst) == data);
  if (r.features().pending_uploads) {
    std::vector<PendingUpload> left;
    REQUIRE(r.list_pending_uploads(b.bucket, "dst/", left).ok());
    CHECK(left.empty());
  }
}

}  // namespace

TEST_CASE("resume parts: a part failed within a run is resumed by the next attempt",
          "[s3][oss][azure][resume]") {
  for (const char* kind : {"s3", "oss", "azure"}) {
    DYNAMIC_SECTION(kind) {
      failed_part_resumes_within_run(kind);
    }
  }
}

TEST_CASE("resume parts: S3 keeps only stored parts with the same bytes", "[s3][resume]") {
  adopts_only_matching_parts("s3");
}

TEST_CASE("resume parts: OSS keeps only stored parts with the same bytes", "[oss][resume]") {
  adopts_only_matching_parts("oss");
}

TEST_CASE("resume parts: Azure keeps only stored blocks with the same bytes", "[azure][resume]") {
  adopts_only_matching_parts("azure");
}
