// remotes/s3/client.h — builds, signs and sends one S3 request: endpoint and addressing
// (path style or virtual-hosted), SigV4 header auth, presigned URLs. send() never retries;
// call() retries throttled/transient failures with core/retry.h and maps errors.
// Every request signs with the remote's current credentials (credentials/cache.h); a
// request rejected as expired refreshes them once and is sent again.
// Safe from many threads at once: the options are immutable, the credential cache is
// thread-safe, and each thread uses its own http_client().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/s3/credentials/cache.h"
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
  explicit S3Client(S3Options o);
  const S3Options& options() const { return opt_; }
  // The remote's credentials; nullptr for anonymous remotes.
  CredentialCache* credentials() const { return creds_.get(); }

  // Path style is used when configured, for IP or non-DNS-compatible bucket names, and for
  // dotted names over https (the wildcard certificate would not match).
  bool path_style_for(std::string_view bucket) const;
  std::string host_for(std::string_view bucket) const;
  std::string path_for(std::string_view bucket, std::string_view key) const;

  // Signs and sends once (twice when the first answer rejects the credentials as expired
  // and a refresh gives new ones). Any HTTP status is a successful Result; transport
  // failures are Errc::transient (already prefixed with the remote via ctx); failing to
  // obtain credentials is the provider's one-line error (Errc::access_denied mostly).
  Result<HttpResponse> send(const S3Call& c, const ErrorContext& ctx,
                            const BodySink& sink = nullptr) const;
  // send() with retries; a non-2xx response (or a 200 <Error> body) becomes to_status().
  Result<HttpResponse> call(const S3Call& c, const ErrorContext& ctx) const;

  // A presigned URL for method on bucket/key, valid for `expires`.
  Result<std::string> presigned_url(std::string_view method, std::string_view bucket,
                                    std::string_view key, std::chrono::seconds expires) const;

 private:
  Result<HttpResponse> send_as(const S3Call& c, const ErrorContext& ctx, const BodySink& sink,
                               const Credentials* creds) const;

  S3Options opt_;
  std::shared_ptr<CredentialCache> creds_;
};

TimePoint now_utc();

}  // namespace cpsync::s3
