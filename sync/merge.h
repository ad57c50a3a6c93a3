// sync/merge.h — the merge join of two sorted listings (rclone's march): one pass, three
// callbacks, memory independent of the number of keys. Runs on the calling thread.
#pragma once

#include "sync/entry_stream.h"

namespace cpsync {

struct MergeVisitor {
  virtual ~MergeVisitor() = default;
  // A non-ok Status stops the merge and is returned.
  virtual Status src_only(const ObjectInfo& s) = 0;
  virtual Status dst_only(const ObjectInfo& d) = 0;
  virtual Status both(const ObjectInfo& s, const ObjectInfo& d) = 0;
};

// Walks both streams in key order. A key out of order (or repeated) in either stream is
// Errc::corrupt and stops the run: acting on a bad listing could delete data. A listing
// error is returned as is (with which side failed).
Status merge_sorted(EntryStream& src, EntryStream& dst, MergeVisitor& v);

}  // namespace cpsync
