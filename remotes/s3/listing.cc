// remotes/s3/listing.cc — S3's listings: ListObjectsV2 pages of 1000 and one ListBuckets, on
// the shared S3-compatible requests (s3compat/listing.h).
#include "remotes/s3compat/listing.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {

Status S3Remote::list(const ListRequest& req, const PageSink& sink) {
  return s3compat::list_objects(endpoint(), req, s3compat::ListSettings{2, 1000}, sink);
}

Status S3Remote::list_buckets(const PageSink& sink) {
  return s3compat::list_buckets(endpoint(), sink);
}

}  // namespace cpsync::s3
