// sync/inventory/inventory_check.h — --check-inventory: lists the first keys of the source
// (a sample, one or a few pages) and compares them with the report's entries up to the last
// sampled key, to warn when the report no longer describes the bucket. Costs the sample's
// list requests and the start of each report file. One thread.
#pragma once

#include <cstddef>
#include <string>

#include "remotes/remote.h"
#include "sync/entry_stream.h"

namespace cpsync {

struct InventoryCheck {
  size_t sampled = 0;  // source objects listed
  size_t missing = 0;  // listed, not in the report (newer than it)
  size_t gone = 0;     // in the report, not listed (removed since)
  size_t changed = 0;  // in both, with another size or ETag
  bool stale() const { return missing + gone + changed > 0; }
};

// `report` yields the report's entries (keys relative to prefix) from its start.
Result<InventoryCheck> check_inventory(EntryStream& report, Remote& src, const std::string& bucket,
                                       const std::string& prefix, size_t sample = 1000);

}  // namespace cpsync
