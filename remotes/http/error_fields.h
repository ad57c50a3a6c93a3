// remotes/http/error_fields.h — the fields every provider's error answer carries, read into
// a Status: the code (the XML <Error><Code>, or the dialect's code header, the only code a
// HEAD answer has), the first line of <Message> (redacted), the request id, Retry-After,
// and the Errc from the HTTP status and the code: 404 not_found, 401/403 access_denied,
// 409/412 conflict, 416 invalid_argument, 429/503/SlowDown/ServerBusy/Throttling throttled,
// other 5xx and RequestTimeout/InternalError transient, 400 BadDigest/InvalidDigest
// corrupt, else permanent. The backends' ErrorMappers build their messages on it. Pure.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"

namespace cpsync::http {

struct ErrorDialect {
  std::string_view code_header;        // "" (S3), "x-ms-error-code", "x-oss-ec"
  std::string_view request_id_header;  // "x-amz-request-id", "x-ms-request-id", ...
};
inline constexpr ErrorDialect kS3Errors{"", "x-amz-request-id"};
inline constexpr ErrorDialect kAzureErrors{"x-ms-error-code", "x-ms-request-id"};
inline constexpr ErrorDialect kOssErrors{"x-oss-ec", "x-oss-request-id"};

// message: "<what>: <errc name>[: <provider message>]". provider_message, when given,
// receives the provider's one-line message alone ("" when none), for the mappers' own text.
Status error_fields(const HttpResponse& r, std::string_view what, const ErrorDialect& d,
                    std::string* provider_message = nullptr);

}  // namespace cpsync::http
