// remotes/oss/signer_v1.h — Alibaba OSS signature V1 (HMAC-SHA1 over a canonical string
// with the sub-resource list), as the Authorization header and as a signed URL.
// Pure: no I/O, the clock is an argument. Safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "remotes/oss/sign_common.h"

namespace cpsync::oss {

// True for the query parameters OSS signs in V1 (acl, uploads, uploadId, partNumber,
// delete, continuation-token, response-*, x-oss-process, ...). Others (prefix, marker,
// max-keys, list-type, ...) are sent but not signed.
bool is_v1_subresource(std::string_view name);

// "/bucket/key" (raw key) plus "?a&b=c" with the given sub-resources sorted by name.
// Service-level requests (no bucket) give "/".
std::string v1_canonical_resource(std::string_view bucket, std::string_view key,
                                  const QueryParams& sub_resources);
// METHOD \n Content-MD5 \n Content-Type \n date \n x-oss-*:v ... \n resource.
std::string v1_string_to_sign(std::string_view method, const Headers& headers,
                              std::string_view date, std::string_view canonical_resource);
// base64(HMAC-SHA1(secret, string_to_sign)).
std::string v1_signature(std::string_view secret, std::string_view string_to_sign);

struct V1Signed {
  std::string string_to_sign;
  std::string authorization;  // "OSS AK:signature"
};
// Sets x-oss-date (RFC 1123 of now) and x-oss-security-token (with STS credentials), then
// Authorization. Only the query's sub-resources are signed.
V1Signed sign_v1_header(SignRequest& req, const Credentials& c, TimePoint now);

struct V1UrlRequest {
  std::string method = "GET";
  std::string bucket;
  std::string key;
  // scheme://host[:port] for virtual-hosted, or scheme://host[:port]/bucket for path
  // style; the escaped key follows after '/'.
  std::string base_url;
  QueryParams sub_resources;  // signed and added to the URL, in this order
  Headers headers;            // Content-Type, Content-MD5, x-oss-* the user will send
  int64_t expires_epoch = 0;  // unix seconds when the URL stops working
};
// Query: OSSAccessKeyId, Expires, Signature, then the sub-resources (and security-token).
PresignedUrl presign_v1(const V1UrlRequest& r, const Credentials& c);

}  // namespace cpsync::oss
