// remotes/s3/pending.cc — unfinished multipart uploads on S3 (for `cpsync cleanup`), on the
// shared S3-compatible requests (s3compat/pending.h, s3compat/multipart.h).
#include "remotes/s3compat/pending.h"
#include "remotes/s3/remote_impl.h"
#include "remotes/s3compat/multipart.h"

namespace cpsync::s3 {

Status S3Remote::list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                      std::vector<PendingUpload>& out) {
  return s3compat::list_pending_uploads(endpoint(), bucket, prefix, out);
}

Status S3Remote::abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
  return s3compat::abort_upload(endpoint(), ObjectRef{bucket, u.key}, u.upload_id);
}

}  // namespace cpsync::s3
