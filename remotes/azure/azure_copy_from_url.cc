// remotes/azure/azure_copy_from_url.cc — copies whose bytes Azure fetches itself from another
// service's URL (a presigned S3 or OSS GET, another account's SAS): Put Blob From URL for an
// object up to UrlCopySource::single_max (at most 5000 MiB), else Put Block From URL for each
// block (x-ms-source-range), several in flight, then Put Block List. Every fetch carries
// x-ms-source-if-match with the listed ETag, and a fresh URL (the URL is a secret: it goes
// only into x-ms-copy-source, never into a message). The metadata, content headers and the
// whole MD5 are set by cpsync, as on a streamed upload.
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"
#include "remotes/content_headers.h"

namespace cpsync::azure {
namespace {

// The content part of the block ids of a copy from a URL: 16 bytes, like an MD5 (block_id),
// so the ids have the length of every other upload's to the same blob.
const std::string kFromUrlSum = "cpsync-from-url!";

// A failed fetch becomes the caller's classes: the service could not read the source
// (CannotVerifyCopySource: unreachable, refused, expired or missing) -> not_supported, so the
// caller may stream instead; the listed ETag no longer matches -> conflict; the rest as mapped.
Status classify(const Status& st, const std::string& label, const ObjectRef& dst) {
  const std::string where = "'" + dst.bucket + "/" + dst.key + "'";
  if (st.provider_code == "CannotVerifyCopySource" || st.http_status == 501) {
    Status s{Errc::not_supported, label + ": the service could not fetch the source of " + where +
                                      " (" +
                                      (st.provider_code.empty() ? "HTTP" : st.provider_code) + " " +
                                      std::to_string(st.http_status) + ")"};
    s.provider_code = st.provider_code;
    s.http_status = st.http_status;
    s.request_id = st.request_id;
    return s;
  }
  if (st.http_status == 412 || st.provider_code == "SourceConditionNotMet") {
    Status s{Errc::conflict, label + ": the source of " + where + " changed since it was listed"};
    s.provider_code = st.provider_code;
    s.http_status = st.http_status;
    return s;
  }
  return st;
}

std::string quoted(const std::string& etag) {
  return etag.empty() || etag.front() == '"' ? etag : "\"" + etag + "\"";
}

}  // namespace

Result<ObjectInfo> AzureRemote::copy_from_url(const UrlCopySource& src, const ObjectRef& dst,
                                              const UploadOptions& opts) {
  CPSYNC_RETURN_IF_ERROR(check_ref(dst, true));
  const std::string label = remote_label(name());
  if (src.size > features_.parts.max_object)
    return Status{Errc::invalid_argument, label + ": '" + dst.bucket + "/" + dst.key +
                                              "' is larger than Azure's block blob maximum"};
  std::optional<std::string> md5_b64;
  CPSYNC_ASSIGN_OR_RETURN(Metadata meta, metadata_for_upload(opts, &md5_b64, name()));
  if (src.md5) {
    std::string raw;
    if (hex_decode(*src.md5, raw) && raw.size() == 16) md5_b64 = base64_encode(raw);
  }
  const ContentHeaders content = with_default_type(opts.content);
  const uint64_t single_max = std::min<uint64_t>(src.single_max, kMaxPutBlob);

  if (src.size <= single_max) {
    CPSYNC_ASSIGN_OR_RETURN(std::string url, src.make_url());
    AzureCall c;
    c.method = "PUT";
    c.bucket = dst.bucket;
    c.key = dst.key;
    c.op = "put_from_url";
    c.verb = "copy from URL";
    c.headers = {{"x-ms-blob-type", "BlockBlob"},
                 {"x-ms-copy-source", url},
                 {"x-ms-copy-source-blob-properties", "false"}};
    if (!src.etag.empty()) c.headers.emplace_back("x-ms-source-if-match", quoted(src.etag));
    if (md5_b64) {  // the service checks the fetched bytes against it, and stores it
      c.headers.emplace_back("x-ms-source-content-md5", *md5_b64);
      c.headers.emplace_back("x-ms-blob-content-md5", *md5_b64);
    }
    add_azure_content_headers(c.headers, content);
    add_metadata_headers(c.headers, meta);
    auto r = client_.send(c);
    if (!r.ok()) return classify(r.status(), label, dst);
    if (src.progress) *src.progress += src.size;
    ObjectInfo info;
    info.key = dst.key;
    info.size = src.size;
    info.etag = r->header_or("ETag");
    if (info.etag.size() >= 2 && info.etag.front() == '"')
      info.etag = info.etag.substr(1, info.etag.size() - 2);
    if (md5_b64) info.md5 = md5_hex_from_base64(*md5_b64);
    info.metadata = std::move(meta);
    info.content = content;
    info.metadata_known = true;
    apply_mtime(info, r->header_or("Last-Modified"));
    return info;
  }

  uint64_t block = std::min<uint64_t>(std::max<uint64_t>(src.block_size, 1), kMaxBlockSize);
  block = std::max<uint64_t>(block, (src.size + kMaxBlocks - 1) / kMaxBlocks);
  const uint32_t nblocks = static_cast<uint32_t>((src.size + block - 1) / block);
  std::vector<std::string> ids(nblocks);
  std::mutex mu;
  uint32_t next = 0;
  Status first_error;

  auto worker = [&] {
    for (;;) {
      uint32_t index;
      {
        std::lock_guard lock(mu);
        if (next >= nblocks || !first_error.ok()) return;
        index = next++;
      }
      const uint64_t offset = uint64_t{index} * block;
      const uint64_t len = std::min(block, src.size - offset);
      const std::string id = block_id(index + 1, kFromUrlSum);
      Status st;
      auto url = src.make_url();
      if (!url.ok()) {
        st = url.status();
      } else {
        AzureCall c;
        c.method = "PUT";
        c.bucket = dst.bucket;
        c.key = dst.key;
        c.op = "part_from_url";
        c.verb = "copy a block from URL";
        c.query = {{"comp", "block"}, {"blockid", id}};
        c.headers = {{"x-ms-copy-source", *url},
                     {"x-ms-source-range",
                      "bytes=" + std::to_string(offset) + "-" + std::to_string(offset + len - 1)}};
        if (!src.etag.empty()) c.headers.emplace_back("x-ms-source-if-match", quoted(src.etag));
        auto r = client_.send(c);
        if (!r.ok()) st = classify(r.status(), label, dst);
      }
      std::lock_guard lock(mu);
      if (!st.ok()) {
        if (first_error.ok())
          first_error = st.with_context("block " + std::to_string(index + 1) + " of " +
                                        std::to_string(nblocks));
        return;
      }
      ids[index] = id;
      if (src.progress) *src.progress += len;
    }
  };
  const int nworkers = std::max(1, std::min<int>(src.streams, static_cast<int>(nblocks)));
  std::vector<std::thread> threads;
  for (int i = 0; i < nworkers; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  // Blocks already fetched stay uncommitted: never visible, discarded by the service.
  if (!first_error.ok()) return first_error;
  // Azure checks each block's length against its source range only; the MD5 stored is the
  // source's (see docs/reliability.md: `check --download` proves the bytes).
  return commit_block_list(*this, dst, ids, src.size, content, meta, md5_b64);
}

}  // namespace cpsync::azure
