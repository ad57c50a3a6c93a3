// remotes/s3compat/etag.h — ETags and Content-MD5 as S3-compatible services write them. Pure
// functions; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cpsync::s3compat {

// "\"abc\"" -> "abc"; the &quot; form and surrounding blanks too.
std::string unquote_etag(std::string_view etag);
// The MD5 an ETag (quoted or not) stands for, in lower-case hex: only a 32-hex-digit ETag is
// one (a multipart "...-N" is not); else "".
std::string md5_from_etag(std::string_view etag);
// base64(md5(data)), for Content-MD5.
std::string content_md5(const char* data, size_t len);

}  // namespace cpsync::s3compat
