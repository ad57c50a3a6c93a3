// remotes/oss/client.h — builds, signs (V1 or V4) and sends one OSS request on the calling
// thread's HttpClient. Path style (endpoint/bucket/key) or virtual-hosted
// (bucket.endpoint/key). Immutable after construction: safe from many threads.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "remotes/oss/options.h"

namespace cpsync::oss {

struct OssCall {
  std::string method = "GET";
  std::string bucket;  // "" for service requests
  std::string key;     // raw; "" for bucket requests
  QueryParams query;   // raw values; nullopt = bare name
  Headers headers;
  const char* body = nullptr;  // not owned
  size_t body_size = 0;
  std::string_view op = "other";  // request counter label
};

class OssClient {
 public:
  explicit OssClient(OssOptions o) : o_(std::move(o)) {}
  const OssOptions& options() const { return o_; }

  // The escaped URL of a call (no signature for header signing).
  std::string url(const OssCall& c) const;
  // scheme://host[/bucket] or scheme://bucket.host: what an escaped key follows after '/'.
  std::string base_url(std::string_view bucket) const;
  // Signs with the current time and sends. Any HTTP status is a successful Result.
  Result<HttpResponse> send(const OssCall& c, const BodySink& sink = nullptr) const;
  // "oss 'remote:bucket/key'" for messages.
  std::string describe(std::string_view bucket, std::string_view key = {}) const;
  // A presigned URL for method on bucket/key, valid for `expires` seconds.
  std::string presign(std::string_view method, std::string_view bucket, std::string_view key,
                      int64_t expires) const;

 private:
  OssOptions o_;
};

// The key escaped for a URL path: RFC 3986 per segment, '/' kept, and "." / ".." segments
// escaped so that no client normalises them away.
std::string escape_key_path(std::string_view key);

}  // namespace cpsync::oss
