// remotes/azure/azure_copy.cc — server-side copy within one account with Copy Blob: the
// source URL is authorised by the configured SAS or a short-lived read-only service SAS,
// and the destination is polled (x-ms-copy-status) until the copy succeeds or fails.
// Metadata and Content-MD5 travel with the blob.
#include <thread>

#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"

namespace cpsync::azure {

Result<ObjectInfo> AzureRemote::copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                                 const ObjectInfo& src_info) {
  CPSYNC_RETURN_IF_ERROR(check_ref(src, true));
  CPSYNC_RETURN_IF_ERROR(check_ref(dst, true));
  const std::string label = remote_label(name());
  CPSYNC_ASSIGN_OR_RETURN(std::string source, readable_url(src, std::chrono::hours(2)));
  AzureCall c;
  c.method = "PUT";
  c.bucket = dst.bucket;
  c.key = dst.key;
  c.op = "copy";
  c.headers = {{"x-ms-copy-source", source}};
  // Tied to the listed ETag: a source changed since is refused (412), never half-copied.
  if (!src_info.etag.empty())
    c.headers.emplace_back("x-ms-source-if-match", "\"" + src_info.etag + "\"");
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  std::string status = r.header_or("x-ms-copy-status");
  // Within one account the copy is usually done at once; else poll the destination.
  auto delay = std::chrono::milliseconds(100);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::hours(24);
  while (status == "pending") {
    if (std::chrono::steady_clock::now() > deadline)
      return Status{Errc::transient, label + ": copy to '" + dst.bucket + "/" + dst.key +
                                         "' still pending after 24 hours"};
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
    AzureCall h;
    h.method = "HEAD";
    h.bucket = dst.bucket;
    h.key = dst.key;
    h.op = "head";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse hr, client_.send(h));
    status = hr.header_or("x-ms-copy-status");
  }
  if (status != "success" && !status.empty())
    return Status{Errc::permanent, label + ": copy to '" + dst.bucket + "/" + dst.key +
                                       "' ended with status '" + status + "'"};
  return stat(dst);
}

}  // namespace cpsync::azure
