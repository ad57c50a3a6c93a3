// tests/integration/s3_objects_test.cc — the S3 remote against Ceph RGW: single objects,
// ranges, metadata, multipart (boundaries, concurrency, abort), server-side copy, links.
#include <thread>

#include "core/http.h"
#include "core/time_format.h"
#include "remotes/s3/client.h"
#include "remotes/s3/remote_impl.h"
#include "tests/integration/s3_peer.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// Uploads data in parts of part_size through begin_upload/write_part/commit.
Result<ObjectInfo> multipart_put(Remote& r, const ObjectRef& ref, const std::string& data,
                                 size_t part_size, Metadata meta = {}) {
  UploadOptions o;
  o.size = data.size();
  o.part_size = part_size;
  o.metadata = std::move(meta);
  auto up = r.begin_upload(ref, o);
  if (!up.ok()) return up.status();
  uint32_t n = 1;
  for (size_t off = 0; off < data.size(); off += part_size, ++n) {
    size_t len = std::min(part_size, data.size() - off);
    Status st = (*up)->write_part(n, off, data.data() + off, len);
    if (!st.ok()) return st;
  }
  return (*up)->commit();
}

// Multipart uploads in progress for key (ListMultipartUploads).
std::vector<std::string> uploads_in_progress(const S3Bucket& b, const std::string& key) {
  auto* s3r = dynamic_cast<s3::S3Remote*>(b.remote.get());
  REQUIRE(s3r != nullptr);
  s3::S3Call call;
  call.bucket = b.bucket;
  call.query = {{"uploads", ""}, {"prefix", key}};
  auto r = s3r->client().call(call.with_verb("list uploads"));
  INFO(r.status().message);
  REQUIRE(r.ok());
  std::vector<std::string> ids;
  size_t pos = 0;
  while ((pos = r->body.find("<UploadId>", pos)) != std::string::npos) {
    size_t end = r->body.find("</UploadId>", pos);
    ids.push_back(r->body.substr(pos + 10, end - pos - 10));
    pos = end;
  }
  return ids;
}

}  // namespace

TEST_CASE("s3 put, stat, read and remove one object with metadata", "[s3]") {
  S3Bucket b;
  const std::string data = test_bytes(100000);
  UploadOptions o;
  o.mtime = *parse_unix_seconds("1715949296.123456789");
  o.metadata = {{"owner", "alice"}, {"Color", "blue"}};
  o.content.type = "text/plain";
  auto put = b.remote->put(b.ref("dir/a.bin"), data.data(), data.size(), o);
  INFO(put.status().message);
  REQUIRE(put.ok());
  CHECK(put->md5 == md5_hex(data));
  CHECK(put->etag == md5_hex(data));

  auto st = b.remote->stat(b.ref("dir/a.bin"));
  REQUIRE(st.ok());
  CHECK(st->size == data.size());
  CHECK(st->md5 == md5_hex(data));
  CHECK(st->metadata_known);
  CHECK(st->metadata["owner"] == "alice");
  CHECK(st->metadata["color"] == "blue");
  CHECK(st->mtime_from_metadata);
  CHECK(format_unix_seconds(st->mtime) == "1715949296.123456789");

  auto got = b.get("dir/a.bin");
  REQUIRE(got.ok());
  CHECK(md5_hex(*got) == md5_hex(data));

  auto listed = b.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].key == "dir/a.bin");
  CHECK(listed[0].size == data.size());
  CHECK(listed[0].md5 == md5_hex(data));

  REQUIRE(b.remote->remove(b.ref("dir/a.bin")).ok());
  CHECK(b.remote->stat(b.ref("dir/a.bin")).status().code == Errc::not_found);
  CHECK(b.remote->remove(b.ref("dir/a.bin")).ok());  // absent: still ok
  CHECK(b.get("dir/a.bin").status().code == Errc::not_found);
}

