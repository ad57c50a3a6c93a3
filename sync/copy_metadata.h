// sync/copy_metadata.h — what a copy stores besides its bytes: the source's user metadata
// and content headers (Content-Type, -Encoding, -Language, -Disposition, Cache-Control)
// unless --no-metadata, a Content-Type from the name's extension (/etc/mime.types) when
// the source has none, --metadata-set and --header-upload on top, and always cpsync's own
// mtime and md5chksum, which later runs compare by. Pure; safe from any thread.
#pragma once

#include <string_view>

#include "remotes/remote.h"

namespace cpsync {

// The user's choices for a run (cli/metadata_flags).
struct MetadataPolicy {
  bool carry = true;       // false: --no-metadata (bytes, mtime and md5chksum only)
  Metadata set;            // --metadata-set k=v: added, overriding the source's
  ContentHeaders headers;  // --header-upload: each set field overrides the source's
  // True when a copy must write metadata or headers of its own, which a server-side copy
  // (which keeps the source's) cannot: such copies are streamed.
  bool overrides() const { return !carry || !set.empty() || headers != ContentHeaders{}; }
};

// Fills uo.metadata, uo.content and uo.mtime for a copy of source (a listing entry or
// stat; its metadata and content only count when metadata_known).
void copy_metadata_into(const ObjectInfo& source, const MetadataPolicy& p, UploadOptions& uo);

// For an upload without a source object (rcat): the policy's metadata and headers, and
// the Content-Type of name's extension unless --header-upload gives one. uo.metadata's
// mtime (already set by the caller) is kept.
void apply_upload_policy(std::string_view name, const MetadataPolicy& p, UploadOptions& uo);

}  // namespace cpsync
