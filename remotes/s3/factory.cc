// remotes/s3/factory.cc — the entry points registered for type = s3 (see s3_remote.h).
#include "remotes/s3/credentials/chain.h"
#include "remotes/s3/remote_impl.h"
#include "remotes/s3/s3_remote.h"

namespace cpsync {

std::span<const OptionSpec> s3_option_schema() {
  return s3::option_schema();
}

Result<std::unique_ptr<Remote>> make_s3_remote(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(s3::S3Options o, s3::S3Options::from_section(section));
  return std::unique_ptr<Remote>(std::make_unique<s3::S3Remote>(std::move(o)));
}

Result<std::string> s3_credential_source(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(s3::S3Options o, s3::S3Options::from_section(section));
  if (o.anonymous()) return std::string("anonymous (unsigned requests)");
  return s3::planned_source(s3::ChainSettings{o.name, o.region, o.creds, o.profile,
                                              o.shared_credentials_file, o.role_arn,
                                              o.role_session_name, o.external_id});
}

}  // namespace cpsync
