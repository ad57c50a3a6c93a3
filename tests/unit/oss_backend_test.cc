// tests/unit/oss_backend_test.cc — the OSS remote's pure parts: options from a config
// section, URL building, error mapping and object info from response headers. No network.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "remotes/oss/client.h"
#include "remotes/oss/credentials/chain.h"
#include "remotes/oss/credentials/sts.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/list_page.h"
#include "remotes/oss/options.h"
#include "remotes/oss/oss_remote.h"
#include "remotes/oss/remote_impl.h"
#include "remotes/oss/signer_v1.h"
#include "remotes/oss/signer_v4.h"

using namespace cpsync;
using namespace cpsync::oss;

namespace {

ConfigSection section(std::map<std::string, std::string> values) {
  ConfigSection s;
  s.name = "myoss";
  s.type = "oss";
  s.origin = "/tmp/cpsync.conf";
  s.values = std::move(values);
  int line = 2;
  for (auto& [k, v] : s.values) s.lines[k] = line++;
  return s;
}

std::map<std::string, std::string> base() {
  return {{"access_key_id", "AK"},
          {"access_key_secret", "SECRET"},
          {"endpoint", "oss-cn-hangzhou.aliyuncs.com"}};
}

}  // namespace

TEST_CASE("oss options from a config section", "[oss_unit]") {
  auto o = OssOptions::from_section(section(base()));
  REQUIRE(o.ok());
  CHECK(o->scheme == "https");
  CHECK(o->host == "oss-cn-hangzhou.aliyuncs.com");
  CHECK(o->region == "cn-hangzhou");
  CHECK_FALSE(o->path_style);
  CHECK(o->signature == SignatureVersion::v4);
  CHECK(o->chunk_size == 16u << 20);

  auto m = base();
  m["endpoint"] = "http://127.0.0.1:9000/";
  m["region"] = "cn-beijing";
  m["signature_version"] = "v1";
  m["chunk_size"] = "5Mi";
  auto c = OssOptions::from_section(section(m));
  REQUIRE(c.ok());
  CHECK(c->scheme == "http");
  CHECK(c->host == "127.0.0.1:9000");
  CHECK(c->path_style);
  CHECK(c->signature == SignatureVersion::v1);
  CHECK(c->chunk_size == 5u << 20);

  m = base();
  m["endpoint"] = "https://oss-cn-shanghai-internal.aliyuncs.com";
  m["force_path_style"] = "true";
  auto i = OssOptions::from_section(section(m));
  REQUIRE(i.ok());
  CHECK(i->region == "cn-shanghai");
  CHECK(i->path_style);
}

TEST_CASE("oss option errors are one line naming remote, file and key", "[oss_unit]") {
  auto check_error = [](std::map<std::string, std::string> m, const std::string& needle) {
    auto o = OssOptions::from_section(section(std::move(m)));
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().code == Errc::invalid_argument);
    const std::string& msg = o.status().message;
    INFO(msg);
    CHECK(msg.find("remote 'myoss'") != std::string::npos);
    CHECK(msg.find("/tmp/cpsync.conf") != std::string::npos);
    CHECK(msg.find(needle) != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
    CHECK(msg.find("SECRET") == std::string::npos);
  };
  auto m = base();
  m.erase("endpoint");
  check_error(m, "endpoint");
  m = base();
  m["regoin"] = "x";
  check_error(m, "unknown key 'regoin'");
  m = base();
  m["signature_version"] = "v3";
  check_error(m, "signature_version");
  m = base();
  m["endpoint"] = "http://127.0.0.1:9000";
  check_error(m, "region");  // V4 on a custom endpoint needs a region
  m = base();
  m.erase("access_key_secret");
  check_error(m, "access_key_secret");
  m = base();
  m["chunk_size"] = "10k";
  check_error(m, "chunk_size");
  m = base();
  m["force_path_style"] = "maybe";
  check_error(m, "force_path_style");
}

