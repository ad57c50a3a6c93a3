// remotes/s3compat/pending.cc — ListMultipartUploads and ListParts request loops (see pending.h).
#include "remotes/s3compat/pending.h"

namespace cpsync::s3compat {

Status list_pending_uploads(const Endpoint& ep, const std::string& bucket,
                            const std::string& prefix, std::vector<PendingUpload>& out) {
  const std::string what = ep.describe(bucket);
  std::string key_marker, id_marker;
  for (int page = 0; page < 100000; ++page) {
    http::Request r;
    r.bucket = bucket;
    r.query = {{"uploads"}};
    if (!prefix.empty()) r.query.emplace_back("prefix", prefix);
    if (!key_marker.empty()) r.query.emplace_back("key-marker", key_marker);
    if (!id_marker.empty()) r.query.emplace_back("upload-id-marker", id_marker);
    r.op = "list";
    r.verb = "list unfinished uploads";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
    CPSYNC_ASSIGN_OR_RETURN(PendingUploadsPage p, parse_pending_uploads(answer.body, what));
    for (auto& u : p.uploads)
      if (u.key.starts_with(prefix)) out.push_back(std::move(u));
    if (!p.truncated) return Status::OK();
    if (p.next_key_marker == key_marker && p.next_upload_id_marker == id_marker)
      return corrupt(what, "ListMultipartUploads does not advance");
    key_marker = p.next_key_marker;
    id_marker = p.next_upload_id_marker;
  }
  return corrupt(what, "too many ListMultipartUploads pages");
}

Result<std::vector<ListedPart>> list_parts(const Endpoint& ep, const ObjectRef& ref,
                                           const std::string& upload_id) {
  const std::string what = ep.describe(ref.bucket, ref.key);
  std::vector<ListedPart> parts;
  std::string marker;
  for (int page = 0; page < 1000; ++page) {
    http::Request r;
    r.bucket = ref.bucket;
    r.key = ref.key;
    r.query = {{"uploadId", upload_id}};
    if (!marker.empty()) r.query.emplace_back("part-number-marker", marker);
    r.op = "list";
    r.verb = "list parts";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
    CPSYNC_ASSIGN_OR_RETURN(ListedPartsPage p, parse_listed_parts(answer.body, what));
    for (auto& part : p.parts) parts.push_back(std::move(part));
    if (!p.truncated) return parts;
    if (p.next_part_marker == marker) return corrupt(what, "ListParts does not advance");
    marker = p.next_part_marker;
  }
  return corrupt(what, "too many ListParts pages");
}

Result<std::optional<ResumableUpload>> find_resumable(const Endpoint& ep, const ObjectRef& ref,
                                                      std::optional<TimePoint> not_before) {
  std::vector<PendingUpload> uploads;
  CPSYNC_RETURN_IF_ERROR(list_pending_uploads(ep, ref.bucket, ref.key, uploads));
  std::optional<PendingUpload> chosen = choose_pending(uploads, ref.key, not_before);
  if (!chosen) return std::optional<ResumableUpload>();
  CPSYNC_ASSIGN_OR_RETURN(std::vector<ListedPart> parts, list_parts(ep, ref, chosen->upload_id));
  ResumableUpload r;
  r.upload_id = chosen->upload_id;
  for (auto& p : parts) r.parts[p.number] = std::move(p);
  return std::optional<ResumableUpload>(std::move(r));
}

}  // namespace cpsync::s3compat
