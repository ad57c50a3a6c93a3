// tests/unit/s3_listing_parse_test.cc — ListObjectsV2/ListBuckets parsing, url-decoded keys,
// the byte-order checks, ETag/MD5 helpers and the S3 error lines. No network.
#include <catch2/catch.hpp>

#include "remotes/s3/errors.h"
#include "remotes/s3/listing.h"
#include "remotes/s3/remote_impl.h"

using namespace cpsync;

namespace {

std::string page_xml(const std::string& contents, const std::string& prefixes = "",
                     bool truncated = false, const std::string& token = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
         "<Name>b</Name><EncodingType>url</EncodingType><IsTruncated>" +
         std::string(truncated ? "true" : "false") + "</IsTruncated>" +
         (token.empty() ? "" : "<NextContinuationToken>" + token + "</NextContinuationToken>") +
         contents + prefixes + "</ListBucketResult>";
}

std::string entry(const std::string& key,
                  const std::string& etag = "\"d41d8cd98f00b204e9800998ecf8427e\"",
                  uint64_t size = 0) {
  return "<Contents><Key>" + key +
         "</Key><LastModified>2024-05-17T12:34:56.789Z</LastModified>"
         "<ETag>" +
         etag + "</ETag><Size>" + std::to_string(size) + "</Size></Contents>";
}

}  // namespace

