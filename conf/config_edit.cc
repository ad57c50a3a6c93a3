// conf/config_edit.cc — config file edits line by line, and the atomic write.
#include "conf/config_edit.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "conf/config_file.h"
#include "core/encoding.h"

namespace cpsync {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.emplace_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// The section name of a "[name]" header line, or nullopt.
std::optional<std::string> header_name(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '[') return std::nullopt;
  size_t close = line.find(']');
  if (close == std::string_view::npos) return std::nullopt;
  return std::string(trim(line.substr(1, close - 1)));
}

// The lower-cased key of a "key = value" line, or "" for blanks, comments and headers.
std::string line_key(std::string_view line) {
  line = trim(line);
  if (line.empty() || line[0] == ';' || line[0] == '#' || line[0] == '[') return "";
  size_t sep = line.find_first_of("=:");
  if (sep == std::string_view::npos) return "";
  return ascii_lower(trim(line.substr(0, sep)));
}

struct SectionRange {
  size_t header = 0;
  size_t last_key = 0;  // the header itself when the section has no key line
  size_t end = 0;       // the next header, or lines.size()
};

std::optional<SectionRange> find_section(const std::vector<std::string>& lines,
                                         std::string_view name) {
  for (size_t i = 0; i < lines.size(); ++i) {
    auto h = header_name(lines[i]);
    if (!h || *h != name) continue;
    SectionRange r{i, i, lines.size()};
    for (size_t j = i + 1; j < lines.size(); ++j) {
      if (header_name(lines[j])) {
        r.end = j;
        break;
      }
      if (!line_key(lines[j]).empty()) r.last_key = j;
    }
    return r;
  }
  return std::nullopt;
}

Status no_section(std::string_view name) {
  return Status{Errc::not_found, "no remote [" + std::string(name) + "] in the config file"};
}

}  // namespace

Result<std::vector<KeyValue>> parse_key_values(const std::vector<std::string>& words,
                                               const BackendSchema& schema,
                                               std::string_view remote) {
  std::vector<std::string> keys;
  for (const auto& o : schema.options) keys.emplace_back(o.key);
  std::vector<KeyValue> out;
  for (const auto& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0) {
      // Never echo the word: it may be a secret pasted without its key.
      return Status{Errc::invalid_argument,
                    "expected key=value, got a word without '=' (argument " +
                        std::to_string(out.size() + 1) + " after the type)"};
    }
    KeyValue kv{ascii_lower(trim(std::string_view(w).substr(0, eq))), w.substr(eq + 1)};
    if (kv.key == "type")
      return Status{Errc::invalid_argument,
                    "key 'type' cannot be set here: the type is fixed when the remote is created"};
    const OptionSpec* spec = nullptr;
    for (const auto& o : schema.options)
      if (kv.key == o.key) spec = &o;
    if (!spec) {
      std::string hint = nearest_word(kv.key, keys);
      return Status{Errc::invalid_argument,
                    "unknown key '" + kv.key + "' for type " + schema.type +
                        (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                        " (cpsync config keys " + schema.type + " lists them)"};
    }
    for (char c : kv.value) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        return Status{Errc::invalid_argument,
                      "key '" + kv.key + "': the value holds a control character or newline"};
    }
    if (trim(kv.value).size() != kv.value.size())
      return Status{Errc::invalid_argument,
                    "key '" + kv.key + "': the value starts or ends with a space"};
    ConfigSection probe;
    probe.name = std::string(remote);
    probe.origin = "command line";
    probe.type = schema.type;
    probe.values[kv.key] = kv.value;
    Status typed = probe.check_type(*spec);
    if (!typed.ok()) return typed;
    for (auto& seen : out) {
      if (seen.key == kv.key)
        return Status{Errc::invalid_argument, "key '" + kv.key + "' given twice"};
    }
    out.push_back(std::move(kv));
  }
  return out;
}

std::string config_text_create(std::string_view text, std::string_view name, std::string_view type,
                               const std::vector<KeyValue>& values) {
  std::vector<std::string> lines = split_lines(text);
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  if (!lines.empty()) lines.emplace_back();
  lines.push_back("[" + std::string(name) + "]");
  lines.push_back("type = " + std::string(type));
  for (const auto& kv : values) lines.push_back(kv.key + " = " + kv.value);
  return join_lines(lines);
}

Result<std::string> config_text_update(std::string_view text, std::string_view name,
                                       const std::vector<KeyValue>& values) {
  std::vector<std::string> lines = split_lines(text);
  for (const auto& kv : values) {
    auto r = find_section(lines, name);
    if (!r) return no_section(name);
    bool done = false;
    for (size_t i = r->header + 1; i < r->end && !done; ++i) {
      if (line_key(lines[i]) == kv.key) {
        lines[i] = kv.key + " = " + kv.value;
        done = true;
      }
    }
    if (!done)
      lines.insert(lines.begin() + static_cast<long>(r->last_key) + 1, kv.key + " = " + kv.value);
  }
  if (!find_section(lines, name)) return no_section(name);
  return join_lines(lines);
}

Result<std::string> config_text_delete(std::string_view text, std::string_view name) {
  std::vector<std::string> lines = split_lines(text);
  auto r = find_section(lines, name);
  if (!r) return no_section(name);
  size_t to = r->last_key + 1;
  if (to < lines.size() && trim(lines[to]).empty()) ++to;
  lines.erase(lines.begin() + static_cast<long>(r->header), lines.begin() + static_cast<long>(to));
  return join_lines(lines);
}

Status write_config_file(const std::string& path_in, std::string_view text) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path path = path_in;
  if (fs::is_symlink(path, ec)) {
    fs::path target = fs::canonical(path, ec);
    if (!ec) path = target;
  }
  auto fail = [&](const std::string& what, int err) {
    return Status{Errc::permanent, "cannot write config file " + path.string() + ": " + what +
                                       (err ? std::string(": ") + std::strerror(err) : "")};
  };
  fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return fail("cannot create " + dir.string() + ": " + ec.message(), 0);
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return fail("cannot create a temporary file in " + dir.string(), errno);
  auto abandon = [&](const std::string& what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    return fail(what, err);
  };
  if (::fchmod(fd, 0600) != 0) return abandon("chmod 600");
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon("write");
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return abandon("fsync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return fail("close", err);
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return fail("rename", err);
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);  // the rename itself survives a crash
    ::close(dfd);
  }
  return Status::OK();
}

}  // namespace cpsync