TEST_CASE("s3 empty object and ranged reads", "[s3]") {
  S3Bucket b;
  REQUIRE(b.remote->put(b.ref("empty"), nullptr, 0, {}).ok());
  auto e = b.get("empty");
  REQUIRE(e.ok());
  CHECK(e->empty());
  CHECK(b.remote->stat(b.ref("empty"))->md5 == md5_hex(""));

  const std::string data = test_bytes(10000, 7);
  REQUIRE(b.remote->put(b.ref("r"), data.data(), data.size(), {}).ok());
  CHECK(*b.get("r", {0, 1}) == data.substr(0, 1));
  CHECK(*b.get("r", {1234, 100}) == data.substr(1234, 100));
  CHECK(*b.get("r", {9999, std::nullopt}) == data.substr(9999));
  CHECK(*b.get("r", {5000, std::nullopt}) == data.substr(5000));
  CHECK(*b.get("r", {9990, 10}) == data.substr(9990));
  CHECK(b.get("r", {10, 0})->empty());
  CHECK(b.get("r", {20000, std::nullopt}).status().code == Errc::invalid_argument);
}

TEST_CASE("s3 multipart uploads at part boundaries", "[s3]") {
  S3Bucket b;
  const size_t part = 5 * kMiB;
  for (size_t size : {2 * part - 1, 2 * part, 2 * part + 1, 3 * part - 2 * kMiB}) {
    DYNAMIC_SECTION("size " << size) {
      const std::string data = test_bytes(size, static_cast<uint32_t>(size));
      const std::string key = "mp/" + std::to_string(size);
      std::string md5b64 = base64_encode(md5_raw(data));
      auto info = multipart_put(*b.remote, b.ref(key), data, part, {{"md5chksum", md5b64}});
      INFO(info.status().message);
      REQUIRE(info.ok());
      const size_t parts = (size + part - 1) / part;
      CHECK(info->size == size);
      CHECK(info->etag.ends_with("-" + std::to_string(parts)));
      CHECK(info->md5 == md5_hex(data));
      auto st = b.remote->stat(b.ref(key));
      REQUIRE(st.ok());
      CHECK(st->etag == info->etag);    // our computed md5-of-md5s-N equals RGW's
      CHECK(st->md5 == md5_hex(data));  // from md5chksum
      auto got = b.get(key);
      REQUIRE(got.ok());
      CHECK(md5_hex(*got) == md5_hex(data));
      // A read across the part boundary.
      CHECK(*b.get(key, {part - 3, 6}) == data.substr(part - 3, 6));
    }
  }
}

TEST_CASE("s3 multipart parts written concurrently and out of order", "[s3]") {
  S3Bucket b;
  const size_t part = 5 * kMiB;
  const std::string data = test_bytes(4 * part - 12345, 99);
  UploadOptions o;
  o.size = data.size();
  auto up = b.remote->begin_upload(b.ref("concurrent"), o);
  REQUIRE(up.ok());
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (uint32_t n = 4; n >= 1; --n)
    threads.emplace_back([&, n] {
      size_t off = (n - 1) * part;
      results[n - 1] =
          (*up)->write_part(n, off, data.data() + off, std::min(part, data.size() - off));
    });
  for (auto& t : threads) t.join();
  for (auto& s : results) {
    INFO(s.message);
    CHECK(s.ok());
  }
  auto info = (*up)->commit();
  INFO(info.status().message);
  REQUIRE(info.ok());
  CHECK(info->etag.ends_with("-4"));
  CHECK(md5_hex(*b.get("concurrent")) == md5_hex(data));
}

TEST_CASE("s3 aborted or abandoned uploads leave nothing behind", "[s3]") {
  S3Bucket b;
  const std::string data = test_bytes(5 * kMiB, 3);
  {
    auto up = b.remote->begin_upload(b.ref("aborted"), {});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), data.size()).ok());
    CHECK(uploads_in_progress(b, "aborted").size() == 1);
    REQUIRE((*up)->abort().ok());
  }
  CHECK(uploads_in_progress(b, "aborted").empty());
  {
    auto up = b.remote->begin_upload(b.ref("dropped"), {});
    REQUIRE(up.ok());
    REQUIRE((*up)->write_part(1, 0, data.data(), data.size()).ok());
  }  // destroyed without commit: aborts
  CHECK(uploads_in_progress(b, "dropped").empty());
  CHECK(b.remote->stat(b.ref("aborted")).status().code == Errc::not_found);
  CHECK(b.remote->stat(b.ref("dropped")).status().code == Errc::not_found);
  CHECK(b.list().empty());
}

