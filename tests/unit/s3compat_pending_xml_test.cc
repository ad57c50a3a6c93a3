// tests/unit/s3compat_pending_xml_test.cc — ListMultipartUploads / ListParts parsing and the choice
// of the upload a resumed transfer adopts (remotes/s3compat/pending_xml.h).
#include <catch2/catch.hpp>

#include "core/time_format.h"
#include "remotes/s3compat/pending_xml.h"

using namespace cpsync;
using namespace cpsync::s3compat;

TEST_CASE("pending uploads: ListMultipartUploads pages parse", "[pending]") {
  const std::string xml =
      "<?xml version=\"1.0\"?><ListMultipartUploadsResult><Bucket>b</Bucket>"
      "<NextKeyMarker>k2</NextKeyMarker><NextUploadIdMarker>u2</NextUploadIdMarker>"
      "<IsTruncated>true</IsTruncated>"
      "<Upload><Key>k1</Key><UploadId>u1</UploadId><Initiated>2024-05-17T12:00:00.000Z</Initiated>"
      "</Upload><Upload><Key>k2</Key><UploadId>u2</UploadId>"
      "<Initiated>2024-05-17T13:00:00Z</Initiated></Upload></ListMultipartUploadsResult>";
  auto p = parse_pending_uploads(xml, "t");
  REQUIRE(p.ok());
  REQUIRE(p->uploads.size() == 2);
  CHECK(p->uploads[0].key == "k1");
  CHECK(p->uploads[1].upload_id == "u2");
  CHECK(format_iso8601(p->uploads[1].initiated) == "2024-05-17T13:00:00Z");
  CHECK(p->truncated);
  CHECK(p->next_key_marker == "k2");
  CHECK(p->next_upload_id_marker == "u2");

  CHECK(parse_pending_uploads("<oops", "t").status().code == Errc::corrupt);
  CHECK(parse_pending_uploads("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
                              "</ListMultipartUploadsResult>",
                              "t")
            .status()
            .code == Errc::corrupt);
}

TEST_CASE("pending uploads: ListParts gives numbers, sizes and MD5 ETags", "[pending]") {
  const std::string xml =
      "<ListPartsResult><IsTruncated>false</IsTruncated>"
      "<Part><PartNumber>1</PartNumber><ETag>\"0CC175B9C0F1B6A831C399E269772661\"</ETag>"
      "<Size>5242880</Size></Part>"
      "<Part><PartNumber>2</PartNumber><ETag>&quot;abc-2&quot;</ETag><Size>7</Size></Part>"
      "</ListPartsResult>";
  auto p = parse_listed_parts(xml, "t");
  REQUIRE(p.ok());
  REQUIRE(p->parts.size() == 2);
  CHECK(p->parts[0].number == 1);
  CHECK(p->parts[0].size == 5242880);
  CHECK(p->parts[0].md5 == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(p->parts[1].etag == "abc-2");
  CHECK(p->parts[1].md5.empty());  // not an MD5: such a part is never reused
  CHECK(parse_listed_parts("<ListPartsResult><Part><PartNumber>x</PartNumber></Part>"
                           "</ListPartsResult>",
                           "t")
            .status()
            .code == Errc::corrupt);
}

TEST_CASE("pending uploads: the newest upload of the exact key, not older than the source",
          "[pending]") {
  auto at = [](const char* s) { return *parse_iso8601(s); };
  std::vector<PendingUpload> ups = {{"a/b", "old", at("2024-05-17T10:00:00Z")},
                                    {"a/b", "new", at("2024-05-17T11:00:00Z")},
                                    {"a/bc", "other", at("2024-05-17T12:00:00Z")}};
  CHECK(choose_pending(ups, "a/b", std::nullopt)->upload_id == "new");
  CHECK(choose_pending(ups, "a/b", at("2024-05-17T10:30:00Z"))->upload_id == "new");
  // The source changed after every upload started: their metadata is stale.
  CHECK_FALSE(choose_pending(ups, "a/b", at("2024-05-17T11:30:00Z")));
  CHECK_FALSE(choose_pending(ups, "a/x", std::nullopt));
}
