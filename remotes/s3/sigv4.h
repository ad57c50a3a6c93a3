// remotes/s3/sigv4.h — AWS Signature Version 4 for S3: header auth and presigned URLs.
// Pure functions (no I/O; the clock is an argument), so the SDK vectors pin every byte.
// Safe from any thread.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http.h"
#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::s3 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // "" when none (STS gives one)
};

// Query parameters as decoded (raw) name/value pairs; "" gives "name=".
using QueryParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr int64_t kMaxPresignExpiry = 604800;  // 7 days, the SigV4 limit

struct SigV4Request {
  std::string method = "GET";
  // The request path exactly as sent: escaped once by the caller (see object_path), never
  // escaped again or normalised by the signer ("//", "." and ".." stay).
  std::string path = "/";
  QueryParams query;
  Headers headers;  // must include "host"
};

struct SigV4Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // hex
  std::string authorization;   // header auth only: the Authorization header value
  Headers headers;             // headers to send (header auth: plus x-amz-date, token, auth)
  QueryParams query;           // query to send (presign: plus the X-Amz-* parameters)
  std::string query_string;    // `query` escaped and sorted by name, without '?'
};

// Escapes an object key for the path: every '/'-separated segment RFC 3986-escaped once,
// '/' kept. "a b/c+d" -> "a%20b/c%2Bd".
std::string escape_key(std::string_view key);
// The request path for bucket/key: path style "/bucket/key", virtual-hosted "/key".
// An empty key gives "/bucket" (path style) or "/" (virtual-hosted).
std::string object_path(std::string_view bucket, std::string_view key, bool path_style);

// Canonical query: names and values escaped, sorted by escaped name (then value).
std::string canonical_query(const QueryParams& q);
// The query as sent: sorted by raw name, escaped (the form the SDKs' URL formatter uses).
std::string format_query(const QueryParams& q);

// The payload hash line: the x-amz-content-sha256 header when present, else SHA-256 of body.
std::string payload_hash(const Headers& headers, std::string_view body);

// Header auth. payload_hash is the hex SHA-256 of the body or UNSIGNED-PAYLOAD; it is not
// added as a header (send x-amz-content-sha256 yourself; S3 requires it). Any given
// authorization, x-amz-date and date headers are dropped; x-amz-date and, with a session
// token, x-amz-security-token are added and signed.
SigV4Signed sign_header(const SigV4Request& req, const Credentials& creds, std::string_view region,
                        TimePoint now, std::string_view payload_hash,
                        std::string_view service = "s3");

// Presigned query auth, as the S3 presigner does it: UNSIGNED-PAYLOAD; content-type is not
// signed; x-amz-server-side-encryption* headers stay signed headers; every other x-amz-*
// header moves into the query with its raw value. expires: 1..604800 seconds, else
// invalid_argument.
Result<SigV4Signed> presign(const SigV4Request& req, const Credentials& creds,
                            std::string_view region, TimePoint now, int64_t expires_seconds,
                            std::string_view service = "s3");

}  // namespace cpsync::s3
