// sync/backup_dir.cc — keeping overwritten and deleted objects for --backup-dir.
#include "sync/backup_dir.h"

namespace cpsync {

Result<std::string> backup_object(const SyncEndpoint& dst, const BackupTarget& backup,
                                  const ObjectInfo& dst_info, const TransferOptions& t) {
  const ObjectRef from{dst.bucket, dst.prefix + dst_info.key};
  const ObjectRef to{backup.where.bucket, backup.where.prefix + dst_info.key + backup.suffix};
  ObjectInfo info = dst_info;
  info.key = from.key;
  TransferOptions o = t;
  o.server_side_copy = true;  // the same remote: never pass the bytes through the client
  o.bytes_done = nullptr;     // not part of the run's copied bytes
  auto r = transfer_object(*dst.remote, from, info, *backup.where.remote, to, o);
  if (!r.ok())
    return r.status().with_context("backup " + dst_info.key + " to " + backup.where.display);
  return to.key;
}

Status check_backup_dir(const SyncEndpoint& dst, const SyncEndpoint& backup) {
  if (!dst.remote || !backup.remote || dst.remote->name() != backup.remote->name() ||
      dst.remote->endpoint_id() != backup.remote->endpoint_id())
    return Status{Errc::invalid_argument, "--backup-dir " + backup.display +
                                              " must be on the same remote as the destination " +
                                              dst.display};
  if (dst.bucket == backup.bucket &&
      (backup.prefix.starts_with(dst.prefix) || dst.prefix.starts_with(backup.prefix)))
    return Status{Errc::invalid_argument, "--backup-dir " + backup.display + " and destination " +
                                              dst.display + " overlap: use a separate directory"};
  return Status::OK();
}

}  // namespace cpsync
