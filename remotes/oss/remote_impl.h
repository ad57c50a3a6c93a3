// remotes/oss/remote_impl.h — the OssRemote class, internal to remotes/oss/. Its methods
// live in one file per concern: objects.cc (stat, read, put), multipart.cc, copy.cc,
// buckets.cc, oss_remote.cc (link); listings, deletes and unfinished uploads are the shared
// S3-compatible ones (s3compat/compat_remote.h). Stateless beyond its immutable client: safe from
// many threads at once.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "remotes/oss/client.h"
#include "remotes/remote.h"
#include "remotes/s3compat/compat_remote.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/etag.h"

namespace cpsync::oss {

inline constexpr uint64_t kOssMinPart = 100 * 1024;  // 100 KiB
inline constexpr uint64_t kOssMaxPart = 5ull << 30;  // 5 GiB
inline constexpr uint64_t kOssMaxParts = 10000;
inline constexpr uint64_t kOssMaxObject = kOssMaxPart * kOssMaxParts;  // 48.8 TiB
inline constexpr uint64_t kOssCopyLimit = 1ull << 30;  // CopyObject: sources <= 1 GiB

// OSS as an S3-compatible dialect (dialect.cc).
extern const s3compat::Dialect kDialect;

class OssRemote : public s3compat::CompatRemote {
 public:
  explicit OssRemote(OssOptions o);

  const Features& features() const override { return features_; }
  const std::string& name() const override { return client_.options().remote_name; }

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
  std::string service_url() const override { return client_.options().endpoint; }

  const OssClient& client() const { return client_; }
  // The client's pipeline on OSS's dialect, for the shared requests (s3compat/).
  s3compat::Endpoint endpoint() const override {
    return {&client_.pipeline(), &kDialect, client_.options().remote_name};
  }

 protected:
  s3compat::ListSettings list_settings() const override {
    return {client_.options().list_version, client_.options().list_chunk};
  }

 private:
  Result<ObjectInfo> copy_multipart(const ObjectRef& src, const ObjectRef& dst,
                                    const ObjectInfo& src_info);

  OssClient client_;
  Features features_;
};

// Shared by the concern files.
// x-oss-meta-* headers for user metadata (names lower-cased), plus mtime from opts.
void add_metadata_headers(Headers& h, const UploadOptions& opts);
// ObjectInfo from HEAD/GET response headers (size, etag, md5, mtime, metadata).
ObjectInfo info_from_headers(const HttpResponse& r, std::string key);
using s3compat::content_md5;
using s3compat::md5_from_etag;  // OSS ETags are upper-case hex: md5 is the lower-case form
using s3compat::unquote_etag;
// The CRC64 a write response carries, compared with ours; corrupt on mismatch, ok when the
// header is absent only if `required` is false.
Status check_crc64(const HttpResponse& r, uint64_t expected, std::string_view op,
                   std::string_view what, bool required = true);

}  // namespace cpsync::oss
