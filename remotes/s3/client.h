// remotes/s3/client.h — builds, signs and sends one S3 request: endpoint and addressing
// (path style or virtual-hosted), SigV4 header auth, presigned URLs. send() never retries;
// call() retries throttled/transient failures with core/retry.h and maps errors.
// Const and stateless apart from the options: safe from many threads at once (each thread
// uses its own http_client()).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/s3/errors.h"
#include "remotes/s3/options.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {

struct S3Call {
  std::string method = "GET";
  std::string bucket;  // "" for service-level requests (ListBuckets)
  std::string key;     // "" for bucket-level requests
  QueryParams query;
  Headers headers;             // extra headers: content-md5, x-amz-meta-*, range, ...
  const char* body = nullptr;  // not owned
  size_t body_size = 0;
  // true: sign the SHA-256 of the body (small XML bodies); false: UNSIGNED-PAYLOAD for
  // bodies (they carry Content-MD5 instead) and the empty hash without one.
  bool sign_body = false;
  std::string_view op = "other";  // request counter label
};

class S3Client {
 public:
  explicit S3Client(S3Options o) : opt_(std::move(o)) {}
  const S3Options& options() const { return opt_; }

  // Path style is used when configured, for IP or non-DNS-compatible bucket names, and for
  // dotted names over https (the wildcard certificate would not match).
  bool path_style_for(std::string_view bucket) const;
  std::string host_for(std::string_view bucket) const;
  std::string path_for(std::string_view bucket, std::string_view key) const;

  // Signs and sends once. Any HTTP status is a successful Result; transport failures are
  // Errc::transient (already prefixed with the remote via ctx).
  Result<HttpResponse> send(const S3Call& c, const ErrorContext& ctx,
                            const BodySink& sink = nullptr) const;
  // send() with retries; a non-2xx response (or a 200 <Error> body) becomes to_status().
  Result<HttpResponse> call(const S3Call& c, const ErrorContext& ctx) const;

  // A presigned URL for method on bucket/key, valid for `expires`.
  Result<std::string> presigned_url(std::string_view method, std::string_view bucket,
                                    std::string_view key, std::chrono::seconds expires) const;

 private:
  S3Options opt_;
};

TimePoint now_utc();

}  // namespace cpsync::s3
