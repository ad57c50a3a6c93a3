// tests/unit/s3compat_bodies_test.cc — the XML bodies and answers S3 and OSS share
// (remotes/s3compat/): CompleteMultipartUpload and DeleteObjects bodies, DeleteResult
// failures, ListObjects V1 markers, and object info from either dialect's headers. No network.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "remotes/s3compat/list_xml.h"
#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/object_info.h"
#include "remotes/s3compat/objects.h"

using namespace cpsync;
using namespace cpsync::s3compat;

TEST_CASE("s3compat complete and delete bodies escape and quote", "[s3compat]") {
  const std::string complete = complete_body({{1, "abc"}, {2, "d&e"}});
  CHECK(complete ==
        "<?xml version=\"1.0\"?><CompleteMultipartUpload>"
        "<Part><PartNumber>1</PartNumber><ETag>\"abc\"</ETag></Part>"
        "<Part><PartNumber>2</PartNumber><ETag>\"d&amp;e\"</ETag></Part>"
        "</CompleteMultipartUpload>");
  const std::string a = "a<b", b = "c", c = "never";
  const std::vector<const std::string*> keys{&a, &b, &c};
  CHECK(delete_body(keys, 0, 2) ==
        "<?xml version=\"1.0\"?><Delete><Quiet>true</Quiet>"
        "<Object><Key>a&lt;b</Key></Object><Object><Key>c</Key></Object></Delete>");
}

TEST_CASE("s3compat DeleteResult: absent keys are no failure, others name the key", "[s3compat]") {
  CHECK(delete_result("", "w").ok());
  CHECK(delete_result("<DeleteResult/>", "w").ok());
  CHECK(delete_result("<DeleteResult><Error><Key>k</Key><Code>NoSuchKey</Code></Error>"
                      "</DeleteResult>",
                      "w")
            .ok());
  Status denied = delete_result(
      "<DeleteResult><Error><Key>k</Key><Code>AccessDenied</Code></Error></DeleteResult>", "w");
  CHECK(denied.code == Errc::access_denied);
  CHECK(denied.provider_code == "AccessDenied");
  CHECK(denied.message == "w: delete 'k' failed: AccessDenied");
  CHECK(delete_result("<DeleteResult><Error><Key>k</Key><Code>InternalError</Code></Error>"
                      "</DeleteResult>",
                      "w")
            .code == Errc::permanent);
  CHECK(delete_result("<DeleteResult", "w").code == Errc::corrupt);
}

TEST_CASE("s3compat ListObjects V1: NextMarker, or nothing to continue after the last key",
          "[s3compat]") {
  const std::string head = "<ListBucketResult><EncodingType>url</EncodingType>";
  const std::string entry =
      "<Contents><Key>a%2Bb</Key><ETag>\"X-2\"</ETag><Size>1</Size></Contents>";
  auto p = parse_list_objects(head + "<IsTruncated>true</IsTruncated><NextMarker>a%2Bb" +
                                  "</NextMarker>" + entry + "</ListBucketResult>",
                              {1, false, true}, "w");
  REQUIRE(p.ok());
  CHECK(p->next == "a+b");
  CHECK(p->entries.at(0).key == "a+b");
  // V1 without NextMarker (no delimiter): the caller continues after the last key.
  auto q =
      parse_list_objects(head + "<IsTruncated>true</IsTruncated>" + entry + "</ListBucketResult>",
                         {1, false, true}, "w");
  REQUIRE(q.ok());
  CHECK(q->next.empty());
  // V2 must name its continuation.
  CHECK(parse_list_objects(head + "<IsTruncated>true</IsTruncated>" + entry + "</ListBucketResult>",
                           {2, false, true}, "w")
            .status()
            .code == Errc::corrupt);
  // An OSS token comes url-encoded; S3's is taken as it is.
  const std::string v2 = head + "<IsTruncated>true</IsTruncated><NextContinuationToken>t%2B1" +
                         "</NextContinuationToken></ListBucketResult>";
  CHECK(parse_list_objects(v2, {2, true, true}, "w")->next == "t+1");
  CHECK(parse_list_objects(v2, {2, true, false}, "w")->next == "t%2B1");
}

TEST_CASE("s3compat object info reads the dialect's metadata and object type", "[s3compat]") {
  Dialect oss{.name = "oss", .header_prefix = "x-oss-", .meta_prefix = "x-oss-meta-"};
  Dialect s3{.name = "s3", .header_prefix = "x-amz-", .meta_prefix = "x-amz-meta-"};
  Headers h = {{"Content-Length", "3"},
               {"ETag", "\"5D41402ABC4B2A76B9719D911017C592\""},
               {"x-oss-meta-owner", "alice"},
               {"x-amz-meta-owner", "bob"}};
  ObjectInfo o = info_from_headers(oss, "k", h);
  CHECK(o.size == 3);
  CHECK(o.metadata == Metadata{{"owner", "alice"}});
  CHECK(o.md5 == std::optional<std::string>("5d41402abc4b2a76b9719d911017c592"));
  CHECK(info_from_headers(s3, "k", h).metadata == Metadata{{"owner", "bob"}});
  // An appendable OSS object's ETag is no MD5; md5chksum still is.
  h.emplace_back("x-oss-object-type", "Appendable");
  CHECK_FALSE(info_from_headers(oss, "k", h).md5.has_value());
  h.emplace_back("x-oss-meta-md5chksum", "XUFAKrxLKna5cZ2REBfFkg==");
  CHECK(info_from_headers(oss, "k", h).md5 ==
        std::optional<std::string>("5d41402abc4b2a76b9719d911017c592"));
  // The storage class header, else the dialect's default (S3 omits STANDARD on HEAD).
  CHECK(info_from_headers(oss, "k", h).tier.empty());
  Dialect s3_default = s3;
  s3_default.default_storage_class = "STANDARD";
  CHECK(info_from_headers(s3_default, "k", h).tier == "STANDARD");
  h.emplace_back("x-oss-storage-class", "IA");
  CHECK(info_from_headers(oss, "k", h).tier == "IA");
  // S3 has no object-type header: the ETag counts.
  CHECK(info_from_headers(s3, "k", h).md5 ==
        std::optional<std::string>("5d41402abc4b2a76b9719d911017c592"));
}
