// tests/unit/azure_parts_test.cc — the azureblob remote's pure pieces: List Blobs and List
// Containers parsing, metadata conventions, and error mapping (no network).
#include <catch2/catch.hpp>

#include "core/time_format.h"
#include "remotes/azure/azure_errors.h"
#include "remotes/azure/azure_info.h"
#include "remotes/azure/azure_xml.h"

using namespace cpsync;
using namespace cpsync::azure;

TEST_CASE("List Blobs page: blobs, prefixes, metadata, md5, markers", "[azure]") {
  const char* xml = R"(<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="http://127.0.0.1/devstoreaccount1" ContainerName="c">
  <Prefix>d/</Prefix><MaxResults>3</MaxResults><Delimiter>/</Delimiter>
  <Blobs>
    <Blob><Name>d/a.txt</Name>
      <Properties><Last-Modified>Fri, 17 May 2024 12:34:56 GMT</Last-Modified>
        <Etag>0x8DC7654321</Etag><Content-Length>11</Content-Length>
        <Content-MD5>XrY7u+Ae7tCTyyK7j1rNww==</Content-MD5><BlobType>BlockBlob</BlobType>
        <AccessTier>Cool</AccessTier><AccessTierInferred>false</AccessTierInferred>
      </Properties>
      <Metadata><Mtime>1715949296.5</Mtime><Owner>me</Owner></Metadata>
    </Blob>
    <Blob><Name Encoded="true">d/bad%01name</Name>
      <Properties><Last-Modified>Fri, 17 May 2024 12:34:56 GMT</Last-Modified>
        <Etag>"0x1"</Etag><Content-Length>0</Content-Length><Content-MD5 /></Properties>
    </Blob>
    <BlobPrefix><Name>d/sub/</Name></BlobPrefix>
  </Blobs>
  <NextMarker>2!72!MDAwMDE0IWQvc3ViLyEwMDAwMjghOTk5OS0xMi0zMVQyMzo1OTo1OS45OTk5OTk5WiE-</NextMarker>
</EnumerationResults>)";
  auto page = parse_blob_list(xml);
  REQUIRE(page.ok());
  REQUIRE(page->entries.size() == 3);
  const ObjectInfo& a = page->entries[0];
  CHECK(a.key == "d/a.txt");
  CHECK(a.size == 11);
  CHECK(a.etag == "0x8DC7654321");
  CHECK(a.md5 == "5eb63bbbe01eeed093cb22bb8f5acdc3");
  CHECK(a.metadata_known);
  CHECK(a.metadata.at("owner") == "me");
  CHECK(a.tier == "Cool");
  CHECK(a.mtime_from_metadata);
  CHECK(format_unix_seconds(a.mtime) == "1715949296.500000000");
  const ObjectInfo& b = page->entries[1];
  CHECK(b.key == std::string("d/bad\x01name"));
  CHECK(b.etag == "0x1");
  CHECK_FALSE(b.md5.has_value());
  CHECK(b.tier.empty());  // no AccessTier (e.g. a page blob)
  CHECK_FALSE(b.mtime_from_metadata);
  CHECK(b.mtime == *parse_rfc1123("Fri, 17 May 2024 12:34:56 GMT"));
  CHECK(page->entries[2].key == "d/sub/");
  CHECK(page->entries[2].is_dir);
  CHECK(page->next_marker.rfind("2!72!", 0) == 0);

  CHECK(parse_blob_list("<not xml").status().code == Errc::corrupt);
  CHECK(parse_blob_list("<Other/>").status().code == Errc::corrupt);
  auto empty = parse_blob_list("<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>");
  REQUIRE(empty.ok());
  CHECK(empty->entries.empty());
  CHECK(empty->next_marker.empty());
}

TEST_CASE("List Containers page", "[azure]") {
  auto page = parse_container_list(
      "<EnumerationResults><Containers><Container><Name>one</Name><Properties>"
      "<Last-Modified>Fri, 17 May 2024 12:34:56 GMT</Last-Modified></Properties></Container>"
      "<Container><Name>two</Name></Container></Containers><NextMarker>x</NextMarker>"
      "</EnumerationResults>");
  REQUIRE(page.ok());
  REQUIRE(page->containers.size() == 2);
  CHECK(page->containers[0].key == "one");
  CHECK(page->containers[1].key == "two");
  CHECK(page->next_marker == "x");
}

TEST_CASE("Block list body", "[azure]") {
  CHECK(block_list_xml({"QQ==", "Qg=="}) ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList><Latest>QQ==</Latest>"
        "<Latest>Qg==</Latest></BlockList>");
}

