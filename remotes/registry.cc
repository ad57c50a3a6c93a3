// remotes/registry.cc — the one explicit list of built-in backends. Each backend adds its
// line to register_builtin_remotes() when it lands (no static initialisers to be dropped).
#include "remotes/registry.h"

#include "remotes/azure/azure_remote.h"
#include "remotes/local/local_remote.h"
#include "remotes/oss/oss_remote.h"
#include "remotes/s3/s3_remote.h"

namespace cpsync {
namespace {

void register_builtin_remotes(RemoteRegistry& r) {
  r.add({"oss", "Alibaba Cloud Object Storage Service (OSS)", oss_option_schema(), &make_oss_remote,
         &oss_credential_source});
  r.add({"local", "Local filesystem", local_option_schema(), &make_local_remote, {}});
  r.add({"azureblob", "Microsoft Azure Blob Storage", azure_option_schema(), &make_azure_remote,
         &azure_credential_source});
  r.add({"s3", "Amazon S3 and S3-compatible stores", s3_option_schema(), &make_s3_remote,
         &s3_credential_source});
}

}  // namespace

const BackendEntry* RemoteRegistry::find(std::string_view type) const {
  for (const auto& e : entries_) {
    if (e.type == type) return &e;
  }
  return nullptr;
}

const RemoteRegistry& builtin_remotes() {
  static const RemoteRegistry registry = [] {
    RemoteRegistry r;
    register_builtin_remotes(r);
    return r;
  }();
  return registry;
}

}  // namespace cpsync
