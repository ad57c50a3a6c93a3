// tests/integration/oss_multipart_test.cc — OSS multipart uploads (part boundaries,
// concurrent parts, abort, destructor abort) and server-side copy (CopyObject and
// UploadPartCopy) against the strict OSS test server, V1 and V4.
#include <catch2/catch.hpp>

#include <thread>

#include "core/crypto.h"
#include "core/http.h"
#include "tests/integration/oss_test_env.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

constexpr size_t kPart = 100 * 1024;  // the OSS minimum

// Uploads data in parts of kPart, each part from its own thread, and commits.
Result<ObjectInfo> upload_parts(Remote& r, const ObjectRef& ref, const std::string& data,
                                UploadOptions uo = {}) {
  auto up = r.begin_upload(ref, uo);
  if (!up.ok()) return up.status();
  const size_t nparts = data.empty() ? 0 : (data.size() + kPart - 1) / kPart;
  std::vector<Status> results(nparts);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < nparts; ++i)
    threads.emplace_back([&, i] {
      const size_t off = i * kPart;
      const size_t len = std::min(kPart, data.size() - off);
      results[i] = (*up)->write_part(static_cast<uint32_t>(i + 1), off, data.data() + off, len);
    });
  for (auto& t : threads) t.join();
  for (auto& s : results)
    if (!s.ok()) return s;
  return (*up)->commit();
}

}  // namespace

TEST_CASE("oss multipart: part boundaries and concurrent parts", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "mp");
  for (size_t size : {kPart - 1, kPart, kPart + 1, 3 * kPart - 1, 3 * kPart, 3 * kPart + 1}) {
    INFO("size " << size);
    const std::string data = pattern_data(size, static_cast<uint32_t>(size));
    ObjectRef ref{b.name, "mp/" + std::to_string(size)};
    UploadOptions uo;
    uo.metadata[kMetaMd5] = base64_encode(md5_raw(data));
    auto info = upload_parts(*r, ref, data, uo);
    INFO(info.status().message);
    REQUIRE(info.ok());
    CHECK(info->size == size);
    CHECK(info->md5 == md5_hex(data));
    auto st = r->stat(ref);
    REQUIRE(st.ok());
    CHECK(st->size == size);
    CHECK(st->md5 == md5_hex(data));  // from md5chksum: the ETag is not an MD5
    CHECK(st->etag.find('-') != std::string::npos);
    CHECK(md5_hex(read_all(*r, ref).value()) == md5_hex(data));
  }
}

TEST_CASE("oss multipart: missing part, too small part, empty upload", "[oss]") {
  auto r = oss_remote("v4");
  ScopedBucket b(*r, "mpbad");
  const std::string data = pattern_data(3 * kPart, 5);
  {  // part 2 never sent: refused before any request
    auto up = r->begin_upload(ObjectRef{b.name, "gap"}, UploadOptions{});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), kPart).ok());
    REQUIRE((*up)->write_part(3, 2 * kPart, data.data() + 2 * kPart, kPart).ok());
    auto c = (*up)->commit();
    CHECK(c.status().code == Errc::invalid_argument);
    REQUIRE((*up)->abort().ok());
  }
  {  // a first part under 100 KiB: the server refuses it at completion
    auto up = r->begin_upload(ObjectRef{b.name, "small"}, UploadOptions{});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), 1000).ok());
    REQUIRE((*up)->write_part(2, 1000, data.data() + 1000, 1000).ok());
    auto c = (*up)->commit();
    CHECK_FALSE(c.ok());
    CHECK(c.status().provider_code == "EntityTooSmall");
    CHECK(c.status().message.find("osstest") != std::string::npos);
  }  // the destructor aborts
  {  // no parts at all gives an empty object
    auto up = r->begin_upload(ObjectRef{b.name, "empty"}, UploadOptions{});
    REQUIRE(up.ok());
    auto c = (*up)->commit();
    INFO(c.status().message);
    REQUIRE(c.ok());
    CHECK(r->stat(ObjectRef{b.name, "empty"})->size == 0);
  }
  CHECK(r->stat(ObjectRef{b.name, "gap"}).status().code == Errc::not_found);
  CHECK(r->stat(ObjectRef{b.name, "small"}).status().code == Errc::not_found);
}

