// remotes/s3/credentials/provider.cc — AwsCredentials::describe and the shared JSON reply
// parser (see provider.h).
#include "remotes/s3/credentials/provider.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "core/time_format.h"

namespace cpsync::s3 {

std::string AwsCredentials::describe() const {
  std::string d = source;
  if (expiry) d += ", expires " + format_iso8601(*expiry);
  return d;
}

Result<AwsCredentials> credentials_from_json(std::string_view body, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return Status{Errc::access_denied, std::string(what) + ": malformed reply: " + why};
  };
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  auto str = [&](const char* k) -> std::string {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  AwsCredentials c;
  c.keys.access_key_id = str("AccessKeyId");
  c.keys.secret_access_key = str("SecretAccessKey");
  c.keys.session_token = str("Token");
  if (c.keys.session_token.empty()) c.keys.session_token = str("SessionToken");
  if (c.keys.access_key_id.empty() || c.keys.secret_access_key.empty())
    return bad("AccessKeyId or SecretAccessKey missing");
  if (std::string exp = str("Expiration"); !exp.empty()) {
    auto t = parse_iso8601(exp);
    if (!t) return bad("Expiration '" + exp + "' is not an ISO 8601 time");
    c.expiry = *t;
  }
  return c;
}

}  // namespace cpsync::s3