TEST_CASE("s3 multipart refuses a part below 5 MiB at commit", "[s3]") {
  S3Bucket b;
  const std::string small = test_bytes(kMiB);
  auto up = b.remote->begin_upload(b.ref("small-parts"), {});
  REQUIRE(up.ok());
  REQUIRE((*up)->write_part(1, 0, small.data(), small.size()).ok());
  REQUIRE((*up)->write_part(2, kMiB, small.data(), small.size()).ok());
  auto info = (*up)->commit();
  CHECK_FALSE(info.ok());
  CHECK(info.status().provider_code == "EntityTooSmall");
  CHECK(info.status().message.find("'ceph'") != std::string::npos);
  up->reset();
  CHECK(uploads_in_progress(b, "small-parts").empty());
}

TEST_CASE("s3 server-side copy keeps content and metadata", "[s3]") {
  S3Bucket b(std::map<std::string, std::string>{{"copy_cutoff", "5Mi"}});
  UploadOptions o;
  o.mtime = *parse_unix_seconds("1700000000.5");
  o.metadata = {{"owner", "bob"}};
  const std::string small = test_bytes(3000, 11);
  REQUIRE(b.remote->put(b.ref("src/small"), small.data(), small.size(), o).ok());
  const std::string big = test_bytes(12 * kMiB + 7, 12);
  REQUIRE(b.remote->put(b.ref("src/big"), big.data(), big.size(), o).ok());
  request_counters().reset();

  SECTION("CopyObject below copy_cutoff") {
    auto src = b.remote->stat(b.ref("src/small"));
    REQUIRE(src.ok());
    auto c = b.remote->copy_server_side(b.ref("src/small"), b.ref("dst/small copy"), *src);
    INFO(c.status().message);
    REQUIRE(c.ok());
    auto st = b.remote->stat(b.ref("dst/small copy"));
    REQUIRE(st.ok());
    CHECK(st->md5 == md5_hex(small));
    CHECK(st->metadata["owner"] == "bob");
    CHECK(format_unix_seconds(st->mtime) == "1700000000.500000000");
  }
  SECTION("UploadPartCopy above copy_cutoff, from a listing entry") {
    auto listed = b.list("src/big");
    REQUIRE(listed.size() == 1);
    auto c = b.remote->copy_server_side(b.ref("src/big"), b.ref("dst/big"), listed[0]);
    INFO(c.status().message);
    REQUIRE(c.ok());
    auto st = b.remote->stat(b.ref("dst/big"));
    REQUIRE(st.ok());
    CHECK(st->etag.ends_with("-3"));
    CHECK(st->size == big.size());
    CHECK(st->md5 == md5_hex(big));  // md5chksum added for the multipart copy
    CHECK(st->metadata["owner"] == "bob");
    CHECK(md5_hex(*b.get("dst/big")) == md5_hex(big));
  }
  // No byte of the body passed through us.
  for (auto& [op, n] : request_counters().snapshot()) CHECK(op != "put");
}

TEST_CASE("s3 presigned link serves the object and refuses tampering", "[s3]") {
  S3Bucket b;
  const std::string data = "hello presigned world";
  REQUIRE(b.remote->put(b.ref("shared/file name.txt"), data.data(), data.size(), {}).ok());
  auto url = b.remote->link(b.ref("shared/file name.txt"), std::chrono::seconds(600));
  REQUIRE(url.ok());
  HttpRequest req;
  req.url = *url;
  auto r = http_client().send(req);
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == data);
  req.url = url->substr(0, url->size() - 1) + (url->back() == '0' ? "1" : "0");
  r = http_client().send(req);
  REQUIRE(r.ok());
  CHECK(r->status == 403);
  CHECK(b.remote->link(b.ref("x"), std::chrono::seconds(604801)).status().code ==
        Errc::invalid_argument);
}

TEST_CASE("s3 virtual-hosted addressing works against rgw dns name localhost", "[s3]") {
  auto env = peer_env("ceph");
  std::string endpoint = env["S3_ENDPOINT"];
  endpoint.replace(endpoint.find("127.0.0.1"), 9, "localhost");
  S3Bucket b(
      std::map<std::string, std::string>{{"endpoint", endpoint}, {"force_path_style", "false"}});
  auto* s3r = dynamic_cast<s3::S3Remote*>(b.remote.get());
  REQUIRE(s3r);
  CHECK_FALSE(s3r->client().path_style_for(b.bucket));
  const std::string data = "virtual";
  REQUIRE(b.remote->put(b.ref("v/k ey"), data.data(), data.size(), {}).ok());
  CHECK(*b.get("v/k ey") == data);
  CHECK(b.list().size() == 1);
}
