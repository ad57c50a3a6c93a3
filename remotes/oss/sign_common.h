// remotes/oss/sign_common.h — the request description both OSS signers read, and the
// string helpers they share (JavaScript-compatible escaping, as the ali-oss SDK does it).
// Pure functions and plain values: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http.h"
#include "remotes/http/request.h"
#include "remotes/remote.h"

namespace cpsync::oss {

struct Credentials {
  std::string access_key_id;
  std::string access_key_secret;
  std::string security_token;  // STS; "" when none
};

// One query parameter, raw (decoded). No value (nullopt) is a bare name such as "?uploads".
using QueryParam = http::QueryParam;
using QueryParams = http::QueryParams;

// What the header signers read and extend (they add x-oss-date, the token and Authorization).
struct SignRequest {
  std::string method = "GET";
  std::string bucket;  // "" for service-level requests (ListBuckets)
  std::string key;     // raw object key; "" for bucket-level requests
  QueryParams query;   // every query parameter, in the order they are sent
  Headers headers;     // as they will be sent
};

// A presigned URL and the intermediate strings (for tests and debugging).
struct PresignedUrl {
  std::string canonical_request;  // V4 only
  std::string string_to_sign;
  std::string signature;
  QueryParams query;  // final query, in URL order
  std::string url;
};

// JavaScript encodeURIComponent: leaves A-Za-z0-9 and -_.!~*'() raw, escapes the rest.
std::string js_encode_component(std::string_view s);
// encodeURIComponent with "%2F" turned back into "/": the SDK's object path escaping.
std::string js_encode_path(std::string_view s);
// Node querystring.stringify: name=value pairs joined by '&'; no value gives "name=".
std::string js_query_string(const QueryParams& q);
// Trims leading and trailing ASCII whitespace (JavaScript String.trim for ASCII).
std::string trim(std::string_view s);
std::string to_lower(std::string_view s);
// Case-insensitive lookup without the transport; nullptr when absent (last one wins).
const std::string* header_value(const Headers& h, std::string_view lower_name);
// Sets (replacing any case variant) or appends a header.
void set_header(Headers& h, std::string_view name, std::string value);
// Unix seconds of t.
int64_t unix_seconds(TimePoint t);

}  // namespace cpsync::oss
