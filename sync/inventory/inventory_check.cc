// sync/inventory/inventory_check.cc — the sample listing, then a merge join with the report.
#include "sync/inventory/inventory_check.h"

#include <vector>

#include "core/encoding.h"

namespace cpsync {

Result<InventoryCheck> check_inventory(EntryStream& report, Remote& src, const std::string& bucket,
                                       const std::string& prefix, size_t sample) {
  std::vector<ObjectInfo> listed;
  ListRequest req;
  req.bucket = bucket;
  req.prefix = prefix;
  Status st = src.list(req, [&](std::vector<ObjectInfo>& page) {
    for (auto& o : page) {
      if (o.is_dir || o.key.size() <= prefix.size() || o.key.back() == '/') continue;
      o.key = o.key.substr(prefix.size());
      listed.push_back(std::move(o));
      if (listed.size() >= sample) return Status{Errc::cancelled, "sample complete"};
    }
    return Status::OK();
  });
  if (!st.ok() && st.code != Errc::cancelled) return st.with_context("--check-inventory");
  InventoryCheck c;
  c.sampled = listed.size();
  // Compare up to the last sampled key; when the listing ended before the sample was full,
  // everything the report holds is in range.
  const bool whole = listed.size() < sample;
  size_t i = 0;
  for (const ObjectInfo* r = report.next(); r; r = report.next()) {
    if (!whole && !listed.empty() && r->key > listed.back().key) break;
    while (i < listed.size() && listed[i].key < r->key) {
      ++c.missing;
      ++i;
    }
    if (i < listed.size() && listed[i].key == r->key) {
      if (listed[i].size != r->size || ascii_lower(listed[i].etag) != ascii_lower(r->etag))
        ++c.changed;
      ++i;
    } else {
      ++c.gone;
    }
  }
  if (!report.status().ok()) return report.status();
  c.missing += listed.size() - i;
  return c;
}

}  // namespace cpsync
