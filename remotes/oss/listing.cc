// remotes/oss/listing.cc — OSS's listings: ListObjects V2 (V1 markers with list_version = 1)
// in pages of list_chunk keys, and ListBuckets paged by marker, on the shared S3-compatible
// requests (s3compat/listing.h).
#include "remotes/s3compat/listing.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {

Status OssRemote::list(const ListRequest& req, const PageSink& sink) {
  const OssOptions& o = client_.options();
  return s3compat::list_objects(endpoint(), req,
                                s3compat::ListSettings{o.list_version, o.list_chunk}, sink);
}

Status OssRemote::list_buckets(const PageSink& sink) {
  return s3compat::list_buckets(endpoint(), sink);
}

}  // namespace cpsync::oss
