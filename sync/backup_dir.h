// sync/backup_dir.h — --backup-dir: before sync or copy overwrites or deletes a destination
// object, the object is copied (server-side where the remote can) to the backup directory
// under the same relative key, plus --suffix. Stateless; safe from any thread.
#pragma once

#include <string>

#include "sync/engine.h"

namespace cpsync {

struct BackupTarget {
  SyncEndpoint where;  // same remote as the destination; prefix "" or ending in "/"
  std::string suffix;  // appended to each key ("" = none)
};

// Copies dst_info (listed on dst, key relative to dst.prefix) to backup. The caller then
// overwrites or deletes the original. Returns the backed-up key's full name on success.
Result<std::string> backup_object(const SyncEndpoint& dst, const BackupTarget& backup,
                                  const ObjectInfo& dst_info, const TransferOptions& t);

// Usage check: the backup directory must be on the destination's remote (same config
// name and endpoint) and must neither contain nor lie inside the destination directory.
// One line naming both paths otherwise.
Status check_backup_dir(const SyncEndpoint& dst, const SyncEndpoint& backup);

}  // namespace cpsync
