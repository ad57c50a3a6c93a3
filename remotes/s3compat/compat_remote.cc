// remotes/s3compat/compat_remote.cc — CompatRemote on the shared requests (see compat_remote.h).
#include "remotes/s3compat/compat_remote.h"

#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/objects.h"
#include "remotes/s3compat/pending.h"

namespace cpsync::s3compat {

Status CompatRemote::list(const ListRequest& req, const PageSink& sink) {
  return list_objects(endpoint(), req, list_settings(), sink);
}

Status CompatRemote::list_buckets(const PageSink& sink) {
  return s3compat::list_buckets(endpoint(), sink);
}

Status CompatRemote::remove(const ObjectRef& ref) {
  return remove_object(endpoint(), ref);
}

Status CompatRemote::remove_many(const std::string& bucket, const std::vector<std::string>& keys) {
  return delete_objects(endpoint(), bucket, keys);
}

Status CompatRemote::list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                          std::vector<PendingUpload>& out) {
  return s3compat::list_pending_uploads(endpoint(), bucket, prefix, out);
}

Status CompatRemote::abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
  return abort_upload(endpoint(), ObjectRef{bucket, u.key}, u.upload_id);
}

}  // namespace cpsync::s3compat
