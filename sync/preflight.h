// sync/preflight.h — the checks a run makes before it lists or touches the destination:
// the source root exists, and source and destination do not overlap. Pure functions over
// the endpoints and the local filesystem (no request is sent); safe from any thread.
#pragma once

#include <string>

#include "core/status.h"
#include "sync/engine.h"

namespace cpsync {

class Filter;

// On the local filesystem (a remote without buckets, Features::buckets false), a source
// root directory that does not exist is Errc::not_found ("SRC: directory not found"). On
// bucket remotes a prefix is only a key prefix: this returns ok, and an empty source
// listing is judged later (SyncOptions::allow_empty_source).
Status check_source_root(const SyncEndpoint& src);

// Source and destination on one endpoint and bucket where one root contains the other
// (or both are the same) are Errc::invalid_argument (a usage error) with rclone's words
// ("overlapping remotes"), unless the destination lies inside the source and the filter excludes
// every key under it. Local roots are compared after resolving symlinks of their existing parts.
Status check_overlap(const SyncEndpoint& src, const SyncEndpoint& dst, const Filter* filter);

}  // namespace cpsync
