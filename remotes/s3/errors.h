// remotes/s3/errors.h — the one place S3 HTTP failures become cpsync Status values, with
// one clear line naming the remote, the bucket/object and what to fix. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"

namespace cpsync::s3 {

// What a request was about, for messages.
struct ErrorContext {
  std::string_view remote;  // "aws"
  std::string_view op;      // "stat", "read", "put", "list", "copy", ...
  std::string_view bucket;  // may be empty (ListBuckets)
  std::string_view key;     // may be empty (bucket-level requests)
};

// Maps a non-2xx response (or a 200 with an <Error> body, as CopyObject and
// CompleteMultipartUpload can return) to a Status. Builds on http::error_fields for the code,
// request id and Errc, then rewrites the message, e.g.
// "s3 remote 'aws': access denied for bucket 'b' (InvalidAccessKeyId): check
//  access_key_id/secret_access_key".
Status to_status(const HttpResponse& r, const ErrorContext& ctx);

// Prefixes a transport failure (refused, reset, timeout) with the remote and object.
Status transport_status(const Status& s, const ErrorContext& ctx);

// True when a 2xx body is really an S3 <Error> document.
bool is_error_body(std::string_view body);

}  // namespace cpsync::s3
