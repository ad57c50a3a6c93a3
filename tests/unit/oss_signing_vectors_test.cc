// tests/unit/oss_signing_vectors_test.cc — every public OSS V1/V4 vector (ali-oss SDK output,
// ../shared/vectors/README.md) through our signers, compared byte for byte.
#include "tests/unit/vectors.h"

#include "core/time_format.h"
#include "remotes/oss/signer_v1.h"
#include "remotes/oss/signer_v4.h"

using namespace cpsync;
using namespace cpsync::oss;
using nlohmann::json;

namespace {

TimePoint vector_time(const json& input) {
  auto t = parse_iso8601(input.at("time").get<std::string>());
  REQUIRE(t.has_value());
  return *t;
}

Credentials creds(const json& input) {
  const json& c = input.at("credentials");
  Credentials out{c.at("access_key_id").get<std::string>(),
                  c.at("access_key_secret").get<std::string>(), ""};
  if (c.contains("security_token")) out.security_token = c.at("security_token").get<std::string>();
  return out;
}

std::string as_string(const nlohmann::ordered_json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}
std::string as_string(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

QueryParams query_of(const json& pairs) {
  QueryParams out;
  for (const auto& p : pairs) {
    QueryParam q{p[0].get<std::string>(), std::nullopt};
    if (!p[1].is_null()) q.value = as_string(p[1]);
    out.push_back(q);
  }
  return out;
}

Headers headers_of(const json& pairs) {
  Headers out;
  for (const auto& [k, v] : testing::pairs(pairs)) out.emplace_back(k, v);
  return out;
}

std::vector<std::string> strings_of(const json& arr) {
  std::vector<std::string> out;
  for (const auto& s : arr) out.push_back(s.get<std::string>());
  return out;
}

void check_query(const QueryParams& got, const json& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].name == expected[i][0].get<std::string>());
    CHECK(got[i].value.value_or("") == as_string(expected[i][1]));
  }
}

// The URL the escaped key follows: the endpoint when it is virtual-hosted
// (https://bucket.host), else path style (endpoint/bucket), as the SDK builds it.
std::string base_url_of(std::string endpoint, const std::string& bucket) {
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  const size_t host = endpoint.find("://") == std::string::npos ? 0 : endpoint.find("://") + 3;
  if (endpoint.compare(host, bucket.size() + 1, bucket + ".") == 0) return endpoint;
  return endpoint + "/" + bucket;
}

// The SDK options object is order-sensitive (the URL keeps its key order), so this family is
// read again with nlohmann::ordered_json.
nlohmann::ordered_json load_ordered(const std::string& family) {
  REQUIRE(!testing::load_vectors(family).empty());
  std::ifstream in(testing::vectors_dir() + "/" + family + ".json");
  return nlohmann::ordered_json::parse(in);
}

}  // namespace

TEST_CASE("oss v1 header vectors", "[vectors][oss]") {
  for (const auto& v : testing::load_vectors("oss-v1-header")) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& ex = v.at("expected");
    SignRequest req;
    req.method = in.at("method").get<std::string>();
    req.bucket = in.at("bucket").get<std::string>();
    req.key = in.at("key").get<std::string>();
    req.headers = headers_of(in.at("headers"));
    req.query = query_of(in.at("sub_resources"));
    for (const auto& q : query_of(in.at("query"))) req.query.push_back(q);
    CHECK(v1_canonical_resource(req.bucket, req.key, {}) == in.at("resource").get<std::string>());
    V1Signed s = sign_v1_header(req, creds(in), vector_time(in));
    CHECK(s.string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(s.authorization == ex.at("authorization").get<std::string>());
    const std::string* auth = header_value(req.headers, "authorization");
    REQUIRE(auth);
    CHECK(*auth == ex.at("authorization").get<std::string>());
  }
}

