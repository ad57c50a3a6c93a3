// remotes/oss/credentials/env_provider.cc — see env_provider.h.
#include "remotes/oss/credentials/env_provider.h"

namespace cpsync::oss {

bool EnvProvider::configured() {
  return !env_value("OSS_ACCESS_KEY_ID").empty() ||
         !env_value("ALIBABA_CLOUD_ACCESS_KEY_ID").empty();
}

Result<OssCredentials> EnvProvider::fetch() {
  const bool oss = !env_value("OSS_ACCESS_KEY_ID").empty();
  const char* id = oss ? "OSS_ACCESS_KEY_ID" : "ALIBABA_CLOUD_ACCESS_KEY_ID";
  const char* secret = oss ? "OSS_ACCESS_KEY_SECRET" : "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
  const char* token = oss ? "OSS_SESSION_TOKEN" : "ALIBABA_CLOUD_SECURITY_TOKEN";
  OssCredentials c;
  c.keys.access_key_id = env_value(id);
  c.keys.access_key_secret = env_value(secret);
  c.keys.security_token = env_value(token);
  c.source = std::string("environment (") + id + ")";
  if (c.keys.access_key_id.empty())
    return Status{Errc::access_denied,
                  "environment: neither OSS_ACCESS_KEY_ID nor ALIBABA_CLOUD_ACCESS_KEY_ID is set"};
  if (c.keys.access_key_secret.empty())
    return Status{Errc::access_denied,
                  std::string("environment: ") + id + " is set but " + secret + " is not"};
  return c;
}

}  // namespace cpsync::oss
