// sync/cross_account_copy.h — server-side copies between two remotes of one service under
// different identities (two S3 or OSS accounts, remotes/remote.h same_service_other_account):
// the destination's identity copies from the source's bucket when a bucket policy lets it
// read there. The first refusal (access_denied) for a source bucket and destination remote
// is remembered for the rest of the process and logged once at -v; those objects stream
// through this machine instead, without one refused request each.
// Thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync {

// True when dst may try a server-side copy from src_bucket of src: same service, other
// account, and no refusal remembered for the pair.
bool try_cross_account_copy(const Remote& src, const std::string& src_bucket, const Remote& dst);

// Remembers that dst may not copy from src_bucket of src (refusal: the access_denied status).
void note_cross_account_refusal(const Remote& src, const std::string& src_bucket, const Remote& dst,
                                const Status& refusal);

}  // namespace cpsync
