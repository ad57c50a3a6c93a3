// tests/unit/azure_shared_key_test.cc — rules of the Azure signers beyond the SDK vectors:
// header collation, query canonicalisation, header normalisation, SAS token handling.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/time_format.h"
#include "remotes/azure/sas.h"
#include "remotes/azure/shared_key.h"

using namespace cpsync;
using namespace cpsync::azure;

namespace {
const char* kKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

std::string sts(std::string_view method, std::string_view url, Headers h) {
  h.emplace_back("x-ms-date", "Fri, 17 May 2024 12:34:56 GMT");
  return shared_key_string_to_sign(method, url, h, "acct");
}
}  // namespace

TEST_CASE("SharedKey header collation follows the SDK", "[azure]") {
  std::vector<std::string> names = {"a-b", "ab", "a0", "a_b", "a.b"};
  std::stable_sort(names.begin(), names.end(), shared_key_header_less);
  CHECK(names == std::vector<std::string>{"a.b", "a_b", "a0", "ab", "a-b"});
  CHECK(shared_key_header_less("x-ms-blob-content-md5", "x-ms-blob-type"));
  CHECK(shared_key_header_less("x-ms-date", "x-ms-version"));
  CHECK_FALSE(shared_key_header_less("x-ms-version", "x-ms-date"));
  CHECK_FALSE(shared_key_header_less("same", "same"));
  // '-' only breaks ties: "ab" < "a-b", and a longer name sorts after its prefix.
  CHECK(shared_key_header_less("ab", "a-b"));
  CHECK(shared_key_header_less("x-ms-meta-a", "x-ms-meta-ab"));
}

TEST_CASE("SharedKey canonical resource drops valueless and empty parameters", "[azure]") {
  std::string s = sts(
      "GET", "http://127.0.0.1:10000/acct/c?restype=container&comp=list&flag&e=&a=b=c&Marker=x%2Fy",
      {});
  CHECK(s.substr(s.find("/acct")) == "/acct/acct/c\ncomp:list\nmarker:x/y\nrestype:container");
}

TEST_CASE("SharedKey string to sign empties Content-Length 0", "[azure]") {
  std::string zero = sts("PUT", "https://a/c/b", {{"Content-Length", "0"}});
  std::string ten = sts("PUT", "https://a/c/b", {{"Content-Length", "10"}});
  CHECK(zero.rfind("PUT\n\n\n\n", 0) == 0);
  CHECK(ten.rfind("PUT\n\n\n10\n", 0) == 0);
}

TEST_CASE("SharedKey signing replaces x-ms-date and normalises headers", "[azure]") {
  auto creds = make_shared_key("acct", kKey);
  REQUIRE(creds.ok());
  Headers h = {{"x-ms-date", "old"},
               {"X-MS-Meta-Note", "  two  spaces\r\n"},
               {"x-ms-version", "2021-08-06"}};
  auto sig = sign_shared_key("put", "https://acct.blob.core.windows.net/c/k", h, *creds,
                             *parse_iso8601("2024-05-17T12:34:56Z"));
  REQUIRE(h.size() == 4);
  CHECK(h[0] == std::pair<std::string, std::string>{"x-ms-date", "Fri, 17 May 2024 12:34:56 GMT"});
  CHECK(h[1].second == "two  spaces");
  CHECK(h[3].first == "Authorization");
  CHECK(sig.string_to_sign.find("\nx-ms-meta-note:two  spaces\n") != std::string::npos);
  CHECK(sig.string_to_sign.rfind("PUT\n", 0) == 0);
  CHECK(sig.authorization.rfind("SharedKey acct:", 0) == 0);
}

TEST_CASE("make_shared_key rejects a non-base64 key", "[azure]") {
  CHECK(make_shared_key("a", "not base64!").status().code == Errc::invalid_argument);
  CHECK(make_shared_key("a", "").status().code == Errc::invalid_argument);
}

TEST_CASE("SAS URLs split into resource and token; tokens append", "[azure]") {
  auto p = split_sas_url(
      "https://acct.blob.core.windows.net/cont/"
      "?sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=c&sp=rl&sig=abc%3D");
  REQUIRE(p.ok());
  CHECK(p->resource_url == "https://acct.blob.core.windows.net/cont");
  CHECK(p->token.rfind("sv=", 0) == 0);
  CHECK(sas_expiry(p->token) == parse_iso8601("2030-01-01T00:00:00Z"));
  CHECK(split_sas_url("https://acct.blob.core.windows.net/cont").status().code ==
        Errc::invalid_argument);
  CHECK(split_sas_url("not a url?sig=x").status().code == Errc::invalid_argument);
  CHECK(append_sas_token("https://h/c/k", "sv=1&sig=2") == "https://h/c/k?sv=1&sig=2");
  CHECK(append_sas_token("https://h/c?comp=list", "sig=2") == "https://h/c?comp=list&sig=2");
  CHECK(normalize_sas_token("?sv=1&sig=2\n") == "sv=1&sig=2");
}

TEST_CASE("Service SAS validation", "[azure]") {
  auto creds = make_shared_key("acct", kKey);
  REQUIRE(creds.ok());
  ServiceSasValues v;
  v.container = "c";
  v.blob = "k";
  v.permissions = "r";
  CHECK(make_service_sas(v, *creds).status().code == Errc::invalid_argument);  // no expiry
  v.expires_on = *parse_iso8601("2030-01-01T00:00:00Z");
  v.permissions = "rq";
  CHECK(make_service_sas(v, *creds).status().code == Errc::invalid_argument);  // bad letter
  v.permissions = "wr";
  auto t = make_service_sas(v, *creds);
  REQUIRE(t.ok());
  CHECK(t->query.find("sp=rw&sig=") != std::string::npos);
  CHECK(encode_uri_component("a b/c!*'()~") == "a%20b%2Fc!*'()~");
}
