// remotes/s3/listing.h — ListObjectsV2 and ListBuckets response parsing and the byte-order
// check the sync engine relies on. Pure functions (the requests live in listing.cc).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::s3 {

struct ListPage {
  std::vector<ObjectInfo> entries;  // Contents and CommonPrefixes (is_dir) merged by key
  bool truncated = false;
  std::string next_token;  // NextContinuationToken
};

// Parses one ListObjectsV2 page. url_encoded: the request had encoding-type=url, so keys and
// prefixes are decoded ('+' is a space). Contents and CommonPrefixes must each be in
// strictly increasing byte order, else Errc::corrupt; `what` names the remote for messages.
Result<ListPage> parse_list_v2(std::string_view xml, bool url_encoded, std::string_view what);

// Checks that page continues strictly after *last (byte order) and advances *last.
Status check_order(const std::vector<ObjectInfo>& page, std::string* last, std::string_view what);

// Parses ListAllMyBucketsResult into entries (key = bucket name, is_dir, mtime = creation),
// sorted by name.
Result<std::vector<ObjectInfo>> parse_list_buckets(std::string_view xml, std::string_view what);

}  // namespace cpsync::s3
