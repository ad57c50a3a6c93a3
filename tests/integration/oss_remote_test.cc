// tests/integration/oss_remote_test.cc — the OSS remote against the strict OSS test server
// (tests/peers/oss), with V1 and V4 signing: objects, ranges, metadata, odd keys, errors.
#include <catch2/catch.hpp>

#include "core/http.h"
#include "core/time_format.h"
#include "tests/integration/oss_test_env.h"

using namespace cpsync;
using namespace cpsync::testing;

TEST_CASE("oss put, stat, read and remove", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "basic");
  const std::string data = pattern_data(300000, 1);
  ObjectRef ref{b.name, "dir/object.bin"};
  auto put = r->put(ref, data.data(), data.size(), UploadOptions{});
  INFO(put.status().message);
  REQUIRE(put.ok());
  CHECK(put->size == data.size());
  CHECK(put->md5 == md5_hex(data));

  auto st = r->stat(ref);
  REQUIRE(st.ok());
  CHECK(st->size == data.size());
  REQUIRE(st->md5);
  CHECK(*st->md5 == md5_hex(data));
  CHECK(st->etag == put->etag);

  auto got = read_all(*r, ref);
  INFO(got.status().message);
  REQUIRE(got.ok());
  CHECK(*got == data);

  // Listing gives the lower-case MD5 from the (upper-case) single-part ETag.
  std::vector<ObjectInfo> listed;
  REQUIRE(r->list(ListRequest{b.name, "dir/", true, ""}, [&](std::vector<ObjectInfo>& p) {
             for (auto& o : p) listed.push_back(o);
             return Status::OK();
           }).ok());
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].key == "dir/object.bin");
  CHECK(listed[0].size == data.size());
  CHECK(listed[0].md5 == md5_hex(data));

  REQUIRE(r->remove(ref).ok());
  CHECK(r->stat(ref).status().code == Errc::not_found);
  CHECK(r->remove(ref).ok());  // absent is fine

  // An empty object.
  ObjectRef empty{b.name, "empty"};
  REQUIRE(r->put(empty, nullptr, 0, UploadOptions{}).ok());
  CHECK(r->stat(empty)->size == 0);
  CHECK(read_all(*r, empty).value().empty());
}

TEST_CASE("oss ranged reads", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "range");
  const std::string data = pattern_data(10000, 2);
  ObjectRef ref{b.name, "r.bin"};
  REQUIRE(r->put(ref, data.data(), data.size(), UploadOptions{}).ok());
  CHECK(read_all(*r, ref, ByteRange{0, 1}).value() == data.substr(0, 1));
  CHECK(read_all(*r, ref, ByteRange{100, 900}).value() == data.substr(100, 900));
  CHECK(read_all(*r, ref, ByteRange{9999, std::nullopt}).value() == data.substr(9999));
  CHECK(read_all(*r, ref, ByteRange{5000, std::nullopt}).value() == data.substr(5000));
  CHECK(read_all(*r, ref, ByteRange{9990, 10}).value() == data.substr(9990));
  // Past the end: an error, never the whole object.
  auto past = read_all(*r, ref, ByteRange{10000, 5});
  CHECK(past.status().code == Errc::invalid_argument);
  auto missing = read_all(*r, ObjectRef{b.name, "nope"}, ByteRange{0, 5});
  CHECK(missing.status().code == Errc::not_found);
}

TEST_CASE("oss metadata round trip", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "meta");
  const std::string data = "hello metadata";
  UploadOptions uo;
  auto mtime = parse_unix_seconds("1715949296.123456789");
  REQUIRE(mtime);
  uo.mtime = *mtime;
  uo.metadata["Owner"] = "alice smith";
  uo.metadata[kMetaMd5] = base64_encode(md5_raw(data));
  uo.content.type = "text/plain";
  ObjectRef ref{b.name, "m.txt"};
  REQUIRE(r->put(ref, data.data(), data.size(), uo).ok());
  auto st = r->stat(ref);
  REQUIRE(st.ok());
  CHECK(st->metadata_known);
  CHECK(st->metadata["owner"] == "alice smith");
  CHECK(st->metadata[kMetaMtime] == "1715949296.123456789");
  CHECK(st->mtime_from_metadata);
  CHECK(st->mtime == *mtime);
  CHECK(st->md5 == md5_hex(data));
}