TEST_CASE("oss v1 url vectors", "[vectors][oss]") {
  for (const auto& ov : load_ordered("oss-v1-url")) {
    INFO("vector " << ov.at("name").get<std::string>());
    const json v = json::parse(ov.dump());
    const json& in = v.at("input");
    const json& ex = v.at("expected");
    const nlohmann::ordered_json& opt = ov.at("input").at("options");
    V1UrlRequest r;
    r.method = opt.contains("method") ? opt.at("method").get<std::string>()
                                      : in.at("method").get<std::string>();
    r.bucket = in.at("bucket").get<std::string>();
    r.key = in.at("key").get<std::string>();
    r.base_url = base_url_of(in.at("endpoint").get<std::string>(), r.bucket);
    r.expires_epoch = in.at("expires_epoch").get<int64_t>();
    CHECK(r.expires_epoch == unix_seconds(vector_time(in)) + opt.value("expires", int64_t{1800}));
    // The SDK's option order: subResource, process, trafficLimit, response-*.
    if (opt.contains("subResource"))
      for (const auto& [k, val] : opt.at("subResource").items())
        r.sub_resources.push_back({k, as_string(val)});
    if (opt.contains("process"))
      r.sub_resources.push_back({"x-oss-process", as_string(opt.at("process"))});
    if (opt.contains("trafficLimit"))
      r.sub_resources.push_back({"x-oss-traffic-limit", as_string(opt.at("trafficLimit"))});
    if (opt.contains("response"))
      for (const auto& [k, val] : opt.at("response").items())
        r.sub_resources.push_back({"response-" + to_lower(k), as_string(val)});
    for (const auto& [k, val] : opt.items()) {
      std::string lk = to_lower(k);
      if (lk.rfind("x-oss-", 0) == 0 || lk == "content-md5" || lk == "content-type")
        r.headers.emplace_back(k, as_string(val));
    }
    PresignedUrl u = presign_v1(r, creds(in));
    CHECK(u.string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(u.signature == ex.at("signature").get<std::string>());
    check_query(u.query, ex.at("query_pairs"));
    CHECK(u.url == ex.at("signed_url").get<std::string>());
  }
}

TEST_CASE("oss v4 header vectors", "[vectors][oss]") {
  for (const auto& v : testing::load_vectors("oss-v4-header")) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& ex = v.at("expected");
    SignRequest req;
    req.method = in.at("method").get<std::string>();
    req.bucket = in.at("bucket").get<std::string>();
    req.key = in.at("key").get<std::string>();
    req.headers = headers_of(in.at("headers"));
    req.query = query_of(in.at("query"));
    V4Scope scope{in.at("region").get<std::string>(), in.at("product").get<std::string>()};
    V4Signed s = sign_v4_header(req, creds(in), scope, strings_of(in.at("additional_headers")),
                                vector_time(in));
    CHECK(s.canonical_request == ex.at("canonical_request").get<std::string>());
    CHECK(s.string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(s.authorization == ex.at("authorization").get<std::string>());
  }
}

TEST_CASE("oss v4 url vectors", "[vectors][oss]") {
  for (const auto& v : testing::load_vectors("oss-v4-url")) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& ex = v.at("expected");
    V4UrlRequest r;
    r.method = in.at("method").get<std::string>();
    r.bucket = in.at("bucket").get<std::string>();
    r.key = in.at("key").get<std::string>();
    r.base_url = base_url_of(in.at("endpoint").get<std::string>(), r.bucket);
    r.query = query_of(in.at("query"));
    r.headers = headers_of(in.at("headers"));
    r.additional_headers = strings_of(in.at("additional_headers"));
    r.expires = in.at("expires").get<int64_t>();
    V4Scope scope{in.at("region").get<std::string>(), in.at("product").get<std::string>()};
    PresignedUrl u = presign_v4(r, creds(in), scope, vector_time(in));
    CHECK(u.canonical_request == ex.at("canonical_request").get<std::string>());
    CHECK(u.string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(u.signature == ex.at("signature").get<std::string>());
    check_query(u.query, ex.at("query_pairs"));
    CHECK(u.url == ex.at("signed_url").get<std::string>());
  }
}
