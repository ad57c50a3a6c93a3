// remotes/azure/azure_info.cc — blob properties and metadata conventions.
#include "remotes/azure/azure_info.h"

#include <strings.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/crypto.h"
#include "core/time_format.h"
#include "remotes/azure/azure_errors.h"
#include "remotes/content_headers.h"

namespace cpsync::azure {

std::optional<std::string> md5_hex_from_base64(std::string_view b64) {
  std::string raw;
  if (b64.empty() || !base64_decode(b64, raw) || raw.size() != 16) return std::nullopt;
  return hex_lower(raw);
}

std::optional<std::string> md5_base64_from_hex(std::string_view hex) {
  std::string raw;
  if (hex.size() != 32 || !hex_decode(hex, raw)) return std::nullopt;
  return base64_encode(raw);
}

std::string format_azure_mtime(TimePoint t) {
  std::string base = format_iso8601(t);  // whole seconds, floored, "...Z"
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  long long nanos = (t - secs).count();
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%09lld", nanos);
  base.insert(base.size() - 1, frac);
  return base;
}

std::optional<TimePoint> parse_azure_mtime(std::string_view s) {
  if (s.find('T') == std::string_view::npos) return parse_unix_seconds(s);
  // Zone: 'Z' or +HH:MM / -HH:MM after the time.
  std::chrono::minutes offset{0};
  std::string_view base = s;
  if (!base.empty() && (base.back() == 'Z' || base.back() == 'z')) {
    base.remove_suffix(1);
  } else if (base.size() > 6 && (base[base.size() - 6] == '+' || base[base.size() - 6] == '-') &&
             base[base.size() - 3] == ':') {
    std::string_view z = base.substr(base.size() - 6);
    if (!std::isdigit(static_cast<unsigned char>(z[1])) ||
        !std::isdigit(static_cast<unsigned char>(z[2])) ||
        !std::isdigit(static_cast<unsigned char>(z[4])) ||
        !std::isdigit(static_cast<unsigned char>(z[5])))
      return std::nullopt;
    int h = (z[1] - '0') * 10 + (z[2] - '0'), m = (z[4] - '0') * 10 + (z[5] - '0');
    offset = std::chrono::minutes(h * 60 + m) * (z[0] == '-' ? -1 : 1);
    base.remove_suffix(6);
  } else {
    return std::nullopt;
  }
  auto t = parse_iso8601(base);
  if (!t) return std::nullopt;
  return *t - offset;
}

namespace {
constexpr std::string_view kRenamePrefix = "rename_";
constexpr std::string_view kRenameKeyPrefix = "rename_key_";

bool valid_name(std::string_view k) {
  if (k.empty() || (k[0] >= '0' && k[0] <= '9')) return false;
  for (char c : k)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

void restore_renamed(Metadata& m) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : m)
    if (k.rfind(kRenameKeyPrefix, 0) == 0) keys.push_back(k);
  for (const auto& k : keys) {
    std::string stem = k.substr(kRenameKeyPrefix.size());
    auto value = m.find(std::string(kRenamePrefix) + stem);
    if (value == m.end()) continue;
    std::string original = m[k], v = value->second;
    m.erase(value);
    m.erase(k);
    m[original] = v;
  }
}
}  // namespace

void apply_mtime(ObjectInfo& info, std::string_view last_modified) {
  restore_renamed(info.metadata);
  if (auto it = info.metadata.find(kMetaMtime); it != info.metadata.end()) {
    if (auto t = parse_azure_mtime(it->second)) {
      info.mtime = *t;
      info.mtime_from_metadata = true;
      it->second = format_unix_seconds(*t);
      return;
    }
  }
  if (auto t = parse_rfc1123(last_modified)) info.mtime = *t;
}

ObjectInfo info_from_headers(const Headers& h, std::string key) {
  ObjectInfo info;
  info.key = std::move(key);
  if (const std::string* v = find_header(h, "Content-Length"))
    info.size = std::strtoull(v->c_str(), nullptr, 10);
  if (const std::string* v = find_header(h, "ETag")) {
    info.etag = *v;
    if (info.etag.size() >= 2 && info.etag.front() == '"' && info.etag.back() == '"')
      info.etag = info.etag.substr(1, info.etag.size() - 2);
  }
  // A ranged GET's Content-MD5 is the range's; x-ms-blob-content-md5 is the blob's.
  const std::string* md5 = find_header(h, "x-ms-blob-content-md5");
  if (!md5) md5 = find_header(h, "Content-MD5");
  if (md5) info.md5 = md5_hex_from_base64(*md5);
  for (const auto& [name, value] : h) {
    if (name.size() > 10 && strncasecmp(name.c_str(), "x-ms-meta-", 10) == 0) {
      std::string k = name.substr(10);
      for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      info.metadata[k] = value;
    }
  }
  info.content = content_from_headers(h);
  if (const std::string* v = find_header(h, "x-ms-access-tier")) info.tier = *v;
  info.metadata_known = true;
  const std::string* lm = find_header(h, "Last-Modified");
  apply_mtime(info, lm ? *lm : std::string());
  return info;
}

Status validate_metadata(const Metadata& m, std::string_view remote) {
  for (const auto& [k, v] : m) {
    bool ok = !k.empty() && !(k[0] >= '0' && k[0] <= '9');
    for (char c : k) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    if (!ok)
      return Status{Errc::invalid_argument,
                    remote_label(remote) + ": metadata name '" + k +
                        "' is not allowed on Azure (letters, digits and '_' only)"};
    for (char c : v)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
        return Status{Errc::invalid_argument,
                      remote_label(remote) + ": metadata '" + k +
                          "' has a value Azure cannot store (printable ASCII only)"};
  }
  return Status::OK();
}

void add_metadata_headers(Headers& h, const Metadata& m) {
  for (const auto& [k, v] : m) h.emplace_back("x-ms-meta-" + k, v);
}

Result<Metadata> metadata_for_upload(const UploadOptions& opts, std::optional<std::string>* md5_b64,
                                     std::string_view remote) {
  Metadata m;
  for (const auto& [k, v] : opts.metadata) {
    if (valid_name(k)) {
      m[k] = v;
      continue;
    }
    std::string stem = k;
    for (char& c : stem)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    std::string vkey = std::string(kRenamePrefix) + stem;
    std::string nkey = std::string(kRenameKeyPrefix) + stem;
    if (m.count(vkey) || m.count(nkey) || opts.metadata.count(vkey) || opts.metadata.count(nkey))
      return Status{Errc::invalid_argument,
                    remote_label(remote) + ": metadata name '" + k +
                        "' cannot be stored on Azure (its renamed form is taken)"};
    m[vkey] = v;
    m[nkey] = k;
  }
  if (opts.mtime && !m.count(kMetaMtime)) m[kMetaMtime] = format_azure_mtime(*opts.mtime);
  if (auto it = m.find(kMetaMtime); it != m.end()) {
    if (auto t = parse_azure_mtime(it->second)) it->second = format_azure_mtime(*t);
  }
  if (auto it = m.find(kMetaMd5); it != m.end()) {
    std::string raw;
    if (md5_b64 && base64_decode(it->second, raw) && raw.size() == 16) *md5_b64 = it->second;
    m.erase(it);
  }
  CPSYNC_RETURN_IF_ERROR(validate_metadata(m, remote));
  return m;
}

}  // namespace cpsync::azure
