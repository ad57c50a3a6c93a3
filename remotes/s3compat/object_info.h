// remotes/s3compat/object_info.h — an object's ObjectInfo from the headers an S3-compatible
// service answers a HEAD, GET or PUT with, on the dialect's metadata prefix. Pure; safe from
// any thread.
#pragma once

#include <string>

#include "core/http.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"

namespace cpsync::s3compat {

// Size, unquoted ETag, Last-Modified, content headers and user metadata (names lower-cased,
// prefix cut); mtime from the mtime metadata when it parses; md5 from a Content-MD5 header,
// else from the ETag of a "Normal" object (the dialect's object-type header; S3 has none),
// else from md5chksum metadata; tier from the storage-class header, else the dialect's
// default_storage_class (S3 leaves STANDARD out).
ObjectInfo info_from_headers(const Dialect& d, std::string key, const Headers& h);

}  // namespace cpsync::s3compat
