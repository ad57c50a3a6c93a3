// tests/unit/inventory_parse_test.cc — S3 Inventory manifest.json and CSV rows: the
// documented fields, URL-decoded keys, quoting, versions and delete markers, bad input.
#include <catch2/catch.hpp>

#include "sync/inventory/s3_inventory.h"

using namespace cpsync;

namespace {

const char* kManifest = R"({
  "sourceBucket": "example-source-bucket",
  "destinationBucket": "arn:aws:s3:::example-inventory-destination-bucket",
  "version": "2016-11-30",
  "creationTimestamp": "1514944800000",
  "fileFormat": "CSV",
  "fileSchema": "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass",
  "files": [
    {"key": "Inventory/example-source-bucket/2016-11-06T21-32Z/files/939c6d46-85a9-4ba8-aa7e-d1d7a2e5b5b7.csv.gz",
     "size": 2147483647, "MD5checksum": "f11166069f1990abeb9c97ace9cdfabc"},
    {"key": "Inventory/example-source-bucket/2016-11-06T21-32Z/files/2.csv.gz", "size": 10}
  ]
})";

}  // namespace

TEST_CASE("inventory: the manifest's bucket, schema and files", "[inventory]") {
  auto m = parse_inventory_manifest(kManifest);
  REQUIRE(m.ok());
  CHECK(m->source_bucket == "example-source-bucket");
  CHECK(m->destination_bucket == "example-inventory-destination-bucket");
  REQUIRE(m->columns.size() == 9);
  CHECK(m->columns[1] == "Key");
  CHECK(m->columns[8] == "StorageClass");
  REQUIRE(m->files.size() == 2);
  CHECK(m->files[0].size == 2147483647);
  std::string orc = kManifest;
  orc.replace(orc.find("\"CSV\""), 5, "\"ORC\"");
  auto r = parse_inventory_manifest(orc);
  REQUIRE(!r.ok());
  CHECK(r.status().code == Errc::invalid_argument);
  CHECK(r.status().message.find("only CSV") != std::string::npos);
  CHECK(!parse_inventory_manifest("{}").ok());
  CHECK(!parse_inventory_manifest("nope").ok());
}

TEST_CASE("inventory: rows with quoted fields, URL-encoded keys, versions", "[inventory]") {
  auto m = parse_inventory_manifest(kManifest);
  REQUIRE(m.ok());
  auto r = parse_inventory_row(
      R"("example-source-bucket","dir/a+b%2B%25%C3%A9.txt","v1","true","false","1024","2026-12-06T10:11:12.000Z","0123456789ABCDEF0123456789ABCDEF","STANDARD")",
      m->columns);
  REQUIRE(r.ok());
  CHECK(r->bucket == "example-source-bucket");
  CHECK(r->key == "dir/a b+%\xC3\xA9.txt");
  CHECK(r->info.size == 1024);
  CHECK(r->info.md5 == std::optional<std::string>("0123456789abcdef0123456789abcdef"));
  CHECK(r->latest);
  CHECK(!r->delete_marker);
  auto old = parse_inventory_row(
      R"("b","k","v0","false","false","1","2026-12-06T10:11:12.000Z","d41d8cd98f00b204e9800998ecf8427e-2","STANDARD")",
      m->columns);
  REQUIRE(old.ok());
  CHECK(!old->latest);
  CHECK(!old->info.md5);  // a multipart ETag is no MD5
  auto marker = parse_inventory_row(R"("b","k","v2","true","true","","","","")", m->columns);
  REQUIRE(marker.ok());  // a delete marker has no size
  CHECK(marker->delete_marker);
  auto quoted = parse_inventory_row(
      R"("b","say ""hi""","","true","false","3","2026-12-06T10:11:12Z","e","S")", m->columns);
  REQUIRE(quoted.ok());
  CHECK(quoted->key == "say \"hi\"");
  for (const char* bad : {R"("b","k)", R"("b","k")",
                          R"("b","%zz","","true","false","1","2026-12-06T10:11:12Z","e","S")",
                          R"("b","k","","true","false","x1","2026-12-06T10:11:12Z","e","S")"}) {
    INFO(bad);
    auto p = parse_inventory_row(bad, m->columns);
    REQUIRE(!p.ok());
    CHECK(p.status().code == Errc::corrupt);
  }
}
