// remotes/s3compat/list_xml.h — the one parser of S3-compatible listings: ListObjects V1 and V2
// (ListBucketResult, keys url-encoded or not) and ListBuckets (ListAllMyBucketsResult), with
// the byte-order checks the sync engine relies on. The requests are in listing.h.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::s3compat {

// How to read one ListObjects answer.
struct ListSyntax {
  int version = 2;                 // 2: NextContinuationToken; 1: NextMarker (may be absent)
  bool url_requested = false;      // the request had encoding-type=url (else the answer's
                                   // EncodingType element says whether keys are encoded)
  bool token_url_encoded = false;  // the dialect url-encodes NextContinuationToken too
  // An object's tier when it has no StorageClass element (the dialect's default).
  std::string_view default_tier = "";
};

struct ListPage {
  std::vector<ObjectInfo> entries;  // Contents and CommonPrefixes (is_dir) merged by key
  bool truncated = false;
  // Where the next page starts, decoded: NextContinuationToken, else NextMarker. A truncated
  // V1 page may leave it empty: the next page then starts after the last key.
  std::string next;
};

// Parses one page. Keys are decoded when url-encoded ('+' is a space). An object's md5 is
// its ETag's when the ETag is one and the object is "Normal" (OSS's Appendable and Multipart
// ETags are not); its tier is its StorageClass, else syntax.default_tier. Errc::corrupt,
// "<what>: ..." for malformed XML, a bad escape, Contents or CommonPrefixes not each in
// strictly increasing byte order, or a truncated V2 page without a continuation token.
Result<ListPage> parse_list_objects(std::string_view xml, const ListSyntax& syntax,
                                    std::string_view what);

// Checks that page continues strictly after *last (byte order; "" = no bound) and advances
// *last.
Status check_order(const std::vector<ObjectInfo>& page, std::string* last, std::string_view what);

struct BucketPage {
  std::vector<ObjectInfo> buckets;  // key = bucket name, is_dir, mtime = creation; sorted
  bool truncated = false;
  std::string next_marker;
};

// Parses ListAllMyBucketsResult.
Result<BucketPage> parse_list_buckets(std::string_view xml, std::string_view what);

}  // namespace cpsync::s3compat
