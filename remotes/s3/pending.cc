// remotes/s3/pending.cc — unfinished multipart uploads on S3: ListMultipartUploads (paged
// by key and upload-id markers), ListParts (paged by part-number marker) and
// AbortMultipartUpload, used to resume a killed transfer (begin_upload with
// UploadOptions::resume) and by `cpsync cleanup`.
#include "remotes/pending_xml.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {

Status S3Remote::list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                      std::vector<PendingUpload>& out) {
  const std::string what = "s3 remote '" + name() + "': bucket '" + bucket + "'";
  std::string key_marker, id_marker;
  for (int page = 0; page < 100000; ++page) {
    S3Call call;
    call.bucket = bucket;
    call.query = {{"uploads", ""}};
    if (!prefix.empty()) call.query.emplace_back("prefix", prefix);
    if (!key_marker.empty()) call.query.emplace_back("key-marker", key_marker);
    if (!id_marker.empty()) call.query.emplace_back("upload-id-marker", id_marker);
    call.op = "list";
    CPSYNC_ASSIGN_OR_RETURN(
        HttpResponse r, client_.call(call, ctx("list unfinished uploads", ObjectRef{bucket, ""})));
    CPSYNC_ASSIGN_OR_RETURN(PendingUploadsPage p, parse_pending_uploads(r.body, what));
    for (auto& u : p.uploads)
      if (u.key.starts_with(prefix)) out.push_back(std::move(u));
    if (!p.truncated) return Status::OK();
    if (p.next_key_marker == key_marker && p.next_upload_id_marker == id_marker)
      return Status{Errc::corrupt, what + ": ListMultipartUploads does not advance"};
    key_marker = p.next_key_marker;
    id_marker = p.next_upload_id_marker;
  }
  return Status{Errc::corrupt, what + ": too many ListMultipartUploads pages"};
}

Status S3Remote::abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
  S3Call call;
  call.method = "DELETE";
  call.bucket = bucket;
  call.key = u.key;
  call.query = {{"uploadId", u.upload_id}};
  call.op = "abort";
  auto r = client_.call(call, ctx("abort upload", ObjectRef{bucket, u.key}));
  if (!r.ok() &&
      (r.status().provider_code == "NoSuchUpload" || r.status().provider_code == "NoSuchKey"))
    return Status::OK();
  return r.status();
}

Result<std::vector<ListedPart>> S3Remote::list_parts(const ObjectRef& ref,
                                                     const std::string& upload_id) {
  const std::string what =
      "s3 remote '" + name() + "': upload '" + ref.bucket + "/" + ref.key + "'";
  std::vector<ListedPart> parts;
  std::string marker;
  for (int page = 0; page < 1000; ++page) {
    S3Call call;
    call.bucket = ref.bucket;
    call.key = ref.key;
    call.query = {{"uploadId", upload_id}};
    if (!marker.empty()) call.query.emplace_back("part-number-marker", marker);
    call.op = "list";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("list parts", ref)));
    CPSYNC_ASSIGN_OR_RETURN(ListedPartsPage p, parse_listed_parts(r.body, what));
    for (auto& part : p.parts) parts.push_back(std::move(part));
    if (!p.truncated) return parts;
    if (p.next_part_marker == marker)
      return Status{Errc::corrupt, what + ": ListParts does not advance"};
    marker = p.next_part_marker;
  }
  return Status{Errc::corrupt, what + ": too many ListParts pages"};
}

Result<std::optional<ResumableUpload>> S3Remote::find_resumable(const ObjectRef& ref,
                                                                const UploadOptions& opts) {
  std::vector<PendingUpload> uploads;
  CPSYNC_RETURN_IF_ERROR(list_pending_uploads(ref.bucket, ref.key, uploads));
  std::optional<PendingUpload> chosen = choose_pending(uploads, ref.key, opts.mtime);
  if (!chosen) return std::optional<ResumableUpload>();
  CPSYNC_ASSIGN_OR_RETURN(std::vector<ListedPart> parts, list_parts(ref, chosen->upload_id));
  ResumableUpload r;
  r.upload_id = chosen->upload_id;
  for (auto& p : parts) r.parts[p.number] = std::move(p);
  return std::optional<ResumableUpload>(std::move(r));
}

}  // namespace cpsync::s3
