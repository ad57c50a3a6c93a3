// remotes/oss/oss_remote.cc — OssRemote construction, features and the helpers the
// concern files share.
#include "remotes/oss/oss_remote.h"

#include "core/crc64.h"
#include "core/crypto.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"
#include "remotes/s3compat/object_info.h"

namespace cpsync {

std::span<const OptionSpec> oss_option_schema() {
  return oss::option_schema();
}

Result<std::unique_ptr<Remote>> make_oss_remote(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(oss::OssOptions o, oss::OssOptions::from_section(section));
  return std::unique_ptr<Remote>(std::make_unique<oss::OssRemote>(std::move(o)));
}

Result<std::string> oss_credential_source(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(oss::OssOptions o, oss::OssOptions::from_section(section));
  return oss::planned_source(oss::chain_settings(o));
}

namespace oss {

OssRemote::OssRemote(OssOptions o) : client_(std::move(o)) {
  features_.server_side_copy = true;
  features_.server_side_copy_across_accounts = true;  // x-oss-copy-source names any bucket
  features_.metadata_in_listing = false;
  features_.etag_is_md5 = true;
  features_.buckets = true;
  features_.presign = true;
  features_.resume_uploads = true;
  features_.pending_uploads = true;
  features_.shared_uploads = true;
  features_.whole_md5 = WholeMd5::at_begin;  // md5chksum metadata at InitiateMultipartUpload
  features_.part_check = client_.options().part_check;  // part_checksum: crc64_ecma, md5, none
  features_.parts = PartPolicy{kOssMinPart, kOssMaxPart, kOssMaxParts, kOssMaxObject, kOssMaxPart};
  features_.chunk_size = client_.options().chunk_size;  // OSS has no upload_cutoff key
}

std::string OssRemote::endpoint_id() const {
  const OssOptions& o = client_.options();
  const std::string who = o.credentials.access_key_id.empty()
                              ? "chain:" + o.credential_provider + ":" + o.ecs_role_name
                              : o.credentials.access_key_id;
  return "oss:" + o.endpoint + "#" + who + (o.role_arn.empty() ? "" : "|" + o.role_arn);
}

Result<std::string> OssRemote::link(const ObjectRef& ref, std::chrono::seconds expires) {
  int64_t secs = expires.count();
  if (secs <= 0) secs = 3600;
  if (client_.options().signature == SignatureVersion::v4 && secs > 604800)
    return Status{Errc::invalid_argument,
                  client_.describe(ref.bucket, ref.key) +
                      ": link: V4 signed URLs last at most 7 days (604800 s)"};
  return client_.presign("GET", ref.bucket, ref.key, secs);
}

void add_metadata_headers(Headers& h, const UploadOptions& opts) {
  bool has_mtime = false;
  for (const auto& [k, v] : opts.metadata) {
    std::string name = to_lower(k);
    if (name == kMetaMtime) has_mtime = true;
    h.emplace_back("x-oss-meta-" + name, v);
  }
  if (!has_mtime && opts.mtime)
    h.emplace_back("x-oss-meta-mtime", format_unix_seconds(*opts.mtime));
}

ObjectInfo info_from_headers(const HttpResponse& r, std::string key) {
  return s3compat::info_from_headers(kDialect, std::move(key), r.headers);
}

Status check_crc64(const HttpResponse& r, uint64_t expected, std::string_view op,
                   std::string_view what, bool required) {
  const std::string* h = r.header("x-oss-hash-crc64ecma");
  if (!h) {
    if (!required) return Status::OK();
    return corrupt(op, what, "the response has no x-oss-hash-crc64ecma header");
  }
  uint64_t got = 0;
  if (!crc64_parse(trim(*h), got))
    return corrupt(op, what, "malformed x-oss-hash-crc64ecma '" + *h + "'");
  if (got != expected)
    return corrupt(op, what,
                   "CRC-64 mismatch: the server stored " + crc64_to_string(got) + ", we sent " +
                       crc64_to_string(expected));
  return Status::OK();
}

}  // namespace oss
}  // namespace cpsync
