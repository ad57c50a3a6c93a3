// remotes/oss/dialect.cc — OSS's entry in the S3-compatible dialect table (s3compat/dialect.h).
#include "remotes/oss/remote_impl.h"
#include "remotes/oss/request_signers.h"

namespace cpsync::oss {

const s3compat::Dialect kDialect{.name = "oss",
                                 .header_prefix = "x-oss-",
                                 .meta_prefix = "x-oss-meta-",
                                 .min_part = kOssMinPart,
                                 .max_part = kOssMaxPart,
                                 .max_parts = kOssMaxParts,
                                 .max_object = kOssMaxObject,
                                 .max_copy = kOssCopyLimit,
                                 .token_url_encoded = true,
                                 .paged_bucket_list = true,
                                 .body_on_writes = true,
                                 .default_storage_class = "",
                                 .describe = &describe};

}  // namespace cpsync::oss
