// remotes/s3/dialect.cc — S3's entry in the S3-compatible dialect table (s3compat/dialect.h).
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {
namespace {

std::string describe(std::string_view remote, std::string_view bucket, std::string_view key) {
  std::string out = "s3 remote '" + std::string(remote) + "'";
  if (bucket.empty()) return out;
  if (key.empty()) return out + ": bucket '" + std::string(bucket) + "'";
  return out + ": '" + std::string(bucket) + "/" + std::string(key) + "'";
}

}  // namespace

const s3compat::Dialect kDialect{.name = "s3",
                                 .header_prefix = "x-amz-",
                                 .meta_prefix = kMetaPrefix,
                                 .min_part = kMinPart,
                                 .max_part = kMaxPart,
                                 .max_parts = kMaxParts,
                                 .max_object = kMaxObject,
                                 .max_copy = kMaxPart,
                                 .token_url_encoded = false,
                                 .paged_bucket_list = false,
                                 .body_on_writes = false,
                                 .default_storage_class = "STANDARD",
                                 .describe = &describe};

}  // namespace cpsync::s3
