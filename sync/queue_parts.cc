// sync/queue_parts.cc — the planner's split of a large object into part tasks, and one
// worker's part: read, write with its check, record, and commit when it completes the set.
#include "sync/queue_parts.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/log.h"
#include "remotes/part_sums.h"
#include "sync/bandwidth_limiter.h"
#include "sync/compare.h"
#include "sync/copy_metadata.h"
#include "sync/source_read.h"
#include "sync/url_copy.h"

namespace cpsync {
namespace {

ObjectRef ref_of(const SyncEndpoint& e, const std::string& key) {
  return ObjectRef{e.bucket, e.prefix + key};
}

// The copy transfer_object would make without the queue goes through this machine in parts.
// (A copy by URL that url_copy_possible allows is the destination's work: one task.)
bool streamed_in_parts(const SyncEndpoint& src, const SyncEndpoint& dst, const ObjectInfo& listed,
                       const TransferOptions& o) {
  Remote& s = *src.remote;
  const Remote& d = *dst.remote;
  if (!d.features().shared_uploads || listed.is_dir) return false;
  if (listed.size <= o.upload_cutoff.value_or(o.chunk_size)) return false;
  const bool server_side = o.server_side_copy && !o.metadata.overrides();
  if (server_side && d.features().server_side_copy && same_endpoint(s, d)) return false;
  if (server_side && same_service_other_account(s, d)) return false;
  if (url_copy_applies(s, d, listed) && url_copy_possible(s, ref_of(src, listed.key), d, o).ok())
    return false;
  return true;
}

// The source as stat'ed now, when it still has the listed ETag (and size); nullopt when it
// changed or is gone.
Result<std::optional<ObjectInfo>> source_as_listed(const SyncEndpoint& src,
                                                   const ObjectInfo& listed) {
  auto now = src.remote->stat(ref_of(src, listed.key));
  if (!now.ok()) {
    if (now.status().code == Errc::not_found) return std::optional<ObjectInfo>{};
    return now.status();
  }
  if (now->etag != listed.etag || now->size != listed.size) return std::optional<ObjectInfo>{};
  ObjectInfo o = listed;
  o.metadata = now->metadata;
  o.content = now->content;
  o.metadata_known = now->metadata_known;
  if (!o.md5) o.md5 = known_md5(*now);
  return std::optional<ObjectInfo>{std::move(o)};
}

// What the upload of source's copy stores: the same on the planner and on the committer.
UploadOptions upload_options_for(const ObjectInfo& source, const TransferOptions& o,
                                 uint64_t part_size) {
  UploadOptions uo;
  uo.size = source.size;
  uo.part_size = part_size;
  copy_metadata_into(source, o.metadata, uo);
  return uo;
}

bool source_changed(const Status& st) {
  return st.code == Errc::conflict || st.code == Errc::not_found;
}

}  // namespace

Result<bool> enqueue_in_parts(const SyncEndpoint& src, const SyncEndpoint& dst,
                              const ObjectInfo& listed, const TransferOptions& o, QueueWriter& w,
                              size_t per_batch) {
  if (!streamed_in_parts(src, dst, listed, o)) return false;
  const PartPolicy& policy = dst.remote->features().parts;
  CPSYNC_ASSIGN_OR_RETURN(uint64_t part_size, choose_part_size(listed.size, o.chunk_size, policy));
  const uint64_t count = (listed.size + part_size - 1) / part_size;
  if (count <= static_cast<uint64_t>(std::max(o.streams, 1))) return false;
  // The upload's metadata (stored mtime, md5chksum, content headers) comes from a stat.
  CPSYNC_ASSIGN_OR_RETURN(std::optional<ObjectInfo> source, source_as_listed(src, listed));
  if (!source || !known_md5(*source)) return false;  // changed since listed, or no MD5 known
  const ObjectRef to = ref_of(dst, listed.key);
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> upload,
                          dst.remote->begin_upload(to, upload_options_for(*source, o, part_size)));
  const std::string handle = upload->handle();
  upload->keep_for_resume();  // the workers write its parts
  CPSYNC_ASSIGN_OR_RETURN(std::string id, w.register_upload(static_cast<uint32_t>(count)));
  std::vector<QueueTask> tasks;
  for (uint32_t n = 1; n <= count; ++n) {
    QueueTask t;
    t.op = QueueTask::Op::part;
    t.info.key = listed.key;
    t.info.size = listed.size;
    t.info.mtime = listed.mtime;
    t.info.mtime_from_metadata = listed.mtime_from_metadata;
    t.info.etag = listed.etag;
    t.info.md5 = known_md5(*source);
    t.part = QueuePart{id, handle, part_size, n, static_cast<uint32_t>(count)};
    tasks.push_back(std::move(t));
  }
  log_info("work queue: " + listed.key + ": " + std::to_string(count) + " part tasks of " +
           std::to_string(part_size) + " bytes (upload " + id + ")");
  CPSYNC_RETURN_IF_ERROR(w.add_parts(std::move(tasks), per_batch));
  return true;
}

