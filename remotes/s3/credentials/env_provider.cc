// remotes/s3/credentials/env_provider.cc — the environment provider (see env_provider.h).
#include "remotes/s3/credentials/env_provider.h"

namespace cpsync::s3 {

bool EnvProvider::configured() {
  return !env_value("AWS_ACCESS_KEY_ID").empty();
}

Result<AwsCredentials> EnvProvider::fetch() {
  AwsCredentials c;
  c.keys.access_key_id = env_value("AWS_ACCESS_KEY_ID");
  c.keys.secret_access_key = env_value("AWS_SECRET_ACCESS_KEY");
  c.keys.session_token = env_value("AWS_SESSION_TOKEN");
  c.source = "environment";
  if (c.keys.access_key_id.empty() || c.keys.secret_access_key.empty())
    return Status{Errc::access_denied,
                  "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set"};
  return c;
}

}  // namespace cpsync::s3
