// tests/unit/azure_signing_vectors_test.cc — the Azure SharedKey and SAS signers against the
// SDK-made vectors (azure-sharedkey, azure-sas-service, azure-sas-account), byte for byte.
#include <catch2/catch.hpp>

#include "core/time_format.h"
#include "remotes/azure/sas.h"
#include "remotes/azure/shared_key.h"
#include "tests/unit/vectors.h"

namespace {

using cpsync::TimePoint;
using nlohmann::json;

TimePoint time_of(const json& j) {
  auto t = cpsync::parse_iso8601(j.get<std::string>());
  REQUIRE(t.has_value());
  return *t;
}

cpsync::azure::SharedKeyCredentials creds_of(const json& input) {
  const json& c = input.at("credentials");
  auto r = cpsync::azure::make_shared_key(c.at("account").get<std::string>(),
                                          c.at("key_base64").get<std::string>());
  REQUIRE(r.ok());
  return r.value();
}

std::string str_or(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : "";
}

std::optional<cpsync::azure::SasIpRange> ip_range_of(const json& sas) {
  if (!sas.contains("ipRange")) return std::nullopt;
  return cpsync::azure::SasIpRange{str_or(sas.at("ipRange"), "start"),
                                   str_or(sas.at("ipRange"), "end")};
}

std::optional<TimePoint> opt_time_of(const json& sas, const char* key) {
  if (!sas.contains(key)) return std::nullopt;
  return time_of(sas.at(key));
}

}  // namespace

TEST_CASE("azure-sharedkey vectors", "[vectors][azure]") {
  json vectors = cpsync::testing::load_vectors("azure-sharedkey");
  for (const json& v : vectors) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& ex = v.at("expected");
    cpsync::Headers headers;
    for (auto& [n, val] : cpsync::testing::pairs(in.at("headers"))) headers.emplace_back(n, val);
    auto sig = cpsync::azure::sign_shared_key(in.at("method").get<std::string>(),
                                              in.at("url").get<std::string>(), headers,
                                              creds_of(in), time_of(in.at("time")));
    CHECK(sig.string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(sig.x_ms_date == ex.at("x_ms_date").get<std::string>());
    CHECK(sig.authorization == ex.at("authorization").get<std::string>());
    cpsync::Headers want;
    for (auto& [n, val] : cpsync::testing::pairs(ex.at("headers"))) want.emplace_back(n, val);
    CHECK(headers == want);
  }
}

TEST_CASE("azure-sas-service vectors", "[vectors][azure]") {
  json vectors = cpsync::testing::load_vectors("azure-sas-service");
  for (const json& v : vectors) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& sas = in.at("sas");
    const json& ex = v.at("expected");
    cpsync::azure::ServiceSasValues s;
    if (sas.contains("version")) s.version = sas.at("version").get<std::string>();
    s.container = str_or(sas, "containerName");
    s.blob = str_or(sas, "blobName");
    s.permissions = str_or(sas, "permissions");
    s.starts_on = opt_time_of(sas, "startsOn");
    s.expires_on = opt_time_of(sas, "expiresOn");
    s.protocol = str_or(sas, "protocol");
    s.ip_range = ip_range_of(sas);
    s.identifier = str_or(sas, "identifier");
    s.snapshot_time = str_or(sas, "snapshotTime");
    s.version_id = str_or(sas, "versionId");
    s.encryption_scope = str_or(sas, "encryptionScope");
    s.cache_control = str_or(sas, "cacheControl");
    s.content_disposition = str_or(sas, "contentDisposition");
    s.content_encoding = str_or(sas, "contentEncoding");
    s.content_language = str_or(sas, "contentLanguage");
    s.content_type = str_or(sas, "contentType");
    auto tok = cpsync::azure::make_service_sas(s, creds_of(in));
    INFO(tok.status().message);
    REQUIRE(tok.ok());
    CHECK(tok->string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(tok->query == ex.at("query").get<std::string>());
    CHECK(cpsync::azure::append_sas_token(in.at("resource_url").get<std::string>(), tok->query) ==
          ex.at("signed_url").get<std::string>());
    if (ex.contains("query_pairs")) {
      std::vector<std::pair<std::string, std::string>> want =
          cpsync::testing::pairs(ex.at("query_pairs"));
      CHECK(tok->pairs == want);
    }
  }
}

TEST_CASE("azure-sas-account vectors", "[vectors][azure]") {
  json vectors = cpsync::testing::load_vectors("azure-sas-account");
  for (const json& v : vectors) {
    INFO("vector " << v.at("name").get<std::string>());
    const json& in = v.at("input");
    const json& sas = in.at("sas");
    const json& ex = v.at("expected");
    cpsync::azure::AccountSasValues a;
    if (sas.contains("version")) a.version = sas.at("version").get<std::string>();
    a.services = str_or(sas, "services");
    a.resource_types = str_or(sas, "resourceTypes");
    a.permissions = str_or(sas, "permissions");
    a.starts_on = opt_time_of(sas, "startsOn");
    a.expires_on = time_of(sas.at("expiresOn"));
    a.protocol = str_or(sas, "protocol");
    a.ip_range = ip_range_of(sas);
    a.encryption_scope = str_or(sas, "encryptionScope");
    auto tok = cpsync::azure::make_account_sas(a, creds_of(in));
    INFO(tok.status().message);
    REQUIRE(tok.ok());
    CHECK(tok->string_to_sign == ex.at("string_to_sign").get<std::string>());
    CHECK(tok->query == ex.at("query").get<std::string>());
    CHECK(cpsync::azure::append_sas_token(in.at("resource_url").get<std::string>(), tok->query) ==
          ex.at("signed_url").get<std::string>());
    if (ex.contains("query_pairs")) {
      std::vector<std::pair<std::string, std::string>> want =
          cpsync::testing::pairs(ex.at("query_pairs"));
      CHECK(tok->pairs == want);
    }
  }
}