TEST_CASE("oss env_auth: the environment provider takes OSS_* before ALIBABA_CLOUD_*",
          "[oss_unit]") {
  auto o = OssOptions::from_section(
      section({{"env_auth", "true"}, {"endpoint", "oss-cn-hangzhou.aliyuncs.com"}}));
  REQUIRE(o.ok());
  CHECK(o->credentials.access_key_id.empty());  // resolved at the first request
  CHECK(o->env_auth);
  setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIAK", 1);
  setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALISECRET", 1);
  setenv("ALIBABA_CLOUD_SECURITY_TOKEN", "ALITOKEN", 1);
  ChainSettings cs;
  auto ali = make_credential_provider(cs)->fetch();
  setenv("OSS_ACCESS_KEY_ID", "ENVAK", 1);
  setenv("OSS_ACCESS_KEY_SECRET", "ENVSECRET", 1);
  auto env = make_credential_provider(cs)->fetch();
  unsetenv("OSS_ACCESS_KEY_ID");
  for (const char* v : {"OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_ACCESS_KEY_ID",
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN"})
    unsetenv(v);
  REQUIRE(ali.ok());
  CHECK(ali->keys.access_key_id == "ALIAK");
  CHECK(ali->keys.security_token == "ALITOKEN");
  CHECK(ali->source == "environment (ALIBABA_CLOUD_ACCESS_KEY_ID)");
  REQUIRE(env.ok());
  CHECK(env->keys.access_key_id == "ENVAK");
  CHECK(env->keys.access_key_secret == "ENVSECRET");
  CHECK(env->keys.security_token.empty());
  // Nothing configured and metadata off: one line naming the chain.
  setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true", 1);
  auto none = make_credential_provider(cs)->fetch();
  unsetenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message.rfind("the Alibaba Cloud chain: none found", 0) == 0);
  auto bad = section({{"env_auth", "true"},
                      {"endpoint", "oss-cn-hangzhou.aliyuncs.com"},
                      {"credential_provider", "imds"}});
  CHECK_FALSE(OssOptions::from_section(bad).ok());
}

TEST_CASE("oss STS RPC signature (signature version 1.0, HMAC-SHA1)", "[oss_unit]") {
  // Parameters sorted by name, RFC 3986 encoded, the canonical query encoded once more.
  RpcParams p{{"Version", "2015-04-01"}, {"Action", "AssumeRole"}, {"RoleSessionName", "a b*~"}};
  CHECK(rpc_string_to_sign("POST", p) ==
        "POST&%2F&Action%3DAssumeRole%26RoleSessionName%3Da%2520b%252A~%26Version%3D2015-04-01");
  // The worked example of Alibaba Cloud's RPC signature documentation (ECS DescribeRegions).
  RpcParams doc{{"Version", "2014-05-26"},
                {"Action", "DescribeRegions"},
                {"Format", "XML"},
                {"AccessKeyId", "testid"},
                {"SignatureMethod", "HMAC-SHA1"},
                {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
                {"SignatureVersion", "1.0"},
                {"Timestamp", "2016-02-23T12:46:24Z"}};
  CHECK(rpc_signature("GET", doc, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
  CHECK(rpc_signature("POST", p, "secret") != rpc_signature("POST", p, "secret2"));
}

TEST_CASE("oss request URLs: path style, virtual-hosted, escaping", "[oss_unit]") {
  auto o = OssOptions::from_section(section(base()));
  REQUIRE(o.ok());
  OssClient vh(*o);
  OssCall c;
  c.bucket = "bkt";
  c.key = "a b/c+d/./../é";
  c.query = {{"uploads", std::nullopt}, {"prefix", "x y+z"}};
  CHECK(vh.url(c) ==
        "https://bkt.oss-cn-hangzhou.aliyuncs.com/a%20b/c%2Bd/%2E/%2E%2E/%C3%A9?uploads&"
        "prefix=x%20y%2Bz");
  o->path_style = true;
  OssClient ps(*o);
  CHECK(ps.url(c).rfind("https://oss-cn-hangzhou.aliyuncs.com/bkt/a%20b/", 0) == 0);
  OssCall svc;
  CHECK(ps.url(svc) == "https://oss-cn-hangzhou.aliyuncs.com/");
  CHECK(escape_key_path("dir//x/") == "dir//x/");
}

TEST_CASE("oss error mapping", "[oss_unit]") {
  HttpResponse r;
  r.status = 403;
  r.body =
      "<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request "
      "signature we calculated does not match</Message><RequestId>RID1</RequestId></Error>";
  r.headers = {{"x-oss-request-id", "RID1"}};
  Status s = to_status(r, "stat", "oss 'myoss:b/k'");
  CHECK(s.code == Errc::access_denied);
  CHECK(s.provider_code == "SignatureDoesNotMatch");
  CHECK(s.request_id == "RID1");
  CHECK(s.http_status == 403);
  CHECK(s.message.find("oss 'myoss:b/k'") == 0);
  CHECK(s.message.find("access_key_secret") != std::string::npos);

  HttpResponse nf;
  nf.status = 404;  // HEAD: no body
  Status n = to_status(nf, "stat", "oss 'myoss:b/k'");
  CHECK(n.code == Errc::not_found);

  HttpResponse busy;
  busy.status = 503;
  busy.body = "<Error><Code>ServerBusy</Code><Message>slow down</Message></Error>";
  CHECK(to_status(busy, "put", "x").code == Errc::throttled);
  HttpResponse bad;
  bad.status = 400;
  bad.body = "<Error><Code>BadDigest</Code><Message>md5</Message></Error>";
  CHECK(to_status(bad, "put", "x").code == Errc::corrupt);

  // A HEAD refused for its temporary keys says why in x-oss-ec only.
  HttpResponse head;
  head.status = 403;
  head.headers = {{"x-oss-ec", "0002-00000007"}};
  Status h = to_status(head, "stat", "x");
  CHECK(h.provider_code == "SecurityTokenExpired");
  CHECK(h.message.find("the security token expired") != std::string::npos);
  head.headers = {{"x-oss-ec", "0003-00000001"}};
  CHECK(to_status(head, "stat", "x").provider_code == "Forbidden");
  // OSS echoes an expired token in the body: the message never carries it.
  HttpResponse body;
  body.status = 403;
  body.body =
      "<Error><Code>SecurityTokenExpired</Code><Message>The security token you provided has "
      "expired.</Message><SecurityToken>CAISsecrettoken</SecurityToken></Error>";
  Status b = to_status(body, "get", "x");
  CHECK(b.provider_code == "SecurityTokenExpired");
  CHECK(b.message.find("CAISsecrettoken") == std::string::npos);
}

TEST_CASE("oss object info from response headers", "[oss_unit]") {
  HttpResponse r;
  r.status = 200;
  r.headers = {{"Content-Length", "11"},
               {"ETag", "\"5EB63BBBE01EEED093CB22BB8F5ACDC3\""},
               {"Last-Modified", "Fri, 17 May 2024 12:34:56 GMT"},
               {"x-oss-object-type", "Normal"},
               {"x-oss-meta-mtime", "1715949296.5"},
               {"X-OSS-Meta-Owner", "alice"}};
  ObjectInfo i = info_from_headers(r, "k");
  CHECK(i.size == 11);
  CHECK(i.etag == "5EB63BBBE01EEED093CB22BB8F5ACDC3");
  CHECK(i.md5 == std::optional<std::string>("5eb63bbbe01eeed093cb22bb8f5acdc3"));
  CHECK(i.metadata["owner"] == "alice");
  CHECK(i.mtime_from_metadata);
  CHECK(i.metadata_known);

  r.headers = {{"Content-Length", "11"},
               {"ETag", "\"0123456789ABCDEF0123456789ABCDEF-3\""},
               {"x-oss-object-type", "Multipart"}};
  CHECK_FALSE(info_from_headers(r, "k").md5.has_value());
  r.headers.emplace_back("x-oss-meta-md5chksum", "XrY7u+Ae7tCTyyK7j1rNww==");
  CHECK(info_from_headers(r, "k").md5 ==
        std::optional<std::string>("5eb63bbbe01eeed093cb22bb8f5acdc3"));
}

TEST_CASE("oss signing rules beyond the vectors", "[oss_unit]") {
  // V1 signs sub-resources only; list parameters are sent unsigned.
  QueryParams q = {{"list-type", "2"},          {"prefix", "a/"}, {"max-keys", "10"},
                   {"continuation-token", "t"}, {"uploads", ""},  {"encoding-type", "url"}};
  QueryParams sub;
  for (const auto& p : q)
    if (is_v1_subresource(p.name)) sub.push_back(p);
  CHECK(v1_canonical_resource("b", "k", sub) == "/b/k?continuation-token=t&uploads");
  CHECK(v1_canonical_resource("", "", {}) == "/");
  // V4 signs every parameter, sorted as JavaScript's localeCompare does (punctuation before
  // digits before letters, case-insensitive first, lower case first on ties).
  QueryParams v4 = {{"uploads", std::nullopt},
                    {"uploadId", "x"},
                    {"B", "1"},
                    {"a", "2"},
                    {"A", "3"},
                    {"_z", "4"},
                    {"9", "5"},
                    {"max-keys", "6"},
                    {"marker", "7"},
                    {"e", ""}};
  CHECK(v4_canonical_query(v4) == "_z=4&9=5&a=2&A=3&B=1&e=&marker=7&max-keys=6&uploadId=x&uploads");
  CHECK(v4_canonical_uri("", "") == "/");
  CHECK(v4_canonical_uri("b", "") == "/b/");
  CHECK(v4_canonical_uri("b", "a b/(x)*") == "/b/a%20b/%28x%29%2A");
}

TEST_CASE("oss remote features, endpoint identity and links without network", "[oss_unit]") {
  auto m = base();
  m["endpoint"] = "http://127.0.0.1:9";
  m["region"] = "cn-hangzhou";
  auto r = make_oss_remote(section(m));
  REQUIRE(r.ok());
  const Features& f = (*r)->features();
  CHECK(f.server_side_copy);
  CHECK(f.etag_is_md5);
  CHECK(f.presign);
  CHECK(f.parts.min_part == 100 * 1024);
  CHECK(f.parts.max_part == 5ull << 30);
  CHECK(f.parts.max_parts == 10000);
  CHECK(f.parts.max_object == 10000 * (5ull << 30));
  CHECK(f.parts.max_single_put == 5ull << 30);
  CHECK(f.chunk_size == 16ull << 20);  // the chunk_size key (its default)
  CHECK(f.upload_cutoff == 0);         // no such key: the part size is the cutoff
  CHECK((*r)->name() == "myoss");

  auto same = make_oss_remote(section(m));
  m["access_key_id"] = "OTHER";
  auto other = make_oss_remote(section(m));
  REQUIRE(same.ok());
  REQUIRE(other.ok());
  CHECK((*r)->endpoint_id() == (*same)->endpoint_id());
  CHECK((*r)->endpoint_id() != (*other)->endpoint_id());
  CHECK((*r)->endpoint_id().find("SECRET") == std::string::npos);

  auto link = (*r)->link(ObjectRef{"bkt", "a b.txt"}, std::chrono::seconds(3600));
  REQUIRE(link.ok());
  CHECK(link->rfind("http://127.0.0.1:9/bkt/a%20b.txt?", 0) == 0);
  CHECK(link->find("x-oss-signature=") != std::string::npos);
  CHECK((*r)->link(ObjectRef{"bkt", "k"}, std::chrono::hours(24 * 8)).status().code ==
        Errc::invalid_argument);
  m["signature_version"] = "v1";
  auto v1 = make_oss_remote(section(m));
  REQUIRE(v1.ok());
  auto l1 = (*v1)->link(ObjectRef{"bkt", "k"}, std::chrono::hours(24 * 30));
  REQUIRE(l1.ok());
  CHECK(l1->find("OSSAccessKeyId=OTHER&Expires=") != std::string::npos);
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
  auto p = parse_list_page(body, "w");
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
  auto c = parse_list_page(bad, "oss 'myoss:b'");
  CHECK(c.status().code == Errc::corrupt);
  CHECK(c.status().message.find("oss 'myoss:b'") == 0);
  // Byte order, not case-insensitive order: "B" < "a".
  std::string ok = head + "<IsTruncated>false</IsTruncated>" + contents("B", "X", "Normal") +
                   contents("a", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_list_page(ok, "w").ok());
  std::string dup = head + "<IsTruncated>false</IsTruncated>" + contents("a", "X", "Normal") +
                    contents("a", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_list_page(dup, "w").status().code == Errc::corrupt);
  CHECK(parse_list_page("<nope", "w").status().code == Errc::corrupt);
  CHECK(parse_list_page("<Error/>", "w").status().code == Errc::corrupt);
  std::string bad_escape = head + "<IsTruncated>false</IsTruncated>" +
                           contents("%zz", "X", "Normal") + "</ListBucketResult>";
  CHECK(parse_list_page(bad_escape, "w").status().code == Errc::corrupt);
}

TEST_CASE("oss bad names are invalid_argument", "[oss_unit]") {
  HttpResponse r;
  r.status = 400;
  r.body = "<Error><Code>InvalidObjectName</Code><Message>too long</Message></Error>";
  Status s = to_status(r, "put", "oss 'myoss:b/k'");
  CHECK(s.code == Errc::invalid_argument);
  CHECK(s.message.find("1-1023 bytes") != std::string::npos);
}
