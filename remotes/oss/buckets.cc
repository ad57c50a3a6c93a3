// remotes/oss/buckets.cc — PutBucket and DeleteBucket for OssRemote (ListBuckets is in
// listing.cc).
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {

Status OssRemote::make_bucket(const std::string& bucket) {
  const std::string what = client_.describe(bucket);
  OssCall c;
  c.method = "PUT";
  c.bucket = bucket;
  c.op = "mkdir";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  if (r.success()) return Status::OK();
  Status s = to_status(r, "make bucket", what);
  // Like rclone's mkdir, an existing bucket is fine (a foreign one fails on first use).
  if (s.provider_code == "BucketAlreadyExists") return Status::OK();
  return s;
}

Status OssRemote::remove_bucket(const std::string& bucket) {
  const std::string what = client_.describe(bucket);
  OssCall c;
  c.method = "DELETE";
  c.bucket = bucket;
  c.op = "rmdir";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  if (r.success()) return Status::OK();
  return to_status(r, "remove bucket", what);
}

}  // namespace cpsync::oss
