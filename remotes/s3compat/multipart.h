// remotes/s3compat/multipart.h — the multipart requests S3 and OSS share: Initiate (the
// InitiateMultipartUploadResult's UploadId), UploadPart, UploadPartCopy (CopyPartResult),
// Complete (the CompleteMultipartUpload body; CompleteMultipartUploadResult) and Abort.
// What a dialect checks beyond them (OSS's CRC-64 headers) stays with its backend, which reads
// the answers these return. Stateless: safe from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/http.h"
#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"

namespace cpsync::s3compat {

// Starts an upload of ref created with `headers` (content headers, user metadata); its
// UploadId, or Errc::corrupt when the answer has none.
Result<std::string> initiate_upload(const Endpoint& ep, const ObjectRef& ref, Headers headers);

// Stores part n (1-based) of the upload; content_md5 (base64) is sent when not empty. The
// answer carries the part's ETag header (and the dialect's checksum headers).
Result<HttpResponse> upload_part(const Endpoint& ep, const ObjectRef& ref,
                                 const std::string& upload_id, uint32_t n, const char* data,
                                 size_t len, const std::string& content_md5);

struct CopiedPart {
  HttpResponse answer;
  std::string etag;  // unquoted: CopyPartResult's, else the ETag header's
};
// Part n of the upload becomes bytes [first, first + len) of src (the whole of an empty src
// when len is 0), only while src has the unquoted ETag if_match ("" = any: a precondition
// failure is the mapper's Errc::conflict). Errc::corrupt when the answer names no ETag.
Result<CopiedPart> upload_part_copy(const Endpoint& ep, const ObjectRef& ref,
                                    const std::string& upload_id, uint32_t n, const ObjectRef& src,
                                    uint64_t first, uint64_t len, const std::string& if_match);

struct PartEtag {
  uint32_t number = 0;
  std::string etag;  // unquoted
};
// The CompleteMultipartUpload body: the parts as given (callers pass them in order).
std::string complete_body(const std::vector<PartEtag>& parts);

struct Completed {
  HttpResponse answer;
  std::string etag;  // unquoted: CompleteMultipartUploadResult's, else the ETag header's; may
                     // be empty (Ceph RGW)
};
// Completes the upload. A 2xx answer whose body is an <Error> document (a Complete that
// failed late) is the backend's mapped error, retryable.
Result<Completed> complete_upload(const Endpoint& ep, const ObjectRef& ref,
                                  const std::string& upload_id, const std::vector<PartEtag>& parts);

// Aborts the upload; one already gone (NoSuchUpload, NoSuchKey) is success.
Status abort_upload(const Endpoint& ep, const ObjectRef& ref, const std::string& upload_id);

// "/bucket/escaped-key", the copy-source header's value.
std::string copy_source(const ObjectRef& src);

}  // namespace cpsync::s3compat
