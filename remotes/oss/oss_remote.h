// remotes/oss/oss_remote.h — the Alibaba Cloud OSS backend (type "oss"): option schema and
// factory for remotes/registry.cc. The remote it makes may be used from many threads.
#pragma once

#include <memory>
#include <span>

#include "conf/config_section.h"
#include "remotes/remote.h"

namespace cpsync {

std::span<const OptionSpec> oss_option_schema();
Result<std::unique_ptr<Remote>> make_oss_remote(const ConfigSection& section);
// Where the remote's credentials would come from (oss::planned_source).
Result<std::string> oss_credential_source(const ConfigSection& section);

}  // namespace cpsync
