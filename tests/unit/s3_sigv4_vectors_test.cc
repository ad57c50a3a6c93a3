// tests/unit/s3_sigv4_vectors_test.cc — the SigV4 signer against every SDK vector
// (sigv4-header, sigv4-presign), byte for byte.
#include "tests/unit/vectors.h"

#include <algorithm>
#include <cctype>

#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/s3/sigv4.h"

using namespace cpsync;

namespace {

s3::SigV4Request request_of(const nlohmann::json& in) {
  s3::SigV4Request r;
  r.method = in["method"].get<std::string>();
  r.path = in["path"].get<std::string>();
  for (auto& [k, v] : testing::pairs(in["query"])) r.query.emplace_back(k, v);
  for (auto& [k, v] : testing::pairs(in["headers"])) r.headers.emplace_back(k, v);
  return r;
}

s3::Credentials creds_of(const nlohmann::json& c) {
  s3::Credentials out{c["accessKeyId"].get<std::string>(), c["secretAccessKey"].get<std::string>(),
                      c.value("sessionToken", std::string())};
  return out;
}

TimePoint time_of(const nlohmann::json& in) {
  auto t = parse_iso8601(in["time"].get<std::string>());
  REQUIRE(t.has_value());
  return *t;
}

// The URL before '?' as given in input.url: scheme://host[:port]/path.
std::string base_url(const nlohmann::json& in) {
  std::string url = in["url"].get<std::string>();
  return url.substr(0, url.find('?'));
}

// Case-insensitive header lookup (local, so this test needs no transport).
const std::string* header_of(const Headers& h, const std::string& name) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (const auto& p : h)
    if (lower(p.first) == lower(name)) return &p.second;
  return nullptr;
}

