// remotes/azure/azure_info.h — Azure blob properties to ObjectInfo (from HEAD/PUT response
// headers and from listing entries), and user metadata to x-ms-meta-* headers with rclone's
// conventions (mtime as fractional unix seconds). Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::azure {

// base64 Content-MD5 -> lower-case hex; nullopt unless it decodes to 16 bytes.
std::optional<std::string> md5_hex_from_base64(std::string_view b64);
// lower-case hex -> base64; nullopt unless 32 hex digits.
std::optional<std::string> md5_base64_from_hex(std::string_view hex);

// rclone's azureblob stores mtime as RFC 3339 with nanoseconds, "2024-05-17T12:34:56.123456789Z"
// (S3 and OSS use fractional unix seconds). Written in UTC; offsets are read too.
std::string format_azure_mtime(TimePoint t);
// Either form: RFC 3339 (rclone on Azure) or fractional unix seconds.
std::optional<TimePoint> parse_azure_mtime(std::string_view s);

// Finishes an ObjectInfo read from Azure: restores metadata names stored under AzCopy's
// rename convention (see metadata_for_upload), and sets mtime from metadata "mtime" when it
// parses, else from Last-Modified. The metadata's "mtime" is rewritten in cpsync's neutral
// form (fractional unix seconds), as on every remote.
void apply_mtime(ObjectInfo& info, std::string_view last_modified);

// A HEAD (or GET) response's headers: size, etag, md5, metadata, content headers, mtime,
// tier (x-ms-access-tier).
ObjectInfo info_from_headers(const Headers& h, std::string key);

// Checks metadata names (Azure needs C# identifiers: letters, digits, '_', not starting with
// a digit) and values (printable ASCII, since they travel as headers).
Status validate_metadata(const Metadata& m, std::string_view remote);

// x-ms-meta-<name>: value for every entry.
void add_metadata_headers(Headers& h, const Metadata& m);

// The metadata cpsync stores for an upload: opts.metadata, plus mtime from opts.mtime when
// the metadata has none, with mtime written in rclone's Azure form. md5chksum is taken out:
// Azure keeps the whole-object MD5 as the blob's Content-MD5 property instead, returned in
// *md5_b64 (when it is a valid MD5). A name Azure cannot hold (e.g. "content-owner", from
// S3 or OSS) is stored the way AzCopy's RenameIfInvalid does it: "rename_content_owner" =
// value and "rename_key_content_owner" = "content-owner"; apply_mtime() reverses it.
// invalid_argument when two renamed names collide or a value is not printable ASCII.
Result<Metadata> metadata_for_upload(const UploadOptions& opts, std::optional<std::string>* md5_b64,
                                     std::string_view remote);

}  // namespace cpsync::azure
