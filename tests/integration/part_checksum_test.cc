// tests/integration/part_checksum_test.cc — the per-part checks (part_checksum) against the
// real peers. Azure blocks carry x-ms-content-crc64, which Azurite verifies: a block sent with
// a CRC-64 that is not its bytes' is refused (Crc64Mismatch, Errc::corrupt). OSS parts are
// checked by comparing the x-oss-hash-crc64ecma the OSS test server computes with ours. Then a
// multipart-sized copy from a local file to Azurite, the OSS server and RGW through the fault
// proxy, which flips one bit of every part upload: the damaged part is caught (corrupt), the
// object never becomes visible, and once the proxy stops damaging the copy succeeds with the
// right MD5 stored.
#include <catch2/catch.hpp>

#include "core/buffer_pool.h"
#include "core/crc64.h"
#include "core/crypto.h"
#include "remotes/part_sums.h"
#include "sync/compare.h"
#include "sync/transfer.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

constexpr size_t kPart = 5 * kMiB;
constexpr size_t kSize = 12 * kMiB + 777;  // three parts

// The peer's remote with part_checksum set and, when given, its endpoint replaced (a proxy).
std::unique_ptr<Remote> remote_with(const std::string& kind, const std::string& part_checksum,
                                    const std::string& endpoint = "") {
  ConfigSection s = peer_section(kind);
  s.values["part_checksum"] = part_checksum;
  if (!endpoint.empty()) s.values["endpoint"] = endpoint;
  return make_remote_from(s);
}

// Writes data as parts of kPart with the sums sum_part computes, except that part 2 gets
// `bad` when set; returns that part's status and commits when every part went.
Status upload_with_sums(Remote& r, const std::string& bucket, const std::string& key,
                        const std::string& data, const std::optional<PartSums>& bad) {
  UploadOptions uo;
  uo.size = data.size();
  uo.part_size = kPart;
  auto up = r.begin_upload(ObjectRef{bucket, key}, uo);
  REQUIRE(up.ok());
  for (size_t off = 0, n = 1; off < data.size(); off += kPart, ++n) {
    const size_t len = std::min(kPart, data.size() - off);
    PartSums sums = sum_part(r.features().part_check, data.data() + off, len, nullptr);
    if (n == 2 && bad) sums = *bad;
    Status st =
        (*up)->write_summed_part(static_cast<uint32_t>(n), off, data.data() + off, len, sums);
    if (!st.ok()) {
      (void)(*up)->abort();
      return st;
    }
  }
  return (*up)->commit().status();
}

}  // namespace

TEST_CASE("azure: blocks carry x-ms-content-crc64 and Azurite refuses a wrong one", "[azure]") {
  PeerBucket b("azure");
  const std::string data = content_for("crc.bin", kSize);
  auto az = remote_with("azure", "auto");
  REQUIRE(az->features().part_check == PartCheck::crc64_nvme);

  PartSums wrong;
  wrong.crc64 = crc64_nvme(std::string_view(data).substr(kPart, kPart)) ^ 1;
  Status st = upload_with_sums(*az, b.bucket, "d/bad.bin", data, wrong);
  INFO(st.to_string());
  CHECK(st.code == Errc::corrupt);
  CHECK(st.message.find("Crc64Mismatch") != std::string::npos);

  REQUIRE(upload_with_sums(*az, b.bucket, "d/good.bin", data, std::nullopt).ok());
  CHECK(snapshot(*az, b.bucket, "d/") ==
        std::map<std::string, std::string>{{"good.bin", hex_lower(md5_raw(data))}});

  // part_checksum = md5: Content-MD5 instead, which Azurite checks as well.
  auto az_md5 = remote_with("azure", "md5");
  REQUIRE(az_md5->features().part_check == PartCheck::md5);
  PartSums wrong_md5;
  wrong_md5.md5 = md5_raw("not the part");
  CHECK(upload_with_sums(*az_md5, b.bucket, "d/bad2.bin", data, wrong_md5).code == Errc::corrupt);
}

TEST_CASE("oss: a part's CRC-64 is compared with the one the server computes", "[oss]") {
  PeerBucket b("oss");
  const std::string data = content_for("crc.bin", kSize);
  auto oss = remote_with("oss", "auto");
  REQUIRE(oss->features().part_check == PartCheck::crc64_ecma);
  PartSums wrong;
  wrong.crc64 = crc64(std::string_view(data).substr(kPart, kPart)) ^ 1;
  Status st = upload_with_sums(*oss, b.bucket, "d/bad.bin", data, wrong);
  INFO(st.to_string());
  CHECK(st.code == Errc::corrupt);
  REQUIRE(upload_with_sums(*oss, b.bucket, "d/good.bin", data, std::nullopt).ok());
  CHECK(snapshot(*oss, b.bucket, "d/") ==
        std::map<std::string, std::string>{{"good.bin", hex_lower(md5_raw(data))}});
}

TEST_CASE("a part damaged on its way is caught on Azurite, the OSS server and RGW",
          "[cross][faults]") {
  PeerBucket local("local");
  const std::string data = content_for("big.bin", kSize);
  const std::string want = hex_lower(md5_raw(data));
  const std::string path = local.prefix + "big.bin";
  REQUIRE(
      put_object(*local.remote, "", path, data, TimePoint{std::chrono::seconds(1700000000)}).ok());
  auto listed = local.remote->stat(ObjectRef{"", path});
  REQUIRE(listed.ok());

  struct Peer {
    const char* kind;
    const char* env;
    const char* endpoint_var;
    PartCheck check;  // what auto chooses
  };
  for (const Peer p : {Peer{"azure", "azurite", "AZURE_ENDPOINT", PartCheck::crc64_nvme},
                       Peer{"oss", "oss", "OSS_ENDPOINT", PartCheck::crc64_ecma},
                       Peer{"s3", "ceph", "S3_ENDPOINT", PartCheck::md5}}) {
    INFO(p.kind);
    PeerBucket dst(p.kind);
    const std::string endpoint = peer_env(p.env)[p.endpoint_var];
    // Every request body of 1 MiB or more (the parts; not the commit) gets one bit flipped.
    FaultProxy proxy(url_origin(endpoint),
                     {"--provider", p.kind, "--seed", "5", "--corrupt-request-rate", "1",
                      "--corrupt-request-min", "1048576"});
    auto via = remote_with(p.kind, "auto", proxy.url(url_path(endpoint)));
    REQUIRE(via->features().part_check == p.check);
    BufferPool pool{64u << 20, 8u << 20};
    TransferOptions o;
    o.pool = &pool;
    o.chunk_size = kPart;
    const ObjectRef to{dst.bucket, "d/big.bin"};

    auto r = transfer_object(*local.remote, ObjectRef{"", path}, *listed, *via, to, o);
    INFO(r.status().to_string());
    CHECK(r.status().code == Errc::corrupt);
    CHECK(proxy.stats()["injected"]["corruptRequest"].get<int>() >= 1);
    CHECK(dst.remote->stat(to).status().code == Errc::not_found);  // never visible

    proxy.configure({{"corruptRequestRate", 0}});
    auto ok = transfer_object(*local.remote, ObjectRef{"", path}, *listed, *via, to, o);
    INFO(ok.status().to_string());
    REQUIRE(ok.ok());
    CHECK(snapshot(*dst.remote, dst.bucket, "d/") ==
          std::map<std::string, std::string>{{"big.bin", want}});
    auto stored = dst.remote->stat(to);
    REQUIRE(stored.ok());
    CHECK(known_md5(*stored) == want);
  }
}
