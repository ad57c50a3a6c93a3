// tests/integration/part_repair_test.cc — a byte flipped in one part's read (as a bad NIC
// or proxy does) is caught by the whole-object MD5, and only that part is sent again to
// the real destination (RGW, Azurite, the OSS server): the upload is not aborted, the
// stored object is byte-identical to the source, and the parts written are n + 1.
#include <catch2/catch.hpp>

#include <atomic>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "sync/transfer.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

constexpr size_t kPart = 5 * kMiB;

// Flips the object's byte at `at` in the first read that covers it, once.
class DamagingRemote : public ForwardingRemote {
 public:
  DamagingRemote(Remote& inner, uint64_t at) : ForwardingRemote(inner), at_(at) {}
  Status read(const ObjectRef& r, const ByteRange& b, const DataSink& s) override {
    const bool covers = at_ >= b.offset && (!b.length || at_ < b.offset + *b.length);
    if (!covers || done_.exchange(true)) return inner().read(r, b, s);
    uint64_t pos = b.offset;
    return inner().read(r, b, [&](const char* d, size_t n) {
      const uint64_t here = pos;
      pos += n;
      if (at_ < here || at_ >= here + n) return s(d, n);
      std::string copy(d, n);
      copy[at_ - here] ^= 0x01;
      return s(copy.data(), n);
    });
  }

 private:
  uint64_t at_;
  std::atomic<bool> done_{false};
};

// Counts the parts written through its uploads.
class CountingUpload : public ForwardingUpload {
 public:
  CountingUpload(std::unique_ptr<Upload> inner, std::atomic<int>& parts)
      : ForwardingUpload(std::move(inner)), parts_(parts) {}
  Status write_summed_part(uint32_t n, uint64_t off, const char* d, size_t len,
                           const PartSums& sums) override {
    ++parts_;
    return ForwardingUpload::write_summed_part(n, off, d, len, sums);
  }
  Status abort() override {
    aborted = true;
    return ForwardingUpload::abort();
  }
  static inline std::atomic<bool> aborted{false};

 private:
  std::atomic<int>& parts_;
};

class CountingRemote : public ForwardingRemote {
 public:
  using ForwardingRemote::ForwardingRemote;
  std::atomic<int> parts{0};
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& r,
                                               const UploadOptions& o) override {
    CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> up, inner().begin_upload(r, o));
    return std::unique_ptr<Upload>(std::make_unique<CountingUpload>(std::move(up), parts));
  }
};

void one_damaged_part_is_sent_again(const std::string& kind) {
  PeerBucket b(kind);
  Remote& r = *b.remote;
  const std::string data = random_bytes(4 * kPart + 1234, 11);
  const ObjectRef src{b.bucket, "src/obj.bin"}, dst{b.bucket, "dst/obj.bin"};
  UploadOptions put;
  put.size = data.size();
  REQUIRE(r.put(src, data.data(), data.size(), put).ok());
  auto listed = r.stat(src);
  REQUIRE(listed.ok());
  listed->md5 =
      hex_lower(md5_raw(data));  // the source's MD5 is known (as a listing's ETag gives it)

  BufferPool pool{32u << 20, kPart};
  TransferOptions o;
  o.pool = &pool;
  o.chunk_size = kPart;
  o.streams = 2;
  o.server_side_copy = false;
  DamagingRemote damaging(r, 2 * kPart + kPart / 2);  // a byte of part 3
  CountingRemote counting(r);
  CountingUpload::aborted = false;
  auto res = transfer_object(damaging, src, *listed, counting, dst, o);
  INFO(res.status().to_string());
  REQUIRE(res.ok());
  CHECK(res->parts_resent == 1);
  CHECK(counting.parts == 5 + 1);
  CHECK_FALSE(CountingUpload::aborted);
  std::string stored;
  REQUIRE(r.read(dst, ByteRange{}, [&](const char* d, size_t n) {
             stored.append(d, n);
             return Status::OK();
           }).ok());
  CHECK(hex_lower(md5_raw(stored)) == hex_lower(md5_raw(data)));
}

}  // namespace

TEST_CASE("part repair: one damaged part read is sent again alone", "[s3][oss][azure][resume]") {
  for (const char* kind : {"s3", "oss", "azure"}) {
    DYNAMIC_SECTION(kind) {
      one_damaged_part_is_sent_again(kind);
    }
  }
}
