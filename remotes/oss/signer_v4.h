// remotes/oss/signer_v4.h — Alibaba OSS signature V4 (OSS4-HMAC-SHA256 with region,
// product "oss" and additional headers), as the Authorization header and as a signed URL.
// Pure: no I/O, the clock is an argument. Safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "remotes/oss/sign_common.h"

namespace cpsync::oss {

struct V4Scope {
  std::string region;  // "cn-hangzhou" (the endpoint's region without "oss-")
  std::string product = "oss";
};

// Lower-cased, de-duplicated and sorted; content-type, content-md5 and x-oss-* dropped
// (they are always signed).
std::vector<std::string> v4_fix_additional_headers(const std::vector<std::string>& names);
// "/bucket/key" escaped RFC 3986 style with '/' kept; "/" without a bucket.
std::string v4_canonical_uri(std::string_view bucket, std::string_view key);
// Sorted (JavaScript localeCompare of the raw names), names and values escaped; a missing
// value gives a bare name, an empty one "name=".
std::string v4_canonical_query(const QueryParams& q);
// The whole canonical request; `additional` must come from v4_fix_additional_headers.
std::string v4_canonical_request(std::string_view method, std::string_view bucket,
                                 std::string_view key, const QueryParams& query,
                                 const Headers& headers,
                                 const std::vector<std::string>& additional);
// "OSS4-HMAC-SHA256\n<datetime>\n<date>/<region>/<product>/aliyun_v4_request\n<hex sha256>".
std::string v4_string_to_sign(std::string_view datetime, const V4Scope& scope,
                              std::string_view canonical_request);
// Hex HMAC-SHA256 with the key chain "aliyun_v4"+secret -> date -> region -> product ->
// "aliyun_v4_request".
std::string v4_signature(std::string_view secret, std::string_view date, const V4Scope& scope,
                         std::string_view string_to_sign);

struct V4Signed {
  std::string canonical_request;
  std::string string_to_sign;
  std::string authorization;
};
// Sets x-oss-date (now), x-oss-content-sha256 (UNSIGNED-PAYLOAD unless given) and
// x-oss-security-token (with STS), then Authorization. Additional headers must be present.
V4Signed sign_v4_header(SignRequest& req, const Credentials& c, const V4Scope& scope,
                        const std::vector<std::string>& additional_headers, TimePoint now);

struct V4UrlRequest {
  std::string method = "GET";
  std::string bucket;
  std::string key;
  std::string base_url;  // as in V1UrlRequest: the escaped key follows after '/'
  QueryParams query;     // the caller's parameters (signed, kept first in the URL)
  Headers headers;       // headers the user of the URL will send (content-*, x-oss-*, ...)
  std::vector<std::string> additional_headers;
  int64_t expires = 3600;  // seconds
};
PresignedUrl presign_v4(const V4UrlRequest& r, const Credentials& c, const V4Scope& scope,
                        TimePoint now);

}  // namespace cpsync::oss
