// remotes/s3/remote_impl.h — S3Remote, the Remote implementation for S3 and S3-compatible
// stores: listings, deletes and unfinished uploads are the shared S3-compatible ones
// (s3compat/compat_remote.h); the rest is spread over one file per concern (objects.cc,
// multipart.cc, copy.cc, buckets.cc, s3_remote.cc). Internal to remotes/s3/.
// Thread-safe: all state is the immutable client and features.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remotes/remote.h"
#include "remotes/s3/client.h"
#include "remotes/s3compat/compat_remote.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/etag.h"
#include "remotes/s3compat/pending_xml.h"

namespace cpsync::s3 {

inline constexpr uint64_t kMinPart = 5 * kS3MiB;
inline constexpr uint64_t kMaxPart = 5 * kS3GiB;
inline constexpr uint64_t kMaxParts = 10000;
inline constexpr uint64_t kMaxObject = uint64_t{5} << 40;  // 5 TiB
inline constexpr std::string_view kMetaPrefix = "x-amz-meta-";

using s3compat::ListedPart;

// S3 as an S3-compatible dialect (dialect.cc).
extern const s3compat::Dialect kDialect;

class S3Remote : public s3compat::CompatRemote {
 public:
  explicit S3Remote(S3Options o);

  const Features& features() const override { return features_; }
  const std::string& name() const override { return client_.options().name; }
  const S3Client& client() const { return client_; }
  // The client's pipeline on S3's dialect, for the shared requests (s3compat/).
  s3compat::Endpoint endpoint() const override { return {&client_.pipeline(), &kDialect, name()}; }

  Result<ObjectInfo> stat(const ObjectRef& ref) override;
  Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) override;
  Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                         const UploadOptions& opts) override;
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                               const UploadOptions& opts) override;
  Result<std::unique_ptr<Upload>> continue_upload(const ObjectRef& ref, const std::string& handle,
                                                  const UploadOptions& opts) override;
  Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                      const ObjectInfo& src_info) override;
  Status make_bucket(const std::string& bucket) override;
  Status remove_bucket(const std::string& bucket) override;
  Result<std::string> link(const ObjectRef& ref, std::chrono::seconds expires) override;
  std::string endpoint_id() const override;
  std::string service_url() const override { return client_.options().endpoint_url(); }

 private:
  // UploadPartCopy in parts of copy_cutoff (copy.cc).
  Result<ObjectInfo> copy_multipart(const ObjectRef& src, const ObjectRef& dst,
                                    const ObjectInfo& src_info);

  S3Client client_;
  Features features_;
};

// Shared helpers (objects.cc).
// x-amz-meta-* headers for metadata (names lower-cased), with mtime added from opts.mtime.
Headers metadata_headers(const Metadata& meta, const std::optional<TimePoint>& mtime);
// ObjectInfo from HEAD/PUT response headers: size, etag, LastModified, user metadata,
// mtime from x-amz-meta-mtime, md5 from a single-part ETag or x-amz-meta-md5chksum.
ObjectInfo info_from_headers(const std::string& key, const Headers& h);
using s3compat::content_md5;
using s3compat::md5_from_etag;
using s3compat::unquote_etag;

}  // namespace cpsync::s3
