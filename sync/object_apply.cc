// sync/object_apply.cc — copy-unless-there and delete, one object at a time.
#include "sync/object_apply.h"

#include "core/log.h"

namespace cpsync {

ObjectApplier::ObjectApplier(const SyncEndpoint& src, const SyncEndpoint& dst,
                             CompareOptions compare, TransferOptions transfer, SyncStats& stats)
    : src_(src), dst_(dst), compare_(compare), topts_(std::move(transfer)), stats_(stats) {
  topts_.bytes_done = &stats_.bytes;
  topts_.server_side_bytes = &stats_.server_side_bytes;
}

Result<ObjectInfo> ObjectApplier::stat_dst(const std::string& key) const {
  return dst_.remote->stat(ObjectRef{dst_.bucket, dst_.prefix + key});
}

Result<ObjectInfo> ObjectApplier::stat_src(const std::string& key) const {
  auto r = src_.remote->stat(ObjectRef{src_.bucket, src_.prefix + key});
  if (r.ok()) r->key = key;
  return r;
}

Result<Applied> ObjectApplier::remove(const std::string& key) {
  Status st = dst_.remote->remove(ObjectRef{dst_.bucket, dst_.prefix + key});
  if (!st.ok() && st.code != Errc::not_found) return st.with_context("delete " + key);
  ++stats_.deleted;
  log_object(LogLevel::info, key, "deleted");
  return Applied::deleted;
}

Result<Applied> ObjectApplier::copy(ObjectInfo s) {
  const std::string key = s.key;
  const ObjectRef to{dst_.bucket, dst_.prefix + key};
  const ObjectRef from{src_.bucket, src_.prefix + key};
  ++stats_.checked;
  // Done before (by a worker whose lease ran out, an earlier run, an earlier event)?
  auto d = dst_.remote->stat(to);
  if (!d.ok() && d.status().code != Errc::not_found) return d.status().with_context("stat " + key);
  if (d.ok() && !d->is_dir && already_there(s, *d, from)) {
    ++stats_.matched;
    log_object(LogLevel::debug, key, "already at the destination, skipping");
    return Applied::already_there;
  }
  ++stats_.in_flight;
  auto r = transfer_object(*src_.remote, from, s, *dst_.remote, to, topts_);
  --stats_.in_flight;
  if (!r.ok()) return r.status().with_context("copy " + key);
  ++stats_.transferred;
  if (r->server_side) ++stats_.server_side;
  stats_.resumed_bytes += r->reused_bytes;
  log_object(LogLevel::info, key, r->server_side ? "copied (server-side)" : "copied");
  return Applied::copied;
}

// True when the destination object d equals the source s; a source stat when the comparison
// needs the source's stored mtime. Hash comparisons count as different.
bool ObjectApplier::already_there(ObjectInfo& s, ObjectInfo d, const ObjectRef& from) {
  d.key = s.key;
  d.metadata_known = true;
  Verdict v = compare_objects(s, d, compare_);
  if (v == Verdict::need_src_stat) {
    auto st = src_.remote->stat(from);
    if (!st.ok()) return false;  // the copy reports it
    s.metadata = std::move(st->metadata);
    s.content = std::move(st->content);
    s.metadata_known = true;
    v = compare_objects(s, d, compare_);
  }
  return v == Verdict::same;
}

}  // namespace cpsync
