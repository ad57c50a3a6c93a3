// conf/remote_spec.cc — `name:bucket/path` and local path parsing (see remote_spec.h).
#include "conf/remote_spec.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace cpsync {
namespace {

// The text as typed, with control characters shown as \xNN so a message stays one line.
std::string printable(std::string_view text) {
  std::string s;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      s += buf;
    } else {
      s += c;
    }
  }
  return s;
}

Status spec_error(std::string_view text, const std::string& what) {
  return Status{Errc::invalid_argument, "remote spec '" + printable(text) + "': " + what};
}

Result<std::string> absolute_local(std::string_view text, std::string_view path) {
  namespace fs = std::filesystem;
  fs::path p(path.empty() ? "." : std::string(path));
  if (p.is_relative()) {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (ec) return spec_error(text, "cannot read the working directory: " + ec.message());
    p = cwd / p;
  }
  std::string s = p.lexically_normal().string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string configured_list(const Config& config) {
  std::string s;
  for (const auto& n : config.names()) s += (s.empty() ? "" : ", ") + n;
  if (!s.empty()) return "configured remotes: " + s;
  if (!config.file_found)
    return "no remotes configured; config file " + config.location.path + " not found";
  return "no remotes configured in " + config.location.path;
}

}  // namespace

Result<RemoteSpec> parse_remote_spec(std::string_view text, const Config& config) {
  RemoteSpec spec;
  spec.text = std::string(text);
  if (text.empty()) return spec_error(text, "empty location");
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return spec_error(text, "control character in location");
    }
  }
  size_t colon = text.find(':');
  std::string_view name = colon == std::string_view::npos ? text : text.substr(0, colon);
  if (colon == std::string_view::npos || name.find('/') != std::string_view::npos) {
    spec.is_local = true;
    CPSYNC_ASSIGN_OR_RETURN(spec.path, absolute_local(text, text));
    return spec;
  }
  const std::string local_hint = "for a local path write ./" + std::string(text);
  if (name.empty()) {
    return spec_error(text,
                      "missing remote name before ':' (use name:bucket/path; " + local_hint + ")");
  }
  if (!valid_remote_name(name)) {
    return spec_error(text, "invalid remote name '" + std::string(name) + "' (" + local_hint + ")");
  }
  const ConfigSection* section = config.find(name);
  if (!section) {
    std::string hint = nearest_word(name, config.names());
    return spec_error(text, "unknown remote '" + std::string(name) + "' (" +
                                (hint.empty() ? "" : "did you mean '" + hint + "'? ") +
                                configured_list(config) + "; " + local_hint + ")");
  }
  spec.remote = std::string(name);
  std::string_view rest = text.substr(colon + 1);
  if (section->type == "local") {
    spec.is_local = true;
    CPSYNC_ASSIGN_OR_RETURN(spec.path, absolute_local(text, rest));
    return spec;
  }
  if (rest.empty()) return spec;  // the remote's root: all buckets
  if (rest.front() == '/') {
    return spec_error(text, "empty bucket name (use " + spec.remote + ":bucket/path)");
  }
  while (rest.size() > 1 && rest.back() == '/') rest.remove_suffix(1);
  size_t slash = rest.find('/');
  spec.bucket = std::string(rest.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (spec.bucket == "." || spec.bucket == "..") {
    return spec_error(text, "'" + spec.bucket + "' is not a bucket name");
  }
  size_t start = 0;
  while (!path.empty() && start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(start, end - start);
    if (seg.empty()) return spec_error(text, "empty path segment ('//')");
    if (seg == "." || seg == "..") {
      return spec_error(text, "'" + std::string(seg) + "' path segments are not allowed");
    }
    start = end + 1;
  }
  spec.path = std::string(path);
  return spec;
}

}  // namespace cpsync
