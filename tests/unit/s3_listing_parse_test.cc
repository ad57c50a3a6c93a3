// tests/unit/s3_listing_parse_test.cc — S3's ETag/MD5 and metadata helpers and error lines (the
// listing parser S3 shares with OSS is tested in s3compat_list_xml_test.cc). No network.
#include <catch2/catch.hpp>

#include "remotes/s3/errors.h"
#include "remotes/s3/remote_impl.h"

using namespace cpsync;

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
