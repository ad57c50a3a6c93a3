// remotes/azure/azure_remote.h — the azureblob backend: its option schema and factory, for
// remotes/registry.cc. The remote it makes may be called from many threads at once.
#pragma once

#include <memory>
#include <span>

#include "conf/config_section.h"
#include "remotes/remote.h"

namespace cpsync {

std::span<const OptionSpec> azure_option_schema();
Result<std::unique_ptr<Remote>> make_azure_remote(const ConfigSection& section);
// Where the remote's credentials would come from: "shared key (account/key)", "SAS
// (sas_url)", "anonymous (public containers only)" or the token identity's planned source.
Result<std::string> azure_credential_source(const ConfigSection& section);

}  // namespace cpsync