// "a=1&b" -> sorted decoded pairs {a,1},{b,""}.
std::vector<std::pair<std::string, std::string>> query_pairs(const std::string& qs) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < qs.size()) {
    size_t amp = qs.find('&', pos);
    if (amp == std::string::npos) amp = qs.size();
    std::string part = qs.substr(pos, amp - pos);
    size_t eq = part.find('=');
    std::string k, val;
    REQUIRE(uri_decode(part.substr(0, eq), k));
    if (eq != std::string::npos) REQUIRE(uri_decode(part.substr(eq + 1), val));
    out.emplace_back(k, val);
    pos = amp + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("sigv4 header vectors", "[vectors][s3]") {
  for (const auto& v : testing::load_vectors("sigv4-header")) {
    DYNAMIC_SECTION("sigv4-header " << v["name"].get<std::string>()) {
      const auto& in = v["input"];
      const auto& ex = v["expected"];
      auto req = request_of(in);
      std::string body = in["body"].is_null() ? "" : in["body"].get<std::string>();
      std::string hash = s3::payload_hash(req.headers, body);
      CHECK(hash == in["payload_hash"].get<std::string>());
      auto s = s3::sign_header(req, creds_of(in["credentials"]), in["region"].get<std::string>(),
                               time_of(in), hash, in["service"].get<std::string>());
      CHECK(s.canonical_request == ex["canonical_request"].get<std::string>());
      CHECK(s.string_to_sign == ex["string_to_sign"].get<std::string>());
      CHECK(s.signed_headers == ex["signed_headers"].get<std::string>());
      CHECK(s.signature == ex["signature"].get<std::string>());
      CHECK(s.authorization == ex["authorization"].get<std::string>());
      // Every header the SDK added is on our request with the same value.
      for (auto& [name, value] : testing::pairs(ex["headers_added"])) {
        const std::string* got = header_of(s.headers, name);
        INFO("added header " << name);
        REQUIRE(got != nullptr);
        CHECK(*got == value);
      }
      // The Date header is removed (content-md5-put-body-hashed-by-signer passes one).
      CHECK(header_of(s.headers, "date") == nullptr);
      // The query we would send decodes to the query of the URL the SDK sent.
      std::string url = in["url"].get<std::string>();
      auto q = url.find('?');
      CHECK(query_pairs(s.query_string) ==
            query_pairs(q == std::string::npos ? "" : url.substr(q + 1)));
    }
  }
}

TEST_CASE("sigv4 presign vectors", "[vectors][s3]") {
  for (const auto& v : testing::load_vectors("sigv4-presign")) {
    DYNAMIC_SECTION("sigv4-presign " << v["name"].get<std::string>()) {
      const auto& in = v["input"];
      const auto& ex = v["expected"];
      auto r =
          s3::presign(request_of(in), creds_of(in["credentials"]), in["region"].get<std::string>(),
                      time_of(in), in["expires"].get<int64_t>(), in["service"].get<std::string>());
      REQUIRE(r.ok());
      const auto& s = r.value();
      CHECK(s.canonical_request == ex["canonical_request"].get<std::string>());
      CHECK(s.string_to_sign == ex["string_to_sign"].get<std::string>());
      CHECK(s.signature == ex["signature"].get<std::string>());
      // Final query pairs and remaining headers, in any order.
      auto want_q = testing::pairs(ex["query"]);
      auto got_q = s.query;
      std::sort(want_q.begin(), want_q.end());
      std::sort(got_q.begin(), got_q.end());
      CHECK(got_q == want_q);
      auto want_h = testing::pairs(ex["headers"]);
      Headers got_h = s.headers;
      std::sort(want_h.begin(), want_h.end());
      std::sort(got_h.begin(), got_h.end());
      CHECK(got_h == want_h);
      CHECK(base_url(in) + "?" + s.query_string == ex["signed_url"].get<std::string>());
    }
  }
}

TEST_CASE("sigv4 presign refuses expiry beyond 7 days", "[s3]") {
  s3::SigV4Request req;
  req.headers = {{"host", "b.s3.amazonaws.com"}};
  s3::Credentials c{"AK", "SK", ""};
  auto t = *parse_iso8601("2024-05-17T12:34:56Z");
  CHECK(s3::presign(req, c, "us-east-1", t, 604800).ok());
  CHECK(s3::presign(req, c, "us-east-1", t, 604801).status().code == Errc::invalid_argument);
  CHECK(s3::presign(req, c, "us-east-1", t, 0).status().code == Errc::invalid_argument);
}

TEST_CASE("s3 key paths escape each segment once", "[s3]") {
  CHECK(s3::escape_key("a b/c+d") == "a%20b/c%2Bd");
  CHECK(s3::escape_key("dir//x%41") == "dir//x%2541");
  CHECK(s3::escape_key("r\xC3\xA9sum\xC3\xA9") == "r%C3%A9sum%C3%A9");
  CHECK(s3::escape_key("!'()*~") == "%21%27%28%29%2A~");
  CHECK(s3::object_path("b", "k/x", true) == "/b/k/x");
  CHECK(s3::object_path("b", "k/x", false) == "/k/x");
  CHECK(s3::object_path("b", "", true) == "/b");
  CHECK(s3::object_path("b", "", false) == "/");
  CHECK(s3::object_path("b", "/abs", true) == "/b//abs");
}

TEST_CASE("s3 query canonicalisation sorts and keeps empty values", "[s3]") {
  s3::QueryParams q = {{"uploads", ""}, {"Zeta", "z"}, {"a b", "c/d"}};
  CHECK(s3::canonical_query(q) == "Zeta=z&a%20b=c%2Fd&uploads=");
  CHECK(s3::format_query(q) == "Zeta=z&a%20b=c%2Fd&uploads=");
}

TEST_CASE("sigv4 matches the public AWS test suite", "[s3]") {
  s3::Credentials c{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  auto t = *parse_iso8601("2015-08-30T12:36:00Z");
  s3::SigV4Request req;
  req.headers = {{"Host", "example.amazonaws.com"}};
  auto s = s3::sign_header(req, c, "us-east-1", t, s3::kEmptySha256, "service");
  CHECK(s.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  req.query = {{"Param2", "value2"}, {"Param1", "value1"}};
  s = s3::sign_header(req, c, "us-east-1", t, s3::kEmptySha256, "service");
  CHECK(s.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  req.query.clear();
  req.path = "/%E1%88%B4";
  s = s3::sign_header(req, c, "us-east-1", t, s3::kEmptySha256, "service");
  CHECK(s.signature == "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}