TEST_CASE("Upload metadata: mtime added, md5chksum becomes Content-MD5", "[azure]") {
  UploadOptions o;
  o.mtime = *parse_unix_seconds("1700000000.25");
  o.metadata = {{"md5chksum", "XrY7u+Ae7tCTyyK7j1rNww=="}, {"keep", "yes"}};
  std::optional<std::string> md5;
  Metadata m = *metadata_for_upload(o, &md5, "az");
  CHECK(m.at("mtime") == "2023-11-14T22:13:20.250000000Z");  // rclone's Azure form
  CHECK(m.count("md5chksum") == 0);
  CHECK(m.at("keep") == "yes");
  CHECK(md5 == "XrY7u+Ae7tCTyyK7j1rNww==");
  o.metadata = {{"mtime", "5"}, {"md5chksum", "not-an-md5"}};
  md5.reset();
  m = *metadata_for_upload(o, &md5, "az");
  CHECK(m.at("mtime") == "1970-01-01T00:00:05.000000000Z");
  CHECK_FALSE(md5.has_value());

  // Names Azure cannot hold are stored with AzCopy's rename convention, and come back.
  o.metadata = {{"content-owner", "me"}, {"x.y", "1"}};
  m = *metadata_for_upload(o, &md5, "az");
  CHECK(m.at("rename_content_owner") == "me");
  CHECK(m.at("rename_key_content_owner") == "content-owner");
  CHECK(m.at("rename_x_y") == "1");
  ObjectInfo back;
  back.metadata = m;
  apply_mtime(back, "");
  CHECK(back.metadata.at("content-owner") == "me");
  CHECK(back.metadata.at("x.y") == "1");
  CHECK(back.metadata.count("rename_x_y") == 0);
  o.metadata = {{"a-b", "1"}, {"a.b", "2"}};
  CHECK(metadata_for_upload(o, &md5, "az").status().code == Errc::invalid_argument);
  o.metadata = {{"bad", "caf\xc3\xa9"}};
  CHECK(metadata_for_upload(o, &md5, "az").status().code == Errc::invalid_argument);

  CHECK(validate_metadata({{"good_name1", "v"}}, "az").ok());
  CHECK(validate_metadata({{"bad-name", "v"}}, "az").code == Errc::invalid_argument);
  CHECK(validate_metadata({{"1st", "v"}}, "az").code == Errc::invalid_argument);
  CHECK(validate_metadata({{"ok", "caf\xc3\xa9"}}, "az").code == Errc::invalid_argument);
  CHECK(md5_base64_from_hex("5eb63bbbe01eeed093cb22bb8f5acdc3") == "XrY7u+Ae7tCTyyK7j1rNww==");
}

TEST_CASE("Azure mtime metadata: rclone's RFC 3339 form and unix seconds", "[azure]") {
  TimePoint t = *parse_unix_seconds("1715949296.123456789");
  CHECK(format_azure_mtime(t) == "2024-05-17T12:34:56.123456789Z");
  CHECK(parse_azure_mtime("2024-05-17T12:34:56.123456789Z") == t);
  CHECK(parse_azure_mtime("2024-05-17T14:34:56.123456789+02:00") == t);
  CHECK(parse_azure_mtime("2024-05-17T10:34:56.123456789-02:00") == t);
  CHECK(parse_azure_mtime("2024-05-17T12:34:56Z") == *parse_unix_seconds("1715949296"));
  CHECK(parse_azure_mtime("1715949296.123456789") == t);
  CHECK_FALSE(parse_azure_mtime("yesterday").has_value());
  CHECK_FALSE(parse_azure_mtime("2024-05-17T12:34:56").has_value());
  ObjectInfo i;
  i.metadata = {{"mtime", "2024-05-17T12:34:56.123456789Z"}};
  apply_mtime(i, "Fri, 17 May 2024 00:00:00 GMT");
  CHECK(i.mtime_from_metadata);
  CHECK(i.mtime == t);
  CHECK(i.metadata.at("mtime") == "1715949296.123456789");  // cpsync's neutral form
}

TEST_CASE("HEAD headers to ObjectInfo", "[azure]") {
  Headers h = {{"Content-Length", "42"},
               {"ETag", "\"0x8DC\""},
               {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="},
               {"Last-Modified", "Fri, 17 May 2024 12:34:56 GMT"},
               {"x-ms-meta-Color", "blue"},
               {"x-ms-access-tier", "Hot"}};
  ObjectInfo i = info_from_headers(h, "k");
  CHECK(i.tier == "Hot");
  CHECK(i.size == 42);
  CHECK(i.etag == "0x8DC");
  CHECK(i.md5 == "5eb63bbbe01eeed093cb22bb8f5acdc3");
  CHECK(i.metadata.at("color") == "blue");
  CHECK(i.metadata_known);
  CHECK(i.mtime == *parse_rfc1123("Fri, 17 May 2024 12:34:56 GMT"));
}

TEST_CASE("Azure errors become one line naming the remote", "[azure]") {
  HttpResponse r;
  r.status = 403;
  r.headers = {{"x-ms-error-code", "AuthenticationFailed"}, {"x-ms-request-id", "rid"}};
  Status s = azure_status(r, ErrorContext{"az", "check account/key", "head", "c", "k"});
  CHECK(s.code == Errc::access_denied);
  CHECK(s.message ==
        "azureblob remote 'az': authentication failed (AuthenticationFailed): "
        "check account/key");
  CHECK(s.request_id == "rid");

  r.status = 404;
  r.headers = {{"x-ms-error-code", "ContainerNotFound"}};
  CHECK(azure_status(r, ErrorContext{"az", "", "list", "c", ""}).message ==
        "azureblob remote 'az': container 'c' not found");
  r.headers = {{"x-ms-error-code", "BlobNotFound"}};
  CHECK(azure_status(r, ErrorContext{"az", "", "head", "c", "k"}).code == Errc::not_found);

  r.status = 400;
  r.headers = {};
  r.body =
      "<?xml version=\"1.0\"?><Error><Code>Md5Mismatch</Code><Message>The MD5 value "
      "specified in the request did not match.</Message></Error>";
  CHECK(azure_status(r, ErrorContext{"az", "", "put", "c", "k"}).code == Errc::corrupt);
  r.status = 503;
  r.body = "<Error><Code>ServerBusy</Code><Message>busy</Message></Error>";
  Status busy = azure_status(r, ErrorContext{"az", "", "put", "c", "k"});
  CHECK(busy.code == Errc::throttled);
  CHECK(busy.retryable());
  r.status = 409;
  r.body = "<Error><Code>ContainerAlreadyExists</Code></Error>";
  CHECK(azure_status(r, ErrorContext{"az", "", "mkdir", "c", ""}).code == Errc::conflict);
}
