// remotes/oss/list_page.h — one page of an OSS object listing (ListObjects V1 or V2, with
// or without encoding-type=url), parsed and checked: keys and common prefixes each in
// strictly increasing byte order, then merged into one sorted page. Pure; safe from any
// thread.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::oss {

struct ListPage {
  std::vector<ObjectInfo> entries;  // objects and prefixes (is_dir) merged in byte order
  bool truncated = false;
  std::string next;  // NextContinuationToken (V2) or NextMarker (V1), decoded
};

// Errc::corrupt for malformed XML, a bad url escape or keys out of order.
Result<ListPage> parse_list_page(const std::string& body, const std::string& what);

}  // namespace cpsync::oss
