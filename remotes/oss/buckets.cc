// remotes/oss/buckets.cc — PutBucket and DeleteBucket for OssRemote (ListBuckets is in
// listing.cc).
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {

Status OssRemote::make_bucket(const std::string& bucket) {
  const std::string what = client_.describe(bucket);
  OssCall c;
  c.method = "PUT";
  c.bucket = bucket;
  c.op = "mkdir";
  auto r = client_.call(c.with_verb("make bucket"));
  // Like rclone's mkdir, an existing bucket is fine (a foreign one fails on first use).
  if (r.ok() || r.status().provider_code == "BucketAlreadyExists") return Status::OK();
  return r.status();
}

Status OssRemote::remove_bucket(const std::string& bucket) {
  const std::string what = client_.describe(bucket);
  OssCall c;
  c.method = "DELETE";
  c.bucket = bucket;
  c.op = "rmdir";
  return client_.call(c.with_verb("remove bucket")).status();
}

}  // namespace cpsync::oss