TEST_CASE("oss keys with spaces, unicode, reserved characters and double slashes", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "keys");
  std::vector<std::string> keys = {
      "a b/c d.txt", "résumé/日本語 file.txt", "plus+percent%=&?#~", "dir//double//slash",
      "trailing/",   "./dot/../dotdot/.",      "star*(paren)'!",     "semi;colon,comma:at@$"};
  keys.push_back(std::string(1000, 'k') + "/" + std::string(22, 'z'));  // 1023 bytes
  for (const auto& k : keys) {
    INFO("key " << k);
    const std::string data = "data of " + k;
    auto put = r->put(ObjectRef{b.name, k}, data.data(), data.size(), UploadOptions{});
    INFO(put.status().message);
    REQUIRE(put.ok());
    auto st = r->stat(ObjectRef{b.name, k});
    INFO(st.status().message);
    REQUIRE(st.ok());
    CHECK(st->size == data.size());
    CHECK(read_all(*r, ObjectRef{b.name, k}).value() == data);
  }
  auto listed = list_keys(*r, ListRequest{b.name, "", true, ""});
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  CHECK(listed == sorted);
  // A prefix with special characters.
  CHECK(list_keys(*r, ListRequest{b.name, "plus+", true, ""}) ==
        std::vector<std::string>{"plus+percent%=&?#~"});
  for (const auto& k : keys) CHECK(r->remove(ObjectRef{b.name, k}).ok());
  CHECK(list_keys(*r, ListRequest{b.name, "", true, ""}).empty());
}

TEST_CASE("oss delimiter listing", "[oss]") {
  auto r = oss_remote("v4");
  ScopedBucket b(*r, "delim");
  for (const char* k : {"a/1", "a/2", "b", "c/d/e", "c/x", "d"})
    REQUIRE(r->put(ObjectRef{b.name, k}, "x", 1, UploadOptions{}).ok());
  std::vector<std::pair<std::string, bool>> got;
  REQUIRE(r->list(ListRequest{b.name, "", false, ""}, [&](std::vector<ObjectInfo>& p) {
             for (auto& o : p) got.emplace_back(o.key, o.is_dir);
             return Status::OK();
           }).ok());
  std::vector<std::pair<std::string, bool>> want = {
      {"a/", true}, {"b", false}, {"c/", true}, {"d", false}};
  CHECK(got == want);
  CHECK(list_keys(*r, ListRequest{b.name, "c/", false, ""}) ==
        std::vector<std::string>{"c/d/", "c/x"});
  CHECK(list_keys(*r, ListRequest{b.name, "", true, "b"}) ==
        std::vector<std::string>{"c/d/e", "c/x", "d"});
}

TEST_CASE("oss wrong credentials give access_denied naming the remote", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto good = oss_remote(sig);
  ScopedBucket b(*good, "creds");
  auto bad_secret = oss_remote(sig, {{"access_key_secret", "wrong-secret"}});
  auto st = bad_secret->stat(ObjectRef{b.name, "x"});
  CHECK(st.status().code == Errc::access_denied);
  CHECK(st.status().message.find("osstest") != std::string::npos);
  CHECK(st.status().message.find("wrong-secret") == std::string::npos);
  CHECK(st.status().message.find('\n') == std::string::npos);
  auto bad_key = oss_remote(sig, {{"access_key_id", "nobody"}});
  Status ls = bad_key->list(ListRequest{b.name, "", true, ""},
                            [](std::vector<ObjectInfo>&) { return Status::OK(); });
  CHECK(ls.code == Errc::access_denied);
  CHECK(ls.message.find("osstest") != std::string::npos);
  CHECK(ls.provider_code == "InvalidAccessKeyId");
}

TEST_CASE("oss missing bucket is not_found", "[oss]") {
  auto r = oss_remote("v4");
  const std::string bucket = unique_bucket("missing");
  Status ls = r->list(ListRequest{bucket, "", true, ""},
                      [](std::vector<ObjectInfo>&) { return Status::OK(); });
  CHECK(ls.code == Errc::not_found);
  CHECK(ls.message.find("osstest") != std::string::npos);
  CHECK(ls.message.find(bucket) != std::string::npos);
  CHECK(r->stat(ObjectRef{bucket, "k"}).status().code == Errc::not_found);
  auto put = r->put(ObjectRef{bucket, "k"}, "x", 1, UploadOptions{});
  CHECK(put.status().code == Errc::not_found);
}

