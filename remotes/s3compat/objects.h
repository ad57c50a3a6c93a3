// remotes/s3compat/objects.h — the object requests S3 and OSS share: DeleteObject, DeleteObjects
// (the Delete/Quiet body in batches of 1000 and its DeleteResult) and CopyObject
// (CopyObjectResult). Stateless: safe from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/http.h"
#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"

namespace cpsync::s3compat {

// Deletes one object; an absent one (NoSuchKey) is success. An empty key is
// Errc::invalid_argument (the request would address the bucket).
Status remove_object(const Endpoint& ep, const ObjectRef& ref);

// The DeleteObjects body for keys [first, last) in quiet mode (only failures are answered).
std::string delete_body(const std::vector<const std::string*>& keys, size_t first, size_t last);
// The first failure a DeleteResult reports, as a Status (provider_code set; AccessDenied is
// Errc::access_denied, others permanent); absent keys (NoSuchKey) are not failures.
Status delete_result(const std::string& body, const std::string& what);

// Deletes keys from bucket: DeleteObjects in batches of 1000, and one by one the keys an XML
// 1.0 body cannot carry (control characters, the empty key).
Status delete_objects(const Endpoint& ep, const std::string& bucket,
                      const std::vector<std::string>& keys);

struct CopyOptions {
  std::string directive = "COPY";  // metadata-directive: COPY keeps src's, REPLACE sets headers
  std::string if_match;            // unquoted ETag the source must have ("" = any)
  Headers headers;                 // with REPLACE: content headers and user metadata
  std::string verb = "copy";       // what the request does, for messages
};
struct Copied {
  HttpResponse answer;
  std::string etag;                        // unquoted; "" when the answer names none
  std::optional<TimePoint> last_modified;  // CopyObjectResult's LastModified
};
// CopyObject src to dst in one request (sources up to the dialect's max_copy).
Result<Copied> copy_object(const Endpoint& ep, const ObjectRef& src, const ObjectRef& dst,
                           const CopyOptions& opts);

}  // namespace cpsync::s3compat
