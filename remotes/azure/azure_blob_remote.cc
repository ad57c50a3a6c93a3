// remotes/azure/azure_blob_remote.cc — AzureRemote: construction, features, stat, ranged
// reads, single Put Blob, delete, containers and SAS links; the registry entry points.
#include "remotes/azure/azure_blob_remote.h"

#include <cstdint>
#include <cstdlib>

#include "core/crypto.h"
#include "core/log.h"
#include "core/retry.h"
#include "remotes/azure/azure_info.h"
#include "remotes/azure/azure_remote.h"
#include "remotes/azure/azure_xml.h"
#include "remotes/azure/sas.h"
#include "remotes/azure/user_delegation.h"
#include "remotes/content_headers.h"

namespace cpsync::azure {

namespace {
// The object's size from "Content-Range: bytes a-b/total", else Content-Length.
uint64_t total_size(const Headers& h) {
  if (const std::string* cr = find_header(h, "Content-Range")) {
    size_t slash = cr->rfind('/');
    if (slash != std::string::npos && slash + 1 < cr->size() && (*cr)[slash + 1] != '*')
      return std::strtoull(cr->c_str() + slash + 1, nullptr, 10);
  }
  const std::string* cl = find_header(h, "Content-Length");
  return cl ? std::strtoull(cl->c_str(), nullptr, 10) : UINT64_MAX;
}

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}
}  // namespace

AzureRemote::AzureRemote(AzureOptions o)
    : client_(std::move(o)),
      keys_(std::make_unique<DelegationKeyCache>([this](TimePoint start, TimePoint expiry) {
        auto k = get_user_delegation_key(client_, start, expiry);
        // When, never what: the key signs every URL until then.
        if (k.ok())
          log_debug(remote_label(name()) + ": user delegation key until " + k->signed_expiry);
        return k;
      })) {
  features_.server_side_copy = true;
  features_.metadata_in_listing = true;
  features_.etag_is_md5 = false;  // Azure ETags are opaque versions
  features_.buckets = true;
  // With an Azure AD token the URLs are user delegation SAS, signed with one cached key.
  features_.presign =
      client_.options().mode == AuthMode::shared_key || client_.options().mode == AuthMode::bearer;
  features_.resume_uploads = true;
  features_.pending_uploads = true;
  features_.shared_uploads = true;
  features_.whole_md5 = WholeMd5::at_commit;            // x-ms-blob-content-md5 at Put Block List
  features_.part_check = client_.options().part_check;  // part_checksum: crc64_nvme, md5, none
  features_.parts.min_part = 1;
  features_.parts.max_part = kMaxBlockSize;
  features_.parts.max_parts = kMaxBlocks;
  features_.parts.max_object = kMaxBlockSize * kMaxBlocks;  // ~190.7 TiB
  features_.parts.max_single_put = kMaxPutBlob;
  // One request that large cannot resume: by default single puts stop at upload_cutoff
  // (256 MiB), and at the run's buffer budget (sync/upload_sizes.h).
  features_.chunk_size = client_.options().chunk_size;
  features_.upload_cutoff = client_.options().upload_cutoff;
  // Put Blob / Put Block From URL (azure_copy_from_url.cc), per the copy_from_url key.
  features_.copy_from_url = client_.options().copy_from_url;
  features_.max_put_from_url = kMaxPutBlob;
}

std::string AzureRemote::endpoint_id() const {
  return client_.options().endpoint + "#" + client_.options().account;
}

Status AzureRemote::check_ref(const ObjectRef& ref, bool need_key) const {
  if (ref.bucket.empty())
    return Status{Errc::invalid_argument, remote_label(name()) + ": no container given (use " +
                                              name() + ":container/path)"};
  if (need_key && ref.key.empty())
    return Status{Errc::invalid_argument,
                  remote_label(name()) + ": no object name given in '" + ref.bucket + "'"};
  return Status::OK();
}

Result<ObjectInfo> AzureRemote::stat(const ObjectRef& ref) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  AzureCall c;
  c.method = "HEAD";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "head";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  return info_from_headers(r.headers, ref.key);
}

