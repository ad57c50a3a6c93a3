// remotes/remote.h — the one interface every storage backend implements (local, s3,
// azureblob, oss). The sync engine reads features() and never asks which provider it
// talks to. A Remote may be called from many threads at once; an Upload's write_part may
// be called from many threads at once, but commit/abort only once, after all parts.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/part_size.h"
#include "core/status.h"
#include "core/time_point.h"

namespace cpsync {

// User metadata: lower-case names without provider prefix (x-amz-meta-, x-ms-meta-, ...).
using Metadata = std::map<std::string, std::string>;

// The standard HTTP headers an object keeps and serves back, carried across providers on
// every copy ("" = not set). S3 and OSS store them under their own names; Azure as the
// blob properties x-ms-blob-content-type, ... x-ms-blob-cache-control.
struct ContentHeaders {
  std::string type;           // Content-Type
  std::string encoding;       // Content-Encoding
  std::string language;       // Content-Language
  std::string disposition;    // Content-Disposition
  std::string cache_control;  // Cache-Control
  bool operator==(const ContentHeaders&) const = default;
};

// Where an object lives on a remote. For cloud remotes bucket is the bucket/container and
// key the full object key. For the local remote bucket is "" and key an absolute path.
struct ObjectRef {
  std::string bucket;
  std::string key;
};

struct ObjectInfo {
  std::string key;  // full key within the bucket
  uint64_t size = 0;
  TimePoint mtime{};  // source mtime from metadata when known, else LastModified
  bool mtime_from_metadata = false;
  std::string etag;                // unquoted; "" when the remote has none (local)
  std::optional<std::string> md5;  // lower-case hex of the whole content, when known
  Metadata metadata;               // user metadata (only meaningful when metadata_known)
  ContentHeaders content;          // stored content headers (also only when metadata_known)
  bool metadata_known = false;     // listing/stat included user metadata and content headers
  bool is_dir = false;             // a common prefix in delimiter listings ("dir/")
  // Storage class / access tier as the listing or stat reports it ("" unknown): S3's
  // StorageClass (STANDARD when S3 omits it), OSS's StorageClass, Azure's AccessTier.
  std::string tier;
};

// Names of the metadata keys cpsync writes, in rclone's conventions.
inline constexpr const char* kMetaMtime = "mtime";    // fractional unix seconds (S3/OSS/Azure)
inline constexpr const char* kMetaMd5 = "md5chksum";  // base64 MD5 for multipart objects

// Where an upload keeps the whole object's MD5 (rclone's places, so `rclone md5sum` and
// `check --checksum` can read it for objects written in parts).
enum class WholeMd5 {
  none,       // nowhere: the remote hashes its own bytes (local files)
  at_begin,   // md5chksum in UploadOptions::metadata, fixed when the upload begins (S3, OSS);
              // set_whole_md5 instead costs a server-side copy onto itself after the commit
  at_commit,  // Upload::set_whole_md5 before commit() (Azure: x-ms-blob-content-md5)
};

// The check an upload sends with (or verifies after) each part, chosen by the remote's
// part_checksum option: the caller computes it over the part's bytes in the same pass as the
// whole-object MD5 (remotes/part_sums.h) and gives it to write_summed_part.
enum class PartCheck {
  none,        // no per-part check
  md5,         // Content-MD5 (S3; Azure and OSS when part_checksum = md5)
  crc64_nvme,  // Azure's x-ms-content-crc64 (CRC-64/NVME), verified by the service
  crc64_ecma,  // OSS: the x-oss-hash-crc64ecma a part's response carries, compared with ours
};

// A part's checksums, computed by the caller; an unset one the upload computes if it needs it.
struct PartSums {
  std::string md5;                // raw 16 bytes, or empty
  std::optional<uint64_t> crc64;  // of the kind features().part_check names
};

// Capabilities as data.
struct Features {
  bool server_side_copy = false;  // copy_server_side works between two refs of this remote
  // copy_server_side reads the source bucket with this remote's own identity, so it also
  // works from another remote of the same service_url() (another account) whose buckets
  // this identity may read (S3 CopyObject, OSS CopyObject); an access_denied means it may not.
  bool server_side_copy_across_accounts = false;
  bool metadata_in_listing = false;  // listing includes user metadata (Azure, local mtime)
  bool etag_is_md5 = false;          // single-part ETag equals the MD5 of the content
  bool buckets = true;               // has buckets/containers (false for local)
  bool presign = false;              // link() is available
  bool resume_uploads = false;       // begin_upload honours UploadOptions::resume
  bool pending_uploads = false;      // list_pending_uploads/abort_pending_upload work
  // An upload begun here can be continued from another process (or machine) by its
  // Upload::handle() with continue_upload: parts written by many writers, one commit.
  bool shared_uploads = false;
  bool local_reads = false;  // reads are local file reads: reading twice costs no network
  WholeMd5 whole_md5 = WholeMd5::none;
  PartCheck part_check = PartCheck::none;  // what write_summed_part wants in its PartSums
  PartPolicy parts;
  // The remote's own upload sizes, from its config keys; 0 = no such key. They apply when
  // no --chunk-size / --upload-cutoff is given (sync/upload_sizes.h).
  uint64_t chunk_size = 0;     // chunk_size: preferred part size
  uint64_t upload_cutoff = 0;  // upload_cutoff: objects up to this size go in one PUT
  // copy_from_url works: the service fetches an object's bytes from a URL itself (Azure's
  // Put Blob From URL up to max_put_from_url bytes, else Put Block From URL + Put Block List).
  bool copy_from_url = false;
  uint64_t max_put_from_url = 0;
};

// What copy_from_url fetches: another remote's object, through URLs the destination's service
// GETs itself (presigned S3/OSS URLs, an Azure SAS). The URLs are secrets: never logged.
struct UrlCopySource {
  // A fresh short-lived GET URL of the source object, made for each request sent.
  std::function<Result<std::string>()> make_url;
  uint64_t size = 0;
  std::string etag;                // unquoted listed ETag: every fetch is conditional on it
  std::optional<std::string> md5;  // hex MD5 of the whole object, when the source knows it
  uint64_t single_max = 0;         // one request up to this size (capped by the remote)
  uint64_t block_size = 0;         // else blocks of this size, fetched `streams` at a time
  int streams = 4;
  std::atomic<uint64_t>* progress = nullptr;  // bytes fetched server-side so far; may be null
};

struct ListRequest {
  std::string bucket;
  std::string prefix;       // keys starting with this (no trailing-slash magic)
  bool recursive = true;    // false: delimiter "/" listing; common prefixes come as is_dir
  std::string start_after;  // resume after this key (exclusive); "" from the start
};

// Called once per page with keys in strictly increasing UTF-8 byte order across pages.
// A non-ok Status from the sink stops the listing and is returned by list().
using PageSink = std::function<Status(std::vector<ObjectInfo>& page)>;
// Receives a read body in pieces.
using DataSink = std::function<Status(const char* data, size_t len)>;

struct ByteRange {
  uint64_t offset = 0;
  std::optional<uint64_t> length;  // nullopt: to the end
  // When set (an unquoted ETag from a listing or stat), the read is conditional (If-Match):
  // Errc::conflict if the object has changed since. Remotes without ETags ignore it.
  std::string if_match = {};
  // When set, filled from the read's response with what it says of the object: etag, md5,
  // user metadata, content headers and stored mtime (metadata_known; size is not filled).
  // S3 and OSS send them with the bytes, so a copy carries them without a HEAD; local
  // stats the file. Azure may leave it untouched (its listing already carries them).
  ObjectInfo* info = nullptr;
};

struct UploadOptions {
  std::optional<uint64_t> size;    // nullopt: unknown length (parts of growing size)
  uint64_t part_size = 0;          // chosen by the caller with choose_part_size()
  Metadata metadata;               // user metadata to store (mtime, md5chksum, ...)
  ContentHeaders content;          // stored as given; an empty type is the remote's default
  std::optional<TimePoint> mtime;  // local: set the file mtime; clouds: stored as metadata
  // Adopt an unfinished upload of this key that an earlier (killed) run left behind, when
  // features().resume_uploads: write_part then sends nothing for a part the remote already
  // holds with the same number, size and MD5. S3/OSS adopt only an upload started at or
  // after `mtime` (its metadata was fixed when it started). None found: a new upload.
  bool resume = false;
  std::string body_md5;  // put(): raw 16-byte MD5 of the bytes when the caller has it already
};

// An unfinished multipart upload (S3/OSS) or a blob with only uncommitted blocks (Azure).
struct PendingUpload {
  std::string key;
  std::string upload_id;  // "" on Azure (blocks belong to the blob)
  TimePoint initiated{};  // Azure: unknown (the epoch)
};

// The raw MD5 of put()'s bytes: opts.body_md5 when given, else computed (hash once).
std::string put_body_md5(const UploadOptions& opts, const char* data, size_t len);

// A multipart upload (S3/OSS), block upload (Azure) or temp file (local).
// Nothing is visible at the destination until commit(). Destroying an Upload that was
// neither committed nor aborted aborts it.
class Upload {
 public:
  virtual ~Upload() = default;
  // Part numbers start at 1; offset is the part's byte offset in the object. Each part but
  // the last is at least PartPolicy::min_part. Sends the part check features().part_check names.
  virtual Status write_part(uint32_t part_number, uint64_t offset, const char* data,
                            size_t len) = 0;
  // write_part with the part's checksum (features().part_check) already computed by the
  // caller, so the upload does not read the bytes again for it. Same contract otherwise.
  virtual Status write_summed_part(uint32_t part_number, uint64_t offset, const char* data,
                                   size_t len, const PartSums& sums) {
    (void)sums;
    return write_part(part_number, offset, data, len);
  }
  // Makes the object visible, parts in order 1..N. Returns the stored object's info.
  virtual Result<ObjectInfo> commit() = 0;
  virtual Status abort() = 0;
  // Bytes write_part did not send because a resumed upload already held them.
  virtual uint64_t reused_bytes() const { return 0; }
  // The whole object's raw 16-byte MD5, learnt while its parts were written; call before
  // commit(). Azure stores it at the commit; S3 and OSS, whose metadata was fixed when the
  // upload began, add md5chksum after it by copying the object onto itself with the metadata
  // replaced (CopyObject: up to 5 GiB on S3, 1 GiB on OSS; a failure there is only logged).
  // Ignored where the MD5 is already in the metadata, and by local uploads.
  virtual void set_whole_md5(const std::string& raw) { (void)raw; }
  // Instead of abort(): leaves the parts stored so far where they are, for a later
  // begin_upload with UploadOptions::resume (features().resume_uploads) to adopt; the
  // destructor then does not abort. They stay stored (and billed) until adopted, or
  // removed by `cpsync cleanup`. Remotes that cannot resume abort as usual.
  virtual void keep_for_resume() { (void)abort(); }
  // What continue_upload needs to reach this upload from another process: the S3/OSS
  // upload id; Azure's blocks belong to the blob, so "" there. Only meaningful when
  // features().shared_uploads.
  virtual std::string handle() const { return ""; }
};

class Remote {
 public:
  virtual ~Remote() = default;
  virtual const Features& features() const = 0;
  // The remote's name from the config, e.g. "aws" — used in every message.
  virtual const std::string& name() const = 0;

