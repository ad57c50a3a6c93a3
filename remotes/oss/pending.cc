// remotes/oss/pending.cc — unfinished multipart uploads on OSS: ListMultipartUploads (paged
// by key and upload-id markers), ListParts (paged by part-number marker) and
// AbortMultipartUpload, used to resume a killed transfer (begin_upload with
// UploadOptions::resume) and by `cpsync cleanup`.
#include "core/log.h"
#include "core/retry.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {
Status OssRemote::list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                       std::vector<PendingUpload>& out) {
  const std::string what = client_.describe(bucket);
  std::string key_marker, id_marker;
  for (int page = 0; page < 100000; ++page) {
    OssCall c;
    c.bucket = bucket;
    c.query = {{"uploads", std::nullopt}};
    if (!prefix.empty()) c.query.emplace_back("prefix", prefix);
    if (!key_marker.empty()) c.query.emplace_back("key-marker", key_marker);
    if (!id_marker.empty()) c.query.emplace_back("upload-id-marker", id_marker);
    c.op = "list";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(c.with_verb("list unfinished uploads")));
    CPSYNC_ASSIGN_OR_RETURN(PendingUploadsPage p, parse_pending_uploads(r.body, what));
    for (auto& u : p.uploads)
      if (u.key.starts_with(prefix)) out.push_back(std::move(u));
    if (!p.truncated) return Status::OK();
    if (p.next_key_marker == key_marker && p.next_upload_id_marker == id_marker)
      return corrupt("list unfinished uploads", what, "ListMultipartUploads does not advance");
    key_marker = p.next_key_marker;
    id_marker = p.next_upload_id_marker;
  }
  return corrupt("list unfinished uploads", what, "too many pages");
}

Status OssRemote::abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
  OssCall c;
  c.method = "DELETE";
  c.bucket = bucket;
  c.key = u.key;
  c.query = {{"uploadId", u.upload_id}};
  c.op = "abort";
  auto r = client_.call(c.with_verb("abort multipart upload"));
  if (r.ok() || r.status().provider_code == "NoSuchUpload") return Status::OK();
  return r.status();
}

Result<std::optional<OssRemote::Resumable>> OssRemote::find_resumable(const ObjectRef& ref,
                                                                      const UploadOptions& opts) {
  std::vector<PendingUpload> uploads;
  CPSYNC_RETURN_IF_ERROR(list_pending_uploads(ref.bucket, ref.key, uploads));
  std::optional<PendingUpload> chosen = choose_pending(uploads, ref.key, opts.mtime);
  if (!chosen) return std::optional<Resumable>();
  const std::string what = client_.describe(ref.bucket, ref.key);
  Resumable res;
  res.first = chosen->upload_id;
  std::string marker;
  for (int page = 0; page < 1000; ++page) {
    OssCall c;
    c.bucket = ref.bucket;
    c.key = ref.key;
    c.query = {{"uploadId", chosen->upload_id}};
    if (!marker.empty()) c.query.emplace_back("part-number-marker", marker);
    c.op = "list";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(c.with_verb("list parts")));
    CPSYNC_ASSIGN_OR_RETURN(ListedPartsPage p, parse_listed_parts(r.body, what));
    for (auto& part : p.parts) res.second[part.number] = std::move(part);
    if (!p.truncated) {
      log_info(what + ": resuming its unfinished upload (" + std::to_string(res.second.size()) +
               " parts stored)");
      return std::optional<Resumable>(std::move(res));
    }
    if (p.next_part_marker == marker)
      return corrupt("list parts", what, "ListParts does not advance");
    marker = p.next_part_marker;
  }
  return corrupt("list parts", what, "too many pages");
}

}  // namespace cpsync::oss
