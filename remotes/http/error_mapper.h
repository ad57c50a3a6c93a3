// remotes/http/error_mapper.h — the one place per backend where an HTTP failure becomes a
// Status: Errc (the retry class), provider_code, request id, which resource was missing
// (Status::missing) and one line naming the remote, the resource and what to fix.
// Implementations are immutable and safe from any thread.
#pragma once

#include "core/http.h"
#include "core/status.h"
#include "remotes/http/request.h"

namespace cpsync::http {

class ErrorMapper {
 public:
  virtual ~ErrorMapper() = default;
  // A non-2xx response, or a 2xx whose body is_error_body().
  virtual Status map(const HttpResponse& r, const Request& req) const = 0;
  // A transport failure (refused, reset, timeout: no HTTP answer), named for the user.
  virtual Status transport(const Status& s, const Request& req) const = 0;
  // True when a 2xx answer is really an error document (S3's CopyObject and
  // CompleteMultipartUpload can answer 200 with <Error>).
  virtual bool is_error_body(const HttpResponse& r) const {
    (void)r;
    return false;
  }
  // True when `refused` says the request's signing time was too far from the server's
  // (S3 and OSS RequestTimeTooSkewed; Azure's "Request date header too old").
  virtual bool clock_skewed(const HttpResponse& r, const Status& refused) const {
    (void)r;
    return refused.provider_code == "RequestTimeTooSkewed";
  }
};

}  // namespace cpsync::http