  // Streams the listing page by page (see PageSink). A missing prefix is an empty listing;
  // a missing bucket is Errc::not_found.
  virtual Status list(const ListRequest& req, const PageSink& sink) = 0;
  // Errc::not_found when absent. Includes user metadata.
  virtual Result<ObjectInfo> stat(const ObjectRef& ref) = 0;
  // Streams the bytes of range into sink. A range past the end is invalid_argument.
  virtual Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) = 0;
  // Stores a whole object in one request (small objects).
  virtual Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                                 const UploadOptions& opts) = 0;
  // Starts a multipart/block upload.
  virtual Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                                       const UploadOptions& opts) = 0;
  // An upload begun by begin_upload (here or in another process) by its handle(), when
  // features().shared_uploads: other writers may be writing parts of it at the same time.
  // Its commit() takes every part the service holds that this object did not write, and
  // fails (Errc::invalid_argument) when a part between 1 and the last is held nowhere; a
  // commit after another writer's commit fails (the upload is gone). Destroying it neither
  // aborts nor commits. opts are begin_upload's, with the object's size and part size (a
  // commit takes only parts that fit them); the commit sets the metadata from them on Azure,
  // where S3 and OSS fixed it when the upload began.
  virtual Result<std::unique_ptr<Upload>> continue_upload(const ObjectRef& ref,
                                                          const std::string& handle,
                                                          const UploadOptions& opts) {
    (void)ref, (void)handle, (void)opts;
    return Status{Errc::not_supported, name() + ": continuing an upload from another process"};
  }
  // Copies src (on this same remote) to dst without passing data through the client,
  // keeping metadata. Only called when features().server_side_copy.
  virtual Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                              const ObjectInfo& src_info) {
    (void)src, (void)dst, (void)src_info;
    return Status{Errc::not_supported, name() + ": server-side copy"};
  }
  // Creates dst from the bytes this remote's service fetches from src's URLs itself (only
  // when features().copy_from_url), with opts' metadata and content headers, and the whole
  // MD5 when src.md5 is known (verified by the service where it fetches the object in one
  // request). Errc::not_supported means the service could not fetch the source (unreachable,
  // URL refused or expired): the caller may stream the object instead. Errc::conflict means
  // the source no longer has the listed ETag; Errc::corrupt that its bytes are not its MD5.
  virtual Result<ObjectInfo> copy_from_url(const UrlCopySource& src, const ObjectRef& dst,
                                           const UploadOptions& opts) {
    (void)src, (void)dst, (void)opts;
    return Status{Errc::not_supported, name() + ": copy from a URL"};
  }
  // Deleting an absent object is ok.
  virtual Status remove(const ObjectRef& ref) = 0;
  // Deletes many keys of one bucket (batched where the provider can); absent keys are ok.
  // Returns the first failure (and may then skip the rest). The default sends single
  // deletes, several at once.
  virtual Status remove_many(const std::string& bucket, const std::vector<std::string>& keys);

  // Buckets/containers (for local: directories).
  virtual Status list_buckets(const PageSink& sink) = 0;
  virtual Status make_bucket(const std::string& bucket) = 0;
  virtual Status remove_bucket(const std::string& bucket) = 0;

  // A URL anyone can GET for `expires` (presigned S3/OSS, Azure SAS).
  virtual Result<std::string> link(const ObjectRef& ref, std::chrono::seconds expires) {
    (void)ref, (void)expires;
    return Status{Errc::not_supported, name() + ": link"};
  }

  // Unfinished uploads in bucket whose keys start with prefix, appended to out (only when
  // features().pending_uploads), and aborting one of them (its stored parts are deleted).
  virtual Status list_pending_uploads(const std::string& bucket, const std::string& prefix,
                                      std::vector<PendingUpload>& out) {
    (void)bucket, (void)prefix, (void)out;
    return Status{Errc::not_supported, name() + ": listing unfinished uploads"};
  }
  virtual Status abort_pending_upload(const std::string& bucket, const PendingUpload& u) {
    (void)bucket, (void)u;
    return Status{Errc::not_supported, name() + ": aborting unfinished uploads"};
  }

  // Identity of the storage endpoint/account: two remotes with equal, non-empty
  // endpoint_id() can copy server-side between each other.
  virtual std::string endpoint_id() const { return ""; }
  // scheme://host[:port] of the service, so a caller can tell whether the service can reach
  // another endpoint (copy_from_url); "" when not a network service.
  virtual std::string service_url() const { return ""; }
};

// True when a and b are one storage endpoint (equal, non-empty endpoint_id()): they can copy
// server-side between each other, and equal ETags mean equal content.
inline bool same_endpoint(const Remote& a, const Remote& b) {
  return !a.endpoint_id().empty() && a.endpoint_id() == b.endpoint_id();
}

// True when a and b are remotes of one service (equal, non-empty service_url()) under
// different identities, and dst can try a server-side copy from src's buckets.
inline bool same_service_other_account(const Remote& src, const Remote& dst) {
  return dst.features().server_side_copy_across_accounts && !src.service_url().empty() &&
         src.service_url() == dst.service_url() && !same_endpoint(src, dst);
}

}  // namespace cpsync
