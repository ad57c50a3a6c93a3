// cli/stored_mtime.h — the modification times the listing commands show and filter on. S3
// and OSS listings carry only the upload time (LastModified); the mtime cpsync and rclone
// store with an object (X-Amz-Meta-Mtime, x-oss-meta-mtime) takes a HEAD. Which entries
// need one is the caller's choice (see listing_commands.cc); the HEADs of one page run up
// to kStoredMtimeStats at a time. Safe from one thread per page.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "remotes/remote.h"

namespace cpsync {

inline constexpr int kStoredMtimeStats = 8;

// For every object entry of page that `needs` selects and whose listing lacked its stored
// metadata, stats it and takes the stat's mtime, metadata, content headers and MD5
// (mtime_from_metadata and metadata_known become true). page holds full keys of bucket. An object
// gone since the listing keeps its listed values; any other stat error is returned.
Status fill_stored_mtimes(Remote& remote, const std::string& bucket, std::vector<ObjectInfo>& page,
                          const std::function<bool(const ObjectInfo&)>& needs);

}  // namespace cpsync
