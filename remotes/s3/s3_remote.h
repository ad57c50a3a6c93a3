// remotes/s3/s3_remote.h — the S3 backend's public entry points: its option schema and its
// factory (registered in remotes/registry.cc). Safe from any thread.
#pragma once

#include <memory>
#include <span>

#include "conf/config_section.h"
#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync {

std::span<const OptionSpec> s3_option_schema();
// Validates the section (s3::S3Options::from_section) and builds the remote. No request is
// sent: a bad credential or bucket shows on first use, as one line naming the remote.
Result<std::unique_ptr<Remote>> make_s3_remote(const ConfigSection& section);
// Where the remote's credentials would come from (s3::planned_source), or "anonymous".
Result<std::string> s3_credential_source(const ConfigSection& section);

}  // namespace cpsync