Status AzureRemote::read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  if (range.length && *range.length == 0) return Status::OK();
  AzureCall c;
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "get";
  c.verb = "read";
  if (!range.if_match.empty()) c.headers.emplace_back("If-Match", "\"" + range.if_match + "\"");
  uint64_t delivered = 0;
  auto res = client_.get_range(c, range.offset, range.length, sink, &delivered);
  if (!res.ok()) return res.status();
  // Azure answers a range that starts at the end with 416; Azurite with no bytes.
  if (range.offset > 0 && delivered == 0 && range.offset >= total_size(res->headers))
    return Status{Errc::invalid_argument, remote_label(name()) + ": read '" + ref.bucket + "/" +
                                              ref.key + "': range starts past the end"};
  return Status::OK();
}

Result<ObjectInfo> AzureRemote::put(const ObjectRef& ref, const char* data, size_t len,
                                    const UploadOptions& opts) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  if (len > kMaxPutBlob)
    return Status{Errc::invalid_argument,
                  remote_label(name()) + ": '" + ref.bucket + "/" + ref.key +
                      "' is too large for one Put Blob (5000 MiB): use a block upload"};
  std::optional<std::string> given_md5;
  CPSYNC_ASSIGN_OR_RETURN(Metadata meta, metadata_for_upload(opts, &given_md5, name()));
  const std::string raw_md5 = put_body_md5(opts, data, len);
  const std::string md5 = base64_encode(raw_md5);
  if (given_md5 && *given_md5 != md5)
    return Status{Errc::corrupt, remote_label(name()) + ": '" + ref.bucket + "/" + ref.key +
                                     "': content does not match its md5chksum"};
  AzureCall c;
  c.method = "PUT";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "put";
  c.body = data;
  c.body_size = len;
  c.headers = {
      {"x-ms-blob-type", "BlockBlob"}, {"Content-MD5", md5}, {"x-ms-blob-content-md5", md5}};
  add_azure_content_headers(c.headers, with_default_type(opts.content));
  add_metadata_headers(c.headers, meta);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  ObjectInfo info;
  info.key = ref.key;
  info.size = len;
  info.etag = r.header_or("ETag");
  if (info.etag.size() >= 2 && info.etag.front() == '"')
    info.etag = info.etag.substr(1, info.etag.size() - 2);
  info.md5 = hex_lower(raw_md5);
  info.metadata = std::move(meta);
  info.content = with_default_type(opts.content);
  info.metadata_known = true;
  apply_mtime(info, r.header_or("Last-Modified"));
  return info;
}

Status AzureRemote::remove(const ObjectRef& ref) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  AzureCall c;
  c.method = "DELETE";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "delete";
  c.headers.emplace_back("x-ms-delete-snapshots", "include");
  auto r = client_.send(c);
  if (!r.ok() && r.status().code == Errc::not_found &&
      r.status().provider_code != "ContainerNotFound")
    return Status::OK();
  return r.ok() ? Status::OK() : r.status();
}

Status AzureRemote::make_bucket(const std::string& bucket) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ObjectRef{bucket, ""}, false));
  AzureCall c;
  c.method = "PUT";
  c.bucket = bucket;
  c.query = {{"restype", "container"}};
  c.op = "mkdir";
  auto r = client_.send(c);
  if (!r.ok() && r.status().provider_code == "ContainerAlreadyExists") return Status::OK();
  return r.ok() ? Status::OK() : r.status();
}

Status AzureRemote::remove_bucket(const std::string& bucket) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ObjectRef{bucket, ""}, false));
  // Azure deletes a container with everything in it; cpsync removes only empty ones.
  AzureCall probe;
  probe.bucket = bucket;
  probe.query = {{"restype", "container"}, {"comp", "list"}, {"maxresults", "1"}};
  probe.op = "list";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse lr, client_.send(probe));
  CPSYNC_ASSIGN_OR_RETURN(BlobPage page, parse_blob_list(lr.body));
  if (!page.entries.empty())
    return Status{Errc::conflict,
                  remote_label(name()) + ": container '" + bucket + "' is not empty"};
  AzureCall c;
  c.method = "DELETE";
  c.bucket = bucket;
  c.query = {{"restype", "container"}};
  c.op = "rmdir";
  auto r = client_.send(c);
  return r.ok() ? Status::OK() : r.status();
}