Result<PartTaskResult> run_part_task(const SyncEndpoint& src, const SyncEndpoint& dst,
                                     const TransferOptions& o, const QueueTask& t,
                                     SharedUploads& uploads) {
  const QueuePart& p = t.part;
  const std::string what =
      t.info.key + " part " + std::to_string(p.number) + "/" + std::to_string(p.count);
  CPSYNC_ASSIGN_OR_RETURN(SharedUploadState state, uploads.state(p.upload));
  if (state.committed || state.abandoned) return PartTaskResult{PartTaskResult::Kind::skipped, 0};

  const ObjectRef to = ref_of(dst, t.info.key);
  // Abandons the upload for a source that changed: the first to see it aborts the upload
  // and has the object planned again as one copy; the others' parts are moot.
  auto abandon = [&](const std::string& why) -> Result<PartTaskResult> {
    CPSYNC_ASSIGN_OR_RETURN(bool first, uploads.abandon(p.upload));
    if (!first) return PartTaskResult{PartTaskResult::Kind::skipped, 0};
    log_notice("work queue: " + t.info.key + ": " + why +
               "; its part upload is abandoned and the object copied again as one task");
    if (auto up = dst.remote->continue_upload(to, p.handle, UploadOptions{}); up.ok())
      (void)(*up)->abort();
    return PartTaskResult{PartTaskResult::Kind::replan, 0};
  };

  const uint64_t offset = (p.number - 1) * p.part_size;
  if (offset >= t.info.size && t.info.size > 0)
    return Status{Errc::corrupt, what + ": beyond the object's size"};
  const size_t len = static_cast<size_t>(std::min<uint64_t>(p.part_size, t.info.size - offset));
  {
    Buffer buf = o.pool->acquire(len);
    Status read =
        read_exact(*src.remote, ref_of(src, t.info.key), t.info, offset, buf.data(), len, o);
    if (source_changed(read)) return abandon("source changed since it was listed");
    if (!read.ok()) return read.with_context("read " + what);
    const PartSums sums = sum_part(dst.remote->features().part_check, buf.data(), len, nullptr);
    UploadOptions uo;
    uo.size = t.info.size;
    CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> up,
                            dst.remote->continue_upload(to, p.handle, uo));
    if (o.bw_up) BandwidthLimiter::wait_until(o.bw_up->reserve(len));
    CPSYNC_RETURN_IF_ERROR(up->write_summed_part(p.number, offset, buf.data(), len, sums)
                               .with_context("write " + what));
  }
  CPSYNC_ASSIGN_OR_RETURN(PartRecorded rec, uploads.record_part(p.upload, p.number));
  if (rec != PartRecorded::commit) return PartTaskResult{PartTaskResult::Kind::stored, len};

  // Every part is stored: commit, if the source still is what was listed.
  CPSYNC_ASSIGN_OR_RETURN(std::optional<ObjectInfo> source, source_as_listed(src, t.info));
  if (!source) return abandon("source changed before its parts were committed");
  UploadOptions uo = upload_options_for(*source, o, p.part_size);
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> up,
                          dst.remote->continue_upload(to, p.handle, uo));
  std::string raw;
  if (t.info.md5 && hex_decode(*t.info.md5, raw)) up->set_whole_md5(raw);
  auto committed = up->commit();
  if (!committed.ok()) {
    // Committed already by a task that ran twice (a lease ran out)? Then the object is there.
    auto there = dst.remote->stat(to);
    if (!there.ok() || there->size != t.info.size || known_md5(*there) != t.info.md5)
      return committed.status().with_context("commit " + t.info.key);
  } else if (committed->size != t.info.size) {
    return Status{Errc::corrupt, t.info.key + ": committed " + std::to_string(committed->size) +
                                     " bytes, the source has " + std::to_string(t.info.size)};
  }
  CPSYNC_RETURN_IF_ERROR(uploads.mark_committed(p.upload));
  log_object(LogLevel::info, t.info.key, "copied (" + std::to_string(p.count) + " part tasks)");
  return PartTaskResult{PartTaskResult::Kind::committed, len};
}

}  // namespace cpsync
