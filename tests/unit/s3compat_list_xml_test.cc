// tests/unit/s3compat_list_xml_test.cc — the one S3-compatible listing parser
// (remotes/s3compat/list_xml.h) on S3's and OSS's answers: url-decoded keys, the byte-order
// checks within and across pages, tokens and markers, ListBuckets. No network.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "remotes/s3compat/list_xml.h"

using namespace cpsync;

namespace {

// S3's ListObjectsV2 answer: keys url-encoded when the request asked (the S3 remote always does).
Result<s3compat::ListPage> parse_v2(std::string_view xml, bool url_encoded, std::string_view what) {
  return s3compat::parse_list_objects(xml, {2, url_encoded, false}, what);
}

// OSS's ListObjects answer as the OSS remote reads it: V2, EncodingType and tokens decoded.
Result<s3compat::ListPage> parse_oss_page(const std::string& body, const std::string& what) {
  return s3compat::parse_list_objects(body, {2, false, true}, what);
}

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
  auto p = parse_v2(
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
  CHECK(p->next == "tok/==");
}

TEST_CASE("s3 listing out of byte order is corrupt", "[s3]") {
  auto p = parse_v2(page_xml(entry("b") + entry("a")), false, "s3 remote 'x'");
  CHECK(p.status().code == Errc::corrupt);
  CHECK(p.status().message.find("out of byte order") != std::string::npos);
  // Byte order, not locale order: "Z" < "a" < "\xC3\xA9".
  CHECK(parse_v2(page_xml(entry("Z") + entry("a") + entry("%C3%A9")), true, "x").ok());
  CHECK(parse_v2(page_xml(entry("%C3%A9") + entry("z")), true, "x").status().code == Errc::corrupt);
  // Duplicates are out of order too.
  CHECK(parse_v2(page_xml(entry("a") + entry("a")), true, "x").status().code == Errc::corrupt);
  // Across pages.
  std::string last;
  std::vector<ObjectInfo> page1(2), page2(1);
  page1[0].key = "a";
  page1[1].key = "c";
  page2[0].key = "b";
  CHECK(s3compat::check_order(page1, &last, "x").ok());
  CHECK(last == "c");
  CHECK(s3compat::check_order(page2, &last, "x").code == Errc::corrupt);
  // Truncated without a token cannot continue.
  CHECK(parse_v2(page_xml(entry("a"), "", true), true, "x").status().code == Errc::corrupt);
  CHECK(parse_v2("<html>", true, "x").status().code == Errc::corrupt);
}

TEST_CASE("s3 list buckets parses and sorts", "[s3]") {
  auto b = s3compat::parse_list_buckets(
      "<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets>"
      "<Bucket><Name>zeta</Name><CreationDate>2024-01-01T00:00:00.000Z</CreationDate></Bucket>"
      "<Bucket><Name>alpha</Name><CreationDate>2024-01-02T00:00:00.000Z</CreationDate></Bucket>"
      "</Buckets></ListAllMyBucketsResult>",
      "x");
  REQUIRE(b.ok());
  REQUIRE(b->buckets.size() == 2);
  CHECK(b->buckets[0].key == "alpha");
  CHECK(b->buckets[1].key == "zeta");
}

TEST_CASE("oss listing pages: decoding, merge and order checks", "[oss_unit]") {
  const std::string head =
      "<?xml version=\"1.0\"?><ListBucketResult><Name>b</Name><EncodingType>url</EncodingType>";
  auto contents = [](const std::string& key, const std::string& etag, const std::string& type) {
    return "<Contents><Key>" + key +
           "</Key><LastModified>2024-05-17T12:34:56.000Z</LastModified>"
           "<ETag>&quot;" +
           etag + "&quot;</ETag><Type>" + type + "</Type><Size>5</Size></Contents>";
  };
  std::string body = head +
                     "<IsTruncated>true</IsTruncated>"
                     "<NextContinuationToken>tok+/=</NextContinuationToken>" +
                     contents("a%20b", "5EB63BBBE01EEED093CB22BB8F5ACDC3", "Normal") +
                     contents("c%2Bd", "5EB63BBBE01EEED093CB22BB8F5ACDC3-2", "Multipart") +
                     "<CommonPrefixes><Prefix>b%2F</Prefix></CommonPrefixes></ListBucketResult>";
  auto p = parse_oss_page(body, "w");
  INFO(p.status().message);
  REQUIRE(p.ok());
  REQUIRE(p->entries.size() == 3);
  CHECK(p->entries[0].key == "a b");
  CHECK(p->entries[0].md5 == std::optional<std::string>("5eb63bbbe01eeed093cb22bb8f5acdc3"));
  CHECK(p->entries[1].key == "b/");
  CHECK(p->entries[1].is_dir);
  CHECK(p->entries[2].key == "c+d");
  CHECK_FALSE(p->entries[2].md5.has_value());
  CHECK(p->entries[2].size == 5);
  CHECK(p->truncated);
  CHECK(p->next == "tok+/=");

  // Out of byte order inside a page: corrupt, never silently re-sorted.
  std::string bad = head + "<IsTruncated>false</IsTruncated>" + contents("b", "X", "Normal") +
                    contents("a", "X", "Normal") + "</ListBucketResult>";
  auto c = parse_oss_page(bad, "oss 'myoss:b'");
  CHECK(c.status().code == Errc::corrupt);
  CHECK(c.status().message.find("oss 'myoss:b'") == 0);
  // Byte order, not case-insensitive order: "B" < "a".
  std::string ok = head + "<IsTruncated>false</IsTruncated>" + contents("B", "X", "Normal") +
                   contents("a", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_oss_page(ok, "w").ok());
  std::string dup = head + "<IsTruncated>false</IsTruncated>" + contents("a", "X", "Normal") +
                    contents("a", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_oss_page(dup, "w").status().code == Errc::corrupt);
  CHECK(parse_oss_page("<nope", "w").status().code == Errc::corrupt);
  CHECK(parse_oss_page("<Error/>", "w").status().code == Errc::corrupt);
  std::string bad_escape = head + "<IsTruncated>false</IsTruncated>" +
                           contents("%zz", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_oss_page(bad_escape, "w").status().code == Errc::corrupt);
}

TEST_CASE("listing tiers: StorageClass, else the dialect's default", "[s3]") {
  const std::string body = page_xml(
      "<Contents><Key>a</Key><Size>1</Size><StorageClass>GLACIER_IR</StorageClass>"
      "</Contents>"
      "<Contents><Key>b</Key><Size>1</Size></Contents>",
      "<CommonPrefixes><Prefix>c%2F</Prefix></CommonPrefixes>");
  // S3 leaves STANDARD out of some answers (rclone shows STANDARD then).
  auto s3 = s3compat::parse_list_objects(body, {2, true, false, "STANDARD"}, "w");
  REQUIRE(s3.ok());
  REQUIRE(s3->entries.size() == 3);
  CHECK(s3->entries[0].tier == "GLACIER_IR");
  CHECK(s3->entries[1].tier == "STANDARD");
  CHECK(s3->entries[2].tier.empty());  // a prefix has none
  // OSS always names it: no default.
  auto oss = s3compat::parse_list_objects(body, {2, true, true}, "w");
  REQUIRE(oss.ok());
  CHECK(oss->entries[0].tier == "GLACIER_IR");
  CHECK(oss->entries[1].tier.empty());
}
