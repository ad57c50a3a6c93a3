// remotes/s3compat/listing.h — the listing requests of S3-compatible services: ListObjects V2
// (continuation tokens) or V1 (markers), recursive or with delimiter "/", always with
// encoding-type=url and the byte order checked within and across pages; and ListBuckets.
// Stateless: safe from many threads at once.
#pragma once

#include <cstdint>

#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"

namespace cpsync::s3compat {

struct ListSettings {
  int version = 2;           // ListObjects version: 2 or 1
  uint32_t max_keys = 1000;  // per page
};

// Calls sink once per non-empty page, keys in byte order, all under req.prefix and after
// req.start_after. A listing out of order, outside the prefix or that does not advance is
// Errc::corrupt.
Status list_objects(const Endpoint& ep, const ListRequest& req, const ListSettings& settings,
                    const PageSink& sink);

// The buckets, sorted by name (paged by marker where the dialect pages them).
Status list_buckets(const Endpoint& ep, const PageSink& sink);

}  // namespace cpsync::s3compat
