// remotes/oss/credentials/provider.cc — see provider.h.
#include "remotes/oss/credentials/provider.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "core/encoding.h"

namespace cpsync::oss {

std::string OssCredentials::describe() const {
  std::string d = source;
  if (expiry) d += ", expires " + format_iso8601(*expiry);
  return d;
}

bool env_true(const char* name) {
  return ascii_lower(env_value(name)) == "true";
}

Result<OssCredentials> credentials_from_json(const nlohmann::json& j, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return Status{Errc::access_denied, std::string(what) + ": malformed reply: " + why};
  };
  if (!j.is_object()) return bad("no credentials object");
  auto str = [&](const char* k) -> std::string {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  OssCredentials c;
  c.keys.access_key_id = str("AccessKeyId");
  c.keys.access_key_secret = str("AccessKeySecret");
  c.keys.security_token = str("SecurityToken");
  if (c.keys.access_key_id.empty() || c.keys.access_key_secret.empty() ||
      c.keys.security_token.empty())
    return bad("AccessKeyId, AccessKeySecret or SecurityToken missing");
  const std::string exp = str("Expiration");
  auto t = parse_iso8601(exp);
  if (!t) return bad("Expiration '" + exp + "' is not an ISO 8601 time");
  c.expiry = *t;
  return c;
}

}  // namespace cpsync::oss