TEST_CASE("oss multipart: abort and destruction leave nothing behind", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  const std::string bucket = unique_bucket("abort");
  REQUIRE(r->make_bucket(bucket).ok());
  const std::string data = pattern_data(2 * kPart, 9);
  {
    auto up = r->begin_upload(ObjectRef{bucket, "aborted"}, UploadOptions{});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), kPart).ok());
    REQUIRE((*up)->abort().ok());
    CHECK((*up)->abort().ok());  // twice is fine
  }
  {
    auto up = r->begin_upload(ObjectRef{bucket, "dropped"}, UploadOptions{});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), kPart).ok());
    REQUIRE((*up)->write_part(2, kPart, data.data() + kPart, kPart).ok());
  }  // destroyed without commit
  CHECK(list_keys(*r, ListRequest{bucket, "", true, ""}).empty());
  CHECK(r->stat(ObjectRef{bucket, "aborted"}).status().code == Errc::not_found);
  CHECK(r->stat(ObjectRef{bucket, "dropped"}).status().code == Errc::not_found);
  // The server refuses to delete a bucket with open multipart uploads: this proves both
  // uploads are gone.
  Status rb = r->remove_bucket(bucket);
  INFO(rb.message);
  CHECK(rb.ok());
}

TEST_CASE("oss server-side copy: CopyObject and UploadPartCopy", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  // copy_cutoff at its minimum so that a 350 KiB object goes through UploadPartCopy.
  auto r = oss_remote(sig, {{"copy_cutoff", "100Ki"}});
  ScopedBucket b(*r, "copy");
  ScopedBucket b2(*r, "copy2");
  UploadOptions uo;
  uo.metadata["mtime"] = "1700000000.5";
  uo.metadata["owner"] = "bob";

  const std::string small = pattern_data(50000, 3);
  ObjectRef src_small{b.name, "src small"};
  REQUIRE(r->put(src_small, small.data(), small.size(), uo).ok());
  auto si = r->stat(src_small);
  REQUIRE(si.ok());
  ObjectRef dst_small{b2.name, "dst/small+copy"};
  auto c1 = r->copy_server_side(src_small, dst_small, *si);
  INFO(c1.status().message);
  REQUIRE(c1.ok());
  CHECK(c1->md5 == md5_hex(small));
  auto d1 = r->stat(dst_small);
  REQUIRE(d1.ok());
  CHECK(d1->metadata["owner"] == "bob");
  CHECK(d1->metadata["mtime"] == "1700000000.5");
  CHECK(read_all(*r, dst_small).value() == small);

  const std::string large = pattern_data(350 * 1024 + 7, 4);
  ObjectRef src_large{b.name, "src/large ü"};
  REQUIRE(r->put(src_large, large.data(), large.size(), uo).ok());
  auto li = r->stat(src_large);
  REQUIRE(li.ok());
  ObjectRef dst_large{b2.name, "dst/large copy"};
  request_counters().reset();
  auto c2 = r->copy_server_side(src_large, dst_large, *li);
  // No byte of the body passes through the client: no GET and no uploaded part.
  for (const auto& [op, n] : request_counters().snapshot()) {
    INFO("op " << op << " x" << n);
    CHECK(op != "get");
    CHECK(op != "part");
    CHECK(op != "put");
  }
  INFO(c2.status().message);
  REQUIRE(c2.ok());
  CHECK(c2->size == large.size());
  CHECK(c2->md5 == md5_hex(large));
  auto d2 = r->stat(dst_large);
  REQUIRE(d2.ok());
  CHECK(d2->size == large.size());
  CHECK(d2->etag.find("-4") != std::string::npos);  // 4 parts of 100 KiB
  // The source's MD5 (its single-part ETag) is kept as md5chksum: the copy's ETag is none.
  CHECK(d2->metadata[kMetaMd5] == base64_encode(md5_raw(large)));
  CHECK(d2->md5 == md5_hex(large));
  CHECK(d2->metadata["owner"] == "bob");
  CHECK(d2->metadata["mtime"] == "1700000000.5");
  CHECK(read_all(*r, dst_large).value() == large);

  // A missing source is not_found and leaves no upload behind.
  ObjectInfo ghost;
  ghost.size = 200 * 1024;
  auto c3 = r->copy_server_side(ObjectRef{b.name, "ghost"}, ObjectRef{b2.name, "g"}, ghost);
  CHECK(c3.status().code == Errc::not_found);
}