Result<std::string> AzureRemote::readable_url(const ObjectRef& ref,
                                              std::chrono::seconds valid) const {
  const AzureOptions& o = client_.options();
  if (o.mode == AuthMode::sas) return client_.url(ref.bucket, ref.key, {});
  // Within one account, Copy Blob reads the source with the request's own token.
  if (o.mode == AuthMode::anonymous || o.mode == AuthMode::bearer)
    return client_.resource_url(ref.bucket, ref.key);
  ServiceSasValues v;
  v.container = ref.bucket;
  v.blob = ref.key;
  v.permissions = "r";
  v.expires_on = now() + valid;
  if (o.endpoint.rfind("https://", 0) == 0) v.protocol = "https";
  CPSYNC_ASSIGN_OR_RETURN(SasToken t, make_service_sas(v, o.creds));
  return client_.resource_url(ref.bucket, ref.key) + "?" + t.query;
}

Result<std::string> AzureRemote::link(const ObjectRef& ref, std::chrono::seconds expires) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  const AuthMode mode = client_.options().mode;
  if (mode != AuthMode::shared_key && mode != AuthMode::bearer)
    return Status{Errc::not_supported,
                  remote_label(name()) +
                      ": link needs the account key or an Azure AD identity (a SAS is never "
                      "re-shared)"};
  if (expires.count() <= 0) expires = std::chrono::hours(24 * 7);
  if (expires > std::chrono::hours(24 * 365))
    return Status{Errc::invalid_argument,
                  remote_label(name()) + ": link expiry is limited to 365 days"};
  if (mode == AuthMode::bearer && expires > kMaxDelegationKeyLife)
    return Status{Errc::invalid_argument,
                  remote_label(name()) +
                      ": a link signed by an Azure AD identity (user delegation SAS) lasts at "
                      "most 7 days"};
  CPSYNC_RETURN_IF_ERROR(stat(ref).status());  // a link to nothing is an error
  if (mode == AuthMode::bearer) return delegation_link(ref, expires);
  return readable_url(ref, expires);
}

Result<std::string> AzureRemote::delegation_link(const ObjectRef& ref,
                                                 std::chrono::seconds expires) const {
  // Azure refuses a key that ends more than 7 days after its own clock: the SAS ends at most
  // DelegationKeyCache::kSkew short of that, for a clock ahead of Azure's.
  const TimePoint t = std::chrono::floor<std::chrono::seconds>(now());
  const TimePoint expiry = t + std::min<std::chrono::nanoseconds>(
                                   expires, kMaxDelegationKeyLife - DelegationKeyCache::kSkew);
  auto key = keys_->key_until(expiry);
  if (!key.ok()) {
    Status s = key.status();
    s.message = remote_label(name()) + ": link: " + s.message;
    return s;
  }
  ServiceSasValues v;
  v.container = ref.bucket;
  v.blob = ref.key;
  v.permissions = "r";
  v.expires_on = expiry;
  if (client_.options().endpoint.rfind("https://", 0) == 0) v.protocol = "https";
  CPSYNC_ASSIGN_OR_RETURN(SasToken sas,
                          make_user_delegation_sas(v, client_.options().account, *key));
  return client_.resource_url(ref.bucket, ref.key) + "?" + sas.query;
}

}  // namespace cpsync::azure

namespace cpsync {

std::span<const OptionSpec> azure_option_schema() {
  return azure::azure_options_schema();
}

Result<std::unique_ptr<Remote>> make_azure_remote(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(azure::AzureOptions o, azure::azure_options_from_section(section));
  return std::unique_ptr<Remote>(std::make_unique<azure::AzureRemote>(std::move(o)));
}

Result<std::string> azure_credential_source(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(azure::AzureOptions o, azure::azure_options_from_section(section));
  switch (o.mode) {
    case azure::AuthMode::shared_key:
      return "shared key (" + o.auth_source + ")";
    case azure::AuthMode::sas:
      return "SAS (" + o.auth_source + ")";
    case azure::AuthMode::anonymous:
      return std::string("anonymous (public containers only)");
    case azure::AuthMode::bearer:
      break;
  }
  return azure::planned_source(o.identity);
}

}  // namespace cpsync