TEST_CASE("oss buckets: make, list, remove", "[oss]") {
  auto r = oss_remote("v1");
  const std::string bucket = unique_bucket("mk");
  REQUIRE(r->make_bucket(bucket).ok());
  CHECK(r->make_bucket(bucket).ok());  // idempotent
  bool found = false;
  REQUIRE(r->list_buckets([&](std::vector<ObjectInfo>& p) {
             for (auto& o : p) found = found || o.key == bucket;
             return Status::OK();
           }).ok());
  CHECK(found);
  REQUIRE(r->put(ObjectRef{bucket, "k"}, "x", 1, UploadOptions{}).ok());
  CHECK(r->remove_bucket(bucket).code == Errc::conflict);  // not empty
  REQUIRE(r->remove(ObjectRef{bucket, "k"}).ok());
  CHECK(r->remove_bucket(bucket).ok());
  CHECK(r->remove_bucket(bucket).code == Errc::not_found);
}

TEST_CASE("oss link gives a working presigned URL", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig);
  ScopedBucket b(*r, "link");
  const std::string key = "linked file+x.txt";
  REQUIRE(r->put(ObjectRef{b.name, key}, "linked!", 7, UploadOptions{}).ok());
  auto url = r->link(ObjectRef{b.name, key}, std::chrono::seconds(600));
  REQUIRE(url.ok());
  HttpRequest req;
  req.url = *url;
  auto resp = http_client().send(req);
  REQUIRE(resp.ok());
  INFO(resp->body);
  CHECK(resp->status == 200);
  CHECK(resp->body == "linked!");
}

TEST_CASE("oss virtual-hosted addressing", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  // bucket.localhost:PORT resolves to the loopback address (curl treats *.localhost so).
  std::string ep = peer_env("oss")["OSS_ENDPOINT"];
  ep.replace(ep.find("127.0.0.1"), 9, "localhost");
  auto r = oss_remote(sig, {{"endpoint", ep}, {"force_path_style", "false"}});
  ScopedBucket b(*r, "vhost");
  const std::string data = pattern_data(1000, 8);
  ObjectRef ref{b.name, "v/h o+st.bin"};
  auto put = r->put(ref, data.data(), data.size(), UploadOptions{});
  INFO(put.status().message);
  REQUIRE(put.ok());
  CHECK(read_all(*r, ref).value() == data);
  CHECK(list_keys(*r, ListRequest{b.name, "", true, ""}) == std::vector<std::string>{ref.key});
  auto url = r->link(ref, std::chrono::seconds(60));
  REQUIRE(url.ok());
  CHECK(url->rfind("http://" + b.name + ".localhost:", 0) == 0);
  HttpRequest req;
  req.url = *url;
  auto resp = http_client().send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 200);
  CHECK(resp->body == data);
}

TEST_CASE("oss with an STS session token signs x-oss-security-token", "[oss]") {
  const std::string sig = GENERATE("v1", "v4");
  INFO("signature " << sig);
  auto r = oss_remote(sig, {{"session_token", "CAIS-test-token/+="}});
  ScopedBucket b(*r, "sts");
  ObjectRef ref{b.name, "t"};
  auto put = r->put(ref, "sts", 3, UploadOptions{});
  INFO(put.status().message);
  REQUIRE(put.ok());
  CHECK(read_all(*r, ref).value() == "sts");
  auto url = r->link(ref, std::chrono::seconds(60));
  REQUIRE(url.ok());
  CHECK(url->find("security-token") != std::string::npos);
  HttpRequest req;
  req.url = *url;
  auto resp = http_client().send(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 200);
}

TEST_CASE("oss keys with control characters list and batch-delete", "[oss]") {
  auto r = oss_remote("v4");
  ScopedBucket b(*r, "ctl");
  const std::vector<std::string> keys = {"ctl\x01key", "ctl\tkey", "normal<&>\"'"};
  for (const auto& k : keys) {
    auto put = r->put(ObjectRef{b.name, k}, "c", 1, UploadOptions{});
    INFO(put.status().message);
    REQUIRE(put.ok());
  }
  auto listed = list_keys(*r, ListRequest{b.name, "", true, ""});
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  CHECK(listed == sorted);
  Status rm = r->remove_many(b.name, keys);
  INFO(rm.message);
  REQUIRE(rm.ok());
  CHECK(list_keys(*r, ListRequest{b.name, "", true, ""}).empty());
}
