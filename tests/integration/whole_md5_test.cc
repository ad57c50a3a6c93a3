// tests/integration/whole_md5_test.cc — every object cpsync writes in parts carries its
// whole-object MD5 where the provider keeps one, read back by other tools: after local ->
// S3 -> Azure -> OSS copies (and local -> Azure, local -> OSS, a stream to each provider, an
// S3 object without a stored MD5 -> OSS and Azure) of a 12 MiB object in 5 MiB parts,
// `rclone md5sum` on RGW and Azurite and ali-oss's HEAD on the OSS server show its MD5,
// and each copy really went in parts. A local file hashed
// ahead for S3 and changed before its parts are read is not committed.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "sync/compare.h"
#include "sync/transfer.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/rclone_env.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

const TimePoint kMtime{std::chrono::seconds(1700000000)};
constexpr size_t kSize = 12 * kMiB + 12345;  // three 5 MiB parts

// Runs cmd (stderr joined to stdout); REQUIREs exit 0 and returns what it printed.
std::string run_ok(const std::string& cmd) {
  int code = -1;
  const std::string out = shell_output(cmd + " 2>&1", &code);
  INFO(cmd << ": " << out);
  REQUIRE(code == 0);
  return out;
}

// What `rclone md5sum` prints for one object: its hex MD5, or "" when it shows none.
std::string rclone_md5(const std::string& path) {
  REQUIRE(std::system("command -v rclone >/dev/null 2>&1") == 0);  // install-deps installs it
  configure_rclone();
  // Debian's rclone refuses to start its S3 client while AWS_CA_BUNDLE is set.
  std::istringstream in(run_ok("env -u AWS_CA_BUNDLE rclone md5sum " + shell_quote(path)));
  std::string line;
  while (std::getline(in, line)) {
    std::string first = line.substr(0, line.find(' '));
    if (first.size() == 32) return first;
  }
  return "";
}

// The OSS server's response headers to a HEAD of bucket/key through ali-oss
// (tests/peers/oss/head-object.js).
nlohmann::json oss_head(const std::string& bucket, const std::string& key) {
  for (const auto& [k, v] : peer_env("oss")) ::setenv(k.c_str(), v.c_str(), 1);
  const std::string dir = std::string(CPSYNC_SOURCE_DIR) + "/tests/peers";
  const std::string out = run_ok("NODE_PATH=" + shell_quote(dir + "/node_modules") + " node " +
                                 shell_quote(dir + "/oss/head-object.js") + " " +
                                 shell_quote(bucket) + " " + shell_quote(key));
  auto j = nlohmann::json::parse(out, nullptr, false);
  INFO(out);
  REQUIRE(j.is_object());
  return j;
}

std::string base64_of_hex(const std::string& hex) {
  std::string raw;
  REQUIRE(hex_decode(hex, raw));
  return base64_encode(raw);
}

// Copies dir "d/" of from to dir "d/" of to, in 5 MiB parts.
void copy_dir(PeerBucket& from, PeerBucket& to) {
  SyncRunner runner;
  runner.options.mode = SyncMode::copy;
  runner.options.transfer.chunk_size = 5 * kMiB;
  SyncStats stats;
  Status st = runner.run(from.endpoint("d/"), to.endpoint("d/"), stats);
  INFO(from.kind << " -> " << to.kind << ": " << st.to_string());
  REQUIRE(st.ok());
  REQUIRE(stats.transferred == 1);
  REQUIRE(stats.server_side == 0);
}

// The MD5 each provider shows for d/big.bin, by a tool other than cpsync where one exists,
// and that the object was written in parts.
void require_stored_md5(PeerBucket& b, const std::string& want) {
  INFO(b.kind);
  const std::string key = "d/big.bin";
  if (b.kind == "s3") {
    CHECK(rclone_md5("ceph:" + b.bucket + "/" + key) == want);
    auto info = b.remote->stat(ObjectRef{b.bucket, key});
    REQUIRE(info.ok());
    CHECK(info->etag.find('-') != std::string::npos);  // multipart: md5-of-md5s-N
    CHECK(known_md5(*info) == want);
  } else if (b.kind == "azure") {
    CHECK(rclone_md5("az:" + b.bucket + "/" + key) == want);
    auto info = b.remote->stat(ObjectRef{b.bucket, key});
    REQUIRE(info.ok());
    CHECK(info->md5 == want);  // the blob's Content-MD5
  } else if (b.kind == "oss") {
    nlohmann::json head = oss_head(b.bucket, key);
    INFO(head.dump());
    CHECK(head.value("etag", "").find('-') != std::string::npos);  // multipart
    CHECK(head.value("x-oss-meta-md5chksum", "") == base64_of_hex(want));
    auto info = b.remote->stat(ObjectRef{b.bucket, key});
    REQUIRE(info.ok());
    CHECK(known_md5(*info) == want);
  }
}

}  // namespace