TEST_CASE("s3 listing page parses entries and decodes url-encoded keys", "[s3]") {
  auto p = s3::parse_list_v2(
      page_xml(entry("a%2Bb+c%2F%C3%A9") +
                   entry("z", "&quot;0123456789abcdef0123456789abcdef-2&quot;", 42),
               "<CommonPrefixes><Prefix>m%20dir%2F</Prefix></CommonPrefixes>", true, "tok/=="),
      true, "s3 remote 'x'");
  INFO(p.status().message);
  REQUIRE(p.ok());
  REQUIRE(p->entries.size() == 3);
  CHECK(p->entries[0].key == "a+b c/\xC3\xA9");
  CHECK(p->entries[0].md5 == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(p->entries[1].key == "m dir/");
  CHECK(p->entries[1].is_dir);
  CHECK(p->entries[2].key == "z");
  CHECK(p->entries[2].size == 42);
  CHECK(p->entries[2].etag == "0123456789abcdef0123456789abcdef-2");
  CHECK_FALSE(p->entries[2].md5.has_value());  // multipart ETag is no MD5
  CHECK(p->truncated);
  CHECK(p->next_token == "tok/==");
}

TEST_CASE("s3 listing out of byte order is corrupt", "[s3]") {
  auto p = s3::parse_list_v2(page_xml(entry("b") + entry("a")), false, "s3 remote 'x'");
  CHECK(p.status().code == Errc::corrupt);
  CHECK(p.status().message.find("out of byte order") != std::string::npos);
  // Byte order, not locale order: "Z" < "a" < "\xC3\xA9".
  CHECK(s3::parse_list_v2(page_xml(entry("Z") + entry("a") + entry("%C3%A9")), true, "x").ok());
  CHECK(s3::parse_list_v2(page_xml(entry("%C3%A9") + entry("z")), true, "x").status().code ==
        Errc::corrupt);
  // Duplicates are out of order too.
  CHECK(s3::parse_list_v2(page_xml(entry("a") + entry("a")), true, "x").status().code ==
        Errc::corrupt);
  // Across pages.
  std::string last;
  std::vector<ObjectInfo> page1(2), page2(1);
  page1[0].key = "a";
  page1[1].key = "c";
  page2[0].key = "b";
  CHECK(s3::check_order(page1, &last, "x").ok());
  CHECK(last == "c");
  CHECK(s3::check_order(page2, &last, "x").code == Errc::corrupt);
  // Truncated without a token cannot continue.
  CHECK(s3::parse_list_v2(page_xml(entry("a"), "", true), true, "x").status().code ==
        Errc::corrupt);
  CHECK(s3::parse_list_v2("<html>", true, "x").status().code == Errc::corrupt);
}

TEST_CASE("s3 list buckets parses and sorts", "[s3]") {
  auto b = s3::parse_list_buckets(
      "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>"
      "<Bucket><Name>zeta</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>"
      "<Bucket><Name>alpha</Name><CreationDate>2024-01-02T00:00:00.000Z</CreationDate></Bucket>"
      "</Buckets></ListAllMyBucketsResult>",
      "x");
  REQUIRE(b.ok());
  REQUIRE(b->size() == 2);
  CHECK((*b)[0].key == "alpha");
  CHECK((*b)[1].key == "zeta");
}

TEST_CASE("s3 etag and metadata helpers", "[s3]") {
  CHECK(s3::unquote_etag("\"abc\"") == "abc");
  CHECK(s3::unquote_etag("abc") == "abc");
  CHECK(s3::md5_from_etag("D41D8CD98F00B204E9800998ECF8427E") ==
        "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(s3::md5_from_etag("d41d8cd98f00b204e9800998ecf8427e-3").empty());
  Headers h = {{"Content-Length", "12"},
               {"ETag", "\"5d41402abc4b2a76b9719d911017c592-2\""},
               {"Last-Modified", "Fri, 17 May 2024 12:34:56 GMT"},
               {"X-Amz-Meta-Mtime", "1715949296.5"},
               {"x-amz-meta-md5chksum", "XUFAKrxLKna5cZ2REBfFkg=="},
               {"x-amz-meta-Owner", "alice"}};
  ObjectInfo o = s3::info_from_headers("k", h);
  CHECK(o.size == 12);
  CHECK(o.mtime_from_metadata);
  CHECK(o.mtime.time_since_epoch().count() == 1715949296500000000);
  CHECK(o.md5 == "5d41402abc4b2a76b9719d911017c592");
  CHECK(o.metadata["owner"] == "alice");
  auto mh =
      s3::metadata_headers({{"Owner", "a"}, {"mtime", "old"}}, TimePoint(std::chrono::seconds(1)));
  CHECK(mh == Headers{{"x-amz-meta-owner", "a"}, {"x-amz-meta-mtime", "1.000000000"}});
}

TEST_CASE("s3 errors are one line naming the remote and what to fix", "[s3]") {
  HttpResponse r;
  r.status = 403;
  r.body =
      "<?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access "
      "Key Id you provided does not exist.</Message><RequestId>R1</RequestId></Error>";
  r.headers = {{"x-amz-request-id", "R1"}};
  Status s = s3::to_status(r, {"aws", "list", "b", ""});
  CHECK(s.code == Errc::access_denied);
  CHECK(s.message ==
        "s3 remote 'aws': access denied for bucket 'b' (InvalidAccessKeyId): check "
        "access_key_id/secret_access_key");
  CHECK(s.request_id == "R1");

  r.status = 404;
  r.body = "<Error><Code>NoSuchBucket</Code></Error>";
  s = s3::to_status(r, {"aws", "stat", "nob", "k"});
  CHECK(s.code == Errc::not_found);
  CHECK(s.message.find("bucket 'nob' not found") != std::string::npos);

  r.status = 503;
  r.body = "<Error><Code>SlowDown</Code><Message>Please reduce\nyour rate</Message></Error>";
  s = s3::to_status(r, {"aws", "put", "b", "k"});
  CHECK(s.code == Errc::throttled);
  CHECK(s.retryable());
  CHECK(s.message == "s3 remote 'aws': put 'b/k' failed: SlowDown (HTTP 503): Please reduce");

  r.status = 400;
  r.body = "<Error><Code>BadDigest</Code></Error>";
  CHECK(s3::to_status(r, {"aws", "put", "b", "k"}).code == Errc::corrupt);

  r.status = 200;  // CopyObject can fail inside a 200
  r.body = "<?xml version=\"1.0\"?>\n<Error><Code>InternalError</Code></Error>";
  CHECK(s3::is_error_body(r.body));
  CHECK(s3::to_status(r, {"aws", "copy", "b", "k"}).retryable());
  CHECK_FALSE(s3::is_error_body("<CopyObjectResult><ETag>x</ETag></CopyObjectResult>"));
}
