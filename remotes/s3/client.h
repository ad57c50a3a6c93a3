// remotes/s3/client.h — S3 addressing (endpoint, path style or virtual-hosted) on the one
// request pipeline (remotes/http/pipeline.h): SigV4 with the remote's refreshing
// credentials, S3's error mapping, retries, clock-skew correction; and presigned URLs.
// Safe from many threads at once: the options are immutable, the credential cache is
// thread-safe, and each thread uses its own http_client().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/http/pipeline.h"
#include "remotes/s3/credentials/cache.h"
#include "remotes/s3/errors.h"
#include "remotes/s3/options.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {

// One S3 request (the pipeline's description; sign_body signs small XML bodies).
using S3Call = http::Request;

class S3Client {
 public:
  explicit S3Client(S3Options o);
  const S3Options& options() const { return opt_; }
  // The remote's credentials; nullptr for anonymous remotes.
  CredentialCache* credentials() const { return creds_.get(); }
  const http::Pipeline& pipeline() const { return *pipeline_; }

  // Path style is used when configured, for IP or non-DNS-compatible bucket names, and for
  // dotted names over https (the wildcard certificate would not match).
  bool path_style_for(std::string_view bucket) const;
  std::string host_for(std::string_view bucket) const;
  std::string path_for(std::string_view bucket, std::string_view key) const;

  // With retries (the pipeline's send); a non-2xx response (or a 200 <Error> body) becomes
  // to_status(), naming c.what() (set it with c.with_verb("stat")), the bucket and the key.
  Result<HttpResponse> call(const S3Call& c) const;

  // A presigned URL for method on bucket/key, valid for `expires`.
  Result<std::string> presigned_url(std::string_view method, std::string_view bucket,
                                    std::string_view key, std::chrono::seconds expires) const;

 private:
  S3Options opt_;
  std::shared_ptr<CredentialCache> creds_;
  std::shared_ptr<const http::Pipeline> pipeline_;  // shared by copies
};

TimePoint now_utc();

}  // namespace cpsync::s3
