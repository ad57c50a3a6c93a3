// remotes/s3compat/object_info.cc — see object_info.h.
#include "remotes/s3compat/object_info.h"

#include <cctype>
#include <cstdlib>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/s3compat/etag.h"

namespace cpsync::s3compat {
namespace {

// The lower-case hex of a base64 MD5, or "".
std::string md5_hex_of_base64(std::string_view b64) {
  while (!b64.empty() && std::isspace(static_cast<unsigned char>(b64.back()))) b64.remove_suffix(1);
  while (!b64.empty() && std::isspace(static_cast<unsigned char>(b64.front())))
    b64.remove_prefix(1);
  std::string raw;
  return base64_decode(b64, raw) && raw.size() == 16 ? hex_lower(raw) : "";
}

}  // namespace

ObjectInfo info_from_headers(const Dialect& d, std::string key, const Headers& h) {
  ObjectInfo o;
  o.key = std::move(key);
  if (const std::string* v = find_header(h, "content-length"))
    o.size = std::strtoull(v->c_str(), nullptr, 10);
  if (const std::string* v = find_header(h, "etag")) o.etag = unquote_etag(*v);
  if (const std::string* v = find_header(h, "last-modified"))
    if (auto t = parse_rfc1123(*v)) o.mtime = *t;
  for (const auto& [name, value] : h) {
    std::string l = ascii_lower(name);
    if (l.starts_with(d.meta_prefix)) o.metadata[l.substr(d.meta_prefix.size())] = value;
  }
  o.content = content_from_headers(h);
  o.metadata_known = true;
  if (auto it = o.metadata.find(kMetaMtime); it != o.metadata.end())
    if (auto t = parse_unix_seconds(it->second)) {
      o.mtime = *t;
      o.mtime_from_metadata = true;
    }
  const std::string* tier = find_header(h, std::string(d.header_prefix) + "storage-class");
  o.tier = tier ? *tier : std::string(d.default_storage_class);
  const std::string* type = find_header(h, std::string(d.header_prefix) + "object-type");
  std::string md5;
  if (const std::string* v = find_header(h, "content-md5")) md5 = md5_hex_of_base64(*v);
  if (md5.empty() && (!type || *type == "Normal")) md5 = md5_from_etag(o.etag);
  if (auto it = o.metadata.find(kMetaMd5); md5.empty() && it != o.metadata.end())
    md5 = md5_hex_of_base64(it->second);
  if (!md5.empty()) o.md5 = md5;
  return o;
}

}  // namespace cpsync::s3compat
