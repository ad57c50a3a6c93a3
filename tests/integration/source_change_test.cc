// tests/integration/source_change_test.cc — a source object deleted or changed between
// listing and copy is reported in one clear line and not copied, the run goes on and ends
// with an error; an object that changes during its own copy is never committed. S3 (Ceph
// RGW) reads are conditional on the listed ETag (If-Match); local files, which have no
// ETag, are checked by size and mtime before the commit.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/buffer_pool.h"
#include "sync/engine.h"
#include "sync/transfer.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

namespace cpsync::testing {
namespace {

TransferOptions transfer_options(BufferPool& pool) {
  TransferOptions o;
  o.pool = &pool;
  o.chunk_size = 5u << 20;
  o.streams = 1;  // parts in order: the change lands between two reads
  return o;
}

ObjectInfo stat_ok(Remote& r, const ObjectRef& ref) {
  auto st = r.stat(ref);
  INFO(st.status().to_string());
  REQUIRE(st.ok());
  return std::move(st).value();
}

void put_ok(Remote& r, const ObjectRef& ref, const std::string& data) {
  UploadOptions uo;
  uo.size = data.size();
  auto put = r.put(ref, data.data(), data.size(), uo);
  INFO(put.status().to_string());
  REQUIRE(put.ok());
}

bool absent(Remote& r, const ObjectRef& ref) {
  return r.stat(ref).status().code == Errc::not_found;
}

}  // namespace

// On every cloud peer: reads conditional on the listed ETag refuse a changed source.
static void changed_or_deleted_is_not_copied(const std::string& kind) {
  PeerBucket src(kind), dst("local");
  BufferPool pool{32u << 20, 5u << 20};
  const TransferOptions o = transfer_options(pool);
  for (size_t size : {size_t{1000}, size_t{12} << 20}) {  // single PUT, then multipart
    INFO("size " << size);
    const ObjectRef ref{src.bucket, "obj-" + std::to_string(size)};
    const ObjectRef to{"", dst.prefix + ref.key};
    put_ok(*src.remote, ref, content_for(ref.key, size, 0));
    const ObjectInfo listed = stat_ok(*src.remote, ref);
    put_ok(*src.remote, ref, content_for(ref.key, size, 1));  // same size, new bytes

    auto r = transfer_object(*src.remote, ref, listed, *dst.remote, to, o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::conflict);
    // One line naming the object (multipart failures say which part noticed).
    CHECK(r.status().message.ends_with(kind + ":" + ref.bucket + "/" + ref.key +
                                       ": source changed since it was listed; not copied"));
    CHECK(absent(*dst.remote, to));

    const ObjectInfo listed2 = stat_ok(*src.remote, ref);
    REQUIRE(src.remote->remove(ref).ok());
    r = transfer_object(*src.remote, ref, listed2, *dst.remote, to, o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::not_found);
    CHECK(r.status().message.find("source deleted since it was listed; not copied") !=
          std::string::npos);
    CHECK(absent(*dst.remote, to));
  }
}

// Server-side copies (one endpoint) are tied to the listed ETag too: CopyObject and each
// UploadPartCopy with copy-source-if-match (S3, OSS), Copy Blob with x-ms-source-if-match.
static void changed_is_not_copied_server_side(const std::string& kind) {
  PeerBucket src(kind);
  ConfigSection section = peer_section(kind);
  if (kind != "azure") section.values["copy_cutoff"] = "5Mi";  // 12 MiB copies in parts
  auto dst_remote = make_remote_from(section);
  REQUIRE(same_endpoint(*src.remote, *dst_remote));
  const std::string dst_bucket = src.bucket;  // another key of the same bucket
  BufferPool pool{32u << 20, 5u << 20};
  const TransferOptions o = transfer_options(pool);
  for (size_t size : {size_t{1000}, size_t{12} << 20}) {  // one copy request, then parts
    INFO("size " << size);
    const ObjectRef ref{src.bucket, "ss-" + std::to_string(size)};
    const ObjectRef to{dst_bucket, "ss-copy-" + std::to_string(size)};
    put_ok(*src.remote, ref, content_for(ref.key, size, 0));
    const ObjectInfo listed = stat_ok(*src.remote, ref);
    put_ok(*src.remote, ref, content_for(ref.key, size, 1));  // same size, new bytes

    auto r = transfer_object(*src.remote, ref, listed, *dst_remote, to, o);
    REQUIRE_FALSE(r.ok());
    INFO(r.status().to_string());
    CHECK(r.status().code == Errc::conflict);
    CHECK(r.status().message.ends_with(kind + ":" + ref.bucket + "/" + ref.key +
                                       ": source changed since it was listed; not copied"));
    CHECK(absent(*dst_remote, to));
    // With the current listing the same copy goes through, server-side.
    const ObjectInfo now = stat_ok(*src.remote, ref);
    auto ok = transfer_object(*src.remote, ref, now, *dst_remote, to, o);
    INFO(ok.status().to_string());
    REQUIRE(ok.ok());
    CHECK(ok->server_side);
    CHECK(stat_ok(*dst_remote, to).size == size);
  }
}

TEST_CASE("a source changed since listing is not copied server-side", "[s3][azure][oss]") {
  for (const char* kind : {"s3", "azure", "oss"}) {
    DYNAMIC_SECTION(kind) {
      changed_is_not_copied_server_side(kind);
    }
  }
}

TEST_CASE("a source changed or deleted since listing is not copied (S3)", "[s3]") {
  changed_or_deleted_is_not_copied("s3");
}
TEST_CASE("a source changed or deleted since listing is not copied (Azure)", "[azure]") {
  changed_or_deleted_is_not_copied("azure");
}
TEST_CASE("a source changed or deleted since listing is not copied (OSS)", "[oss]") {
  changed_or_deleted_is_not_copied("oss");
}

TEST_CASE("an S3 object that changes during its own copy is not committed", "[s3]") {
  PeerBucket src("s3"), dst("s3");
  BufferPool pool{32u << 20, 5u << 20};
  TransferOptions o = transfer_options(pool);
  o.server_side_copy = false;  // stream it, part by part
  const ObjectRef ref{src.bucket, "growing.bin"};
  const ObjectRef to{dst.bucket, "growing.bin"};
  const size_t size = 16u << 20;  // 4 parts of 5 MiB
  put_ok(*src.remote, ref, content_for(ref.key, size, 0));
  const ObjectInfo listed = stat_ok(*src.remote, ref);
  // Replaced after the copy began (its HEAD), as its one GET starts: the GET is conditional.
  ChangingRemote changing(*src.remote, ref.key, 1, [&](Remote& inner) {
    put_ok(inner, ref, content_for(ref.key, size, 2));
  });
  auto r = transfer_object(changing, ref, listed, *dst.remote, to, o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::conflict);
  CHECK(r.status().message.find("source changed since it was listed; not copied") !=
        std::string::npos);
  CHECK(absent(*dst.remote, to));
}

TEST_CASE("sync reports sources deleted or changed after listing and copies the rest", "[s3]") {
  PeerBucket src("s3"), dst("local");
  const auto mtime = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now() - std::chrono::hours(1));
  for (const char* k : {"a", "b", "c", "d", "e", "f"})
    REQUIRE(put_object(*src.remote, src.bucket, k, content_for(k, 2000), mtime).ok());
  // "c" is deleted and "e" replaced after the listing, just before their copy.
  ChangingRemote deleting(*src.remote, "c", 1, [&](Remote& inner) {
    REQUIRE(inner.remove(ObjectRef{src.bucket, "c"}).ok());
  });
  ChangingRemote changing(deleting, "e", 1, [&](Remote& inner) {
    put_ok(inner, ObjectRef{src.bucket, "e"}, content_for("e", 2000, 3));
  });
  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  SyncStats stats;
  SyncEndpoint s{&changing, src.bucket, "", "s3:" + src.bucket};
  Status st = runner.run(s, dst.endpoint(""), stats);
  INFO(st.to_string());
  CHECK_FALSE(st.ok());  // a non-zero exit at the end
  CHECK(st.message.find("since it was listed; not copied") != std::string::npos);
  CHECK(stats.errors == 2);
  CHECK(stats.transferred == 4);
  for (const char* k : {"a", "b", "d", "f"}) CHECK_FALSE(absent(*dst.remote, {"", dst.prefix + k}));
  for (const char* k : {"c", "e"}) CHECK(absent(*dst.remote, {"", dst.prefix + k}));
}

TEST_CASE("a local file that changes during its own copy is not committed", "[local]") {
  PeerBucket src("local"), dst("local");
  BufferPool pool{32u << 20, 5u << 20};
  TransferOptions o = transfer_options(pool);
  o.server_side_copy = false;  // stream it, part by part
  const std::string path = src.prefix + "big.bin";
  const size_t size = 12u << 20;
  {
    std::ofstream f(path, std::ios::binary);
    const std::string data = content_for("big.bin", size);
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
  }
  const ObjectRef ref{"", path};
  const ObjectInfo listed = stat_ok(*src.remote, ref);
  REQUIRE(listed.etag.empty());  // no ETag: the size and mtime are checked instead
  // Changed as its reads start: the size and mtime are checked again before the commit.
  ChangingRemote changing(*src.remote, path, 1, [&](Remote&) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(100);
    f.put('x');
    f.close();
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
  });
  const ObjectRef to{"", dst.prefix + "big.bin"};
  auto r = transfer_object(changing, ref, listed, *dst.remote, to, o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::conflict);
  CHECK(r.status().message.find("source changed since it was listed; not copied") !=
        std::string::npos);
  CHECK(absent(*dst.remote, to));
}

}  // namespace cpsync::testing
