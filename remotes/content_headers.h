// remotes/content_headers.h — ContentHeaders to and from HTTP headers: the standard names
// (Content-Type, Content-Encoding, Content-Language, Content-Disposition, Cache-Control)
// that S3 and OSS take on PUT / CreateMultipartUpload and every provider returns on HEAD
// and GET, and Azure's x-ms-blob-* property headers for Put Blob / Put Block List.
// Pure functions; safe from any thread.
#pragma once

#include "core/http.h"
#include "remotes/remote.h"

namespace cpsync {

// The content headers of a HEAD or GET response (case-insensitive names).
ContentHeaders content_from_headers(const Headers& h);
// c with type application/octet-stream when it has none: what Azure and OSS store then
// (OSS signs the type, so it is sent explicitly; the put's result then says what a HEAD
// will).
ContentHeaders with_default_type(ContentHeaders c);
// Appends the set fields under their standard names.
void add_content_headers(Headers& h, const ContentHeaders& c);
// Appends the set fields as Azure blob properties (x-ms-blob-content-type, ...).
void add_azure_content_headers(Headers& h, const ContentHeaders& c);

}  // namespace cpsync
