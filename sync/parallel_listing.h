// sync/parallel_listing.h — one recursive listing of a key range made by several requests at
// once, delivered as the one sorted stream Remote::list would give. The first two pages are
// listed as usual (a listing of one page costs one request); the rest is cut at the
// common prefixes ("dir/") a delimiter listing finds (descending while there are too few),
// plus a tail listed after the last key found; the ranges are listed concurrently by start-after
// / prefix requests and their pages are passed on in range order, so callers (the merge join)
// see no difference. Memory stays bounded: only ranges within a window of the one being
// delivered are listed, each at most a few pages ahead. A key space without '/' lists as one
// range (sequentially). Works on any Remote whose list() honours prefix, start_after and
// recursive=false; the remote must be safe from many threads (remote.h says all are).
// Thread-safety: one call runs on the calling thread plus internal threads it joins.
#pragma once

#include <cstddef>
#include <string>

#include "remotes/remote.h"

namespace cpsync {

// --list-parallel's default (docs/benchmarks.md has the measurement behind it).
inline constexpr int kDefaultListParallel = 8;

struct ParallelListOptions {
  int parallel = 8;            // requests in flight (1: Remote::list as is)
  size_t pages_per_range = 3;  // pages a range's lister may hold ahead of delivery
  size_t first_pages = 2;      // pages listed plainly before cutting the rest (0: none)
  size_t discovery_pages = 2;  // delimiter pages read at the top before cutting a tail
  std::string stop;            // absolute key: nothing at or after it is delivered ("" = none)
};

// What a call did (for logs and tests).
struct ParallelListStats {
  size_t ranges = 0;           // ranges listed (a discovery's own keys are not counted)
  size_t discovery_lists = 0;  // delimiter listings made to find the ranges
};

// Like remote.list(req, sink) for a recursive req (req.recursive is ignored), but made of
// concurrent range listings: sink is called from the calling thread with pages in strictly
// increasing key order, all under req.prefix, after req.start_after and before o.stop. A
// key out of order across ranges is Errc::corrupt. A sink's non-ok Status stops every lister
// and is returned; so is the first listing error (a missing bucket is Errc::not_found, as
// from list()). stats may be null.
Status list_parallel(Remote& remote, const ListRequest& req, const ParallelListOptions& o,
                     const PageSink& sink, ParallelListStats* stats = nullptr);

}  // namespace cpsync
