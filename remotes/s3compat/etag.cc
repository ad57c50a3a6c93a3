// remotes/s3compat/etag.cc — see etag.h.
#include "remotes/s3compat/etag.h"

#include <cctype>

#include "core/crypto.h"
#include "core/encoding.h"

namespace cpsync::s3compat {

std::string unquote_etag(std::string_view e) {
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.front()))) e.remove_prefix(1);
  while (!e.empty() && std::isspace(static_cast<unsigned char>(e.back()))) e.remove_suffix(1);
  if (e.starts_with("&quot;") && e.ends_with("&quot;") && e.size() >= 12)
    return std::string(e.substr(6, e.size() - 12));
  if (e.size() >= 2 && e.front() == '"' && e.back() == '"')
    return std::string(e.substr(1, e.size() - 2));
  return std::string(e);
}

std::string md5_from_etag(std::string_view etag) {
  std::string e = unquote_etag(etag);
  if (e.size() != 32) return "";
  for (char c : e)
    if (!std::isxdigit(static_cast<unsigned char>(c))) return "";
  return ascii_lower(e);
}

std::string content_md5(const char* data, size_t len) {
  return base64_encode(md5_raw(std::string_view(data ? data : "", len)));
}

}  // namespace cpsync::s3compat
