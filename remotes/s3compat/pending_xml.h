// remotes/s3compat/pending_xml.h — parsing of the S3-style ListMultipartUploads and ListParts
// responses that S3 and OSS share (same element names), and the choice of the upload a
// resumed transfer adopts. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::s3compat {

struct PendingUploadsPage {
  std::vector<PendingUpload> uploads;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};

// A part an unfinished upload holds, as ListParts reports it.
struct ListedPart {
  uint32_t number = 0;
  uint64_t size = 0;
  std::string etag;  // unquoted, as the provider gave it
  std::string md5;   // lower-case hex when the ETag is an MD5 (32 hex digits), else ""
};

struct ListedPartsPage {
  std::vector<ListedPart> parts;
  bool truncated = false;
  std::string next_part_marker;
};

// `what` names the remote and bucket in messages. Malformed XML is Errc::corrupt.
Result<PendingUploadsPage> parse_pending_uploads(std::string_view xml, std::string_view what);
Result<ListedPartsPage> parse_listed_parts(std::string_view xml, std::string_view what);

// The upload of `key` a resumed transfer adopts: the most recently started one that started
// at or after not_before (to the second, as listings round), or nullopt.
std::optional<PendingUpload> choose_pending(const std::vector<PendingUpload>& uploads,
                                            std::string_view key,
                                            std::optional<TimePoint> not_before);

}  // namespace cpsync::s3compat
