// remotes/oss/client.h — OSS addressing on the one request pipeline (remotes/http/):
// V1 or V4 signing (request_signers.h), OSS's error mapping, retries, clock-skew correction. Path
// style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key). Immutable after
// construction: safe from many threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/http.h"
#include "remotes/http/pipeline.h"
#include "remotes/oss/credentials/chain.h"
#include "remotes/oss/options.h"

namespace cpsync::oss {

// The credential chain's settings from the remote's options.
ChainSettings chain_settings(const OssOptions& o);

// One OSS request (the pipeline's description).
using OssCall = http::Request;

class OssClient {
 public:
  explicit OssClient(OssOptions o);
  const OssOptions& options() const { return o_; }
  const http::Pipeline& pipeline() const { return *pipeline_; }

  // The escaped URL of a call (no signature for header signing).
  std::string url(const OssCall& c) const;
  // scheme://host[/bucket] or scheme://bucket.host: what an escaped key follows after '/'.
  std::string base_url(std::string_view bucket) const;
  // One attempt on the pipeline: any HTTP status is a successful Result.
  Result<HttpResponse> send(const OssCall& c, const BodySink& sink = nullptr) const;
  // With retries of throttled/transient failures; a non-2xx answer becomes its Status
  // (errors.h), whose provider_code callers may test (NoSuchKey, ...).
  Result<HttpResponse> call(const OssCall& c) const;
  // "oss 'remote:bucket/key'" for messages.
  std::string describe(std::string_view bucket, std::string_view key = {}) const;
  // A presigned URL for method on bucket/key, valid for `expires` seconds (signed with the
  // current credentials; fails when none can be obtained).
  Result<std::string> presign(std::string_view method, std::string_view bucket,
                              std::string_view key, int64_t expires) const;
  // The remote's credentials (for -vv, stats and tests).
  CredentialCache& credentials() const { return *creds_; }

 private:
  OssOptions o_;
  std::shared_ptr<CredentialCache> creds_;
  std::shared_ptr<const http::Pipeline> pipeline_;  // shared by copies
};

// The key escaped for a URL path: RFC 3986 per segment, '/' kept, and "." / ".." segments
// escaped so that no client normalises them away.
std::string escape_key_path(std::string_view key);

}  // namespace cpsync::oss
