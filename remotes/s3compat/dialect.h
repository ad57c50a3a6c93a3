// remotes/s3compat/dialect.h — what sets one S3-compatible service apart from another, as data
// (header prefixes, part limits, listing quirks, how messages name things), and Endpoint: one
// remote's pipeline joined with its dialect, which the shared request code (listing.h,
// requests.h) sends through. The backends (remotes/s3, remotes/oss) keep only their own parts:
// addressing, signing, error mapping, checksums.
// Dialects are constants; an Endpoint borrows its pipeline and dialect and is safe from many
// threads at once (the pipeline is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/http/pipeline.h"
#include "remotes/http/request.h"

namespace cpsync::s3compat {

struct Dialect {
  std::string_view name;           // "s3", "oss"
  std::string_view header_prefix;  // "x-amz-": copy-source(-range, -if-match), metadata-directive
  std::string_view meta_prefix;    // "x-amz-meta-": user metadata
  uint64_t min_part = 0;           // multipart limits
  uint64_t max_part = 0;
  uint64_t max_parts = 0;
  uint64_t max_object = 0;
  uint64_t max_copy = 0;  // the largest source CopyObject takes in one request
  // The listing's NextContinuationToken is url-encoded too when keys are (OSS).
  bool token_url_encoded = false;
  // ListBuckets pages with max-keys and marker (OSS); else one request (S3).
  bool paged_bucket_list = false;
  // PUT and POST always carry a body, empty when the request has none (OSS wants
  // Content-Length: 0 where S3 takes no body).
  bool body_on_writes = false;
  // An object's storage class when a listing, HEAD or GET leaves it out: S3 omits STANDARD
  // (rclone shows STANDARD then); OSS always names it.
  std::string_view default_storage_class = "";
  // A request's subject in messages: "s3 remote 'aws': 'b/k'", "oss 'remote:b/k'".
  std::string (*describe)(std::string_view remote, std::string_view bucket,
                          std::string_view key) = nullptr;
};

// One remote on one dialect: its name and its client's pipeline (which must outlive it).
struct Endpoint {
  const http::Pipeline* pipeline = nullptr;
  const Dialect* dialect = nullptr;
  std::string remote;

  // With the pipeline's retries; a non-2xx answer is the backend's mapped Status.
  Result<HttpResponse> call(http::Request r) const;
  // One attempt: any HTTP status is a successful Result.
  Result<HttpResponse> send_once(http::Request r) const;
  std::string describe(std::string_view bucket, std::string_view key = {}) const {
    return dialect->describe(remote, bucket, key);
  }
  // The dialect's name for a header: header("copy-source") is "x-amz-copy-source" on S3.
  std::string header(std::string_view suffix) const {
    return std::string(dialect->header_prefix) + std::string(suffix);
  }
};

// A malformed or inconsistent answer: "<what>: <detail>", Errc::corrupt.
Status corrupt(std::string_view what, std::string_view detail);

}  // namespace cpsync::s3compat
