// remotes/s3/credentials/shared_files.h — the AWS shared credentials and config files:
// AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials, or the remote's
// shared_credentials_file) and AWS_CONFIG_FILE (default ~/.aws/config), and a profile's
// settings merged from both ([name] in credentials over [profile name] / [default] in
// config). Reads the files at each call; pure otherwise, safe from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/status.h"

namespace cpsync::s3 {

struct SharedFiles {
  std::string credentials;  // path
  std::string config;       // path
};
// credentials_override: the remote's shared_credentials_file ("" = the variables/defaults).
SharedFiles shared_files(std::string_view credentials_override);

struct Profile {
  std::string name;
  std::map<std::string, std::string> values;  // keys lower-cased
  std::string get(const std::string& k) const {
    auto it = values.find(k);
    return it == values.end() ? "" : it->second;
  }
};

// The profile, nullopt when neither file has it. A file that exists but cannot be read is
// Errc::access_denied naming it.
Result<std::optional<Profile>> load_profile(const SharedFiles& files, std::string_view name);

}  // namespace cpsync::s3