TEST_CASE("objects written in parts carry their MD5: local -> S3 -> Azure -> OSS", "[cross][md5]") {
  PeerBucket local("local");
  const std::string data = content_for("big.bin", kSize);
  const std::string want = hex_lower(md5_raw(data));
  REQUIRE(put_object(*local.remote, "", local.prefix + "d/big.bin", data, kMtime).ok());

  PeerBucket s3("s3"), azure("azure"), oss("oss");
  copy_dir(local, s3);  // a local file: hashed before CreateMultipartUpload
  require_stored_md5(s3, want);
  copy_dir(s3, azure);  // streamed; the source's md5chksum is checked, then stored
  require_stored_md5(azure, want);
  copy_dir(azure, oss);  // streamed; the blob's Content-MD5 becomes md5chksum
  require_stored_md5(oss, want);
  CHECK(snapshot(*oss.remote, oss.bucket, "d/") ==
        std::map<std::string, std::string>{{"big.bin", want}});

  // Straight from the local file to Azure and OSS as well.
  PeerBucket azure2("azure"), oss2("oss");
  copy_dir(local, azure2);  // hashed in order while the blocks go, given at Put Block List
  require_stored_md5(azure2, want);
  copy_dir(local, oss2);
  require_stored_md5(oss2, want);
}

TEST_CASE("a stream of unknown length uploaded in parts carries its MD5", "[cross][md5]") {
  const std::string data = content_for("big.bin", kSize);
  const std::string want = hex_lower(md5_raw(data));
  for (const std::string kind : {"azure", "s3", "oss"}) {
    PeerBucket dst(kind);
    size_t pos = 0;
    StreamReader reader = [&](char* buf, size_t len) -> Result<size_t> {
      const size_t n = std::min(len, data.size() - pos);
      std::copy(data.data() + pos, data.data() + pos + n, buf);
      pos += n;
      return n;
    };
    BufferPool pool{64u << 20, 8u << 20};
    TransferOptions o;
    o.pool = &pool;
    o.chunk_size = 5 * kMiB;
    auto t =
        upload_stream(reader, *dst.remote, ObjectRef{dst.bucket, "d/big.bin"}, UploadOptions{}, o);
    INFO(kind << ": " << t.status().to_string());
    REQUIRE(t.ok());
    CHECK(t->md5 == want);
    require_stored_md5(dst, want);  // S3/OSS: added after Complete by a copy onto itself
  }
}

TEST_CASE("an object copied from a cloud source without a stored MD5 carries its MD5",
          "[cross][md5]") {
  // An S3 object written in parts without md5chksum, as other tools leave them.
  PeerBucket s3("s3");
  const std::string data = content_for("big.bin", kSize);
  const std::string want = hex_lower(md5_raw(data));
  {
    UploadOptions uo;
    uo.size = data.size();
    uo.part_size = 5 * kMiB;
    auto up = s3.remote->begin_upload(ObjectRef{s3.bucket, "d/big.bin"}, uo);
    REQUIRE(up.ok());
    for (uint64_t off = 0, n = 1; off < data.size(); off += uo.part_size, ++n) {
      const size_t len = std::min<size_t>(uo.part_size, data.size() - off);
      REQUIRE((*up)->write_part(static_cast<uint32_t>(n), off, data.data() + off, len).ok());
    }
    REQUIRE((*up)->commit().ok());
  }
  auto listed = s3.remote->stat(ObjectRef{s3.bucket, "d/big.bin"});
  REQUIRE(listed.ok());
  REQUIRE_FALSE(known_md5(*listed));
  CHECK(rclone_md5("ceph:" + s3.bucket + "/d/big.bin").empty());

  PeerBucket oss("oss"), azure("azure");
  copy_dir(s3, oss);  // learnt while the parts go, added after Complete
  require_stored_md5(oss, want);
  copy_dir(s3, azure);  // learnt while the blocks go, given at Put Block List
  require_stored_md5(azure, want);
}

TEST_CASE("a local file changed after it was hashed ahead for S3 is not committed",
          "[cross][md5]") {
  PeerBucket local("local"), s3("s3");
  const std::string path = local.prefix + "d/big.bin";
  REQUIRE(put_object(*local.remote, "", path, content_for("big.bin", kSize), kMtime).ok());
  auto listed = local.remote->stat(ObjectRef{"", path});
  REQUIRE(listed.ok());
  REQUIRE_FALSE(known_md5(*listed));  // so the transfer hashes the file before it starts
  // Read 1 hashes the file; before read 2 (the first part) one byte and the mtime change.
  ChangingRemote changing(*local.remote, path, 2, [&](Remote&) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(100);
    f.put('x');
    f.close();
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
  });
  BufferPool pool{64u << 20, 8u << 20};
  TransferOptions o;
  o.pool = &pool;
  o.chunk_size = 5 * kMiB;
  const ObjectRef to{s3.bucket, "d/big.bin"};
  auto r = transfer_object(changing, ObjectRef{"", path}, *listed, *s3.remote, to, o);
  INFO(r.status().to_string());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::conflict);
  CHECK(s3.remote->stat(to).status().code == Errc::not_found);
}
