// remotes/s3compat/pending.h — unfinished multipart uploads on S3-compatible services:
// ListMultipartUploads (paged by key and upload-id markers), ListParts (paged by part-number
// marker) and the upload a resumed transfer adopts, with the parts it holds. Used by
// begin_upload with UploadOptions::resume and by `cpsync cleanup`. Stateless: safe from many
// threads at once.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/pending_xml.h"

namespace cpsync::s3compat {

// Appends the unfinished uploads of keys under prefix in bucket to out.
Status list_pending_uploads(const Endpoint& ep, const std::string& bucket,
                            const std::string& prefix, std::vector<PendingUpload>& out);

// The parts an unfinished upload holds.
Result<std::vector<ListedPart>> list_parts(const Endpoint& ep, const ObjectRef& ref,
                                           const std::string& upload_id);

// An unfinished upload a resumed transfer adopts, with the parts it holds by number.
struct ResumableUpload {
  std::string upload_id;
  std::map<uint32_t, ListedPart> parts;
};

// The upload of ref to adopt: the newest one started at or after not_before (see
// choose_pending), or nullopt.
Result<std::optional<ResumableUpload>> find_resumable(const Endpoint& ep, const ObjectRef& ref,
                                                      std::optional<TimePoint> not_before);

}  // namespace cpsync::s3compat
