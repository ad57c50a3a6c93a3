// conf/config_file.cc — parsing the INI config with inih and validating each remote against
// its backend's option schema.
//
// Debian's libinih (r55) is built without INI_HANDLER_LINENO, with 200-byte lines and
// Python-style continuation lines. So inih reads through our own line reader, which counts
// lines (the handler runs while the reader's line is current), strips leading blanks (an
// indented "key = v" is a key, not a continuation), passes over-long key lines as a
// placeholder that the handler resolves from the reader's own split of that line (long
// sas_url values), and records [section] headers to catch duplicates and empty sections.
#include "conf/config_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <ini.h>

#include "core/encoding.h"

namespace cpsync {
namespace {

constexpr const char* kLongLineKey = "__cpsync_long_line__";
constexpr size_t kMaxSectionName = 48;  // inih keeps 50 bytes of a section name

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Key names are short identifiers ("secret_access_key"). Anything else on the left of '='
// may be a secret pasted without its key, so messages must not show it.
bool plausible_key(std::string_view k) {
  if (k.empty() || k.size() > 40) return false;
  int digits = 0;
  bool lower = false, inner_upper = false;
  for (size_t i = 0; i < k.size(); ++i) {
    auto c = static_cast<unsigned char>(k[i]);
    if (std::isdigit(c)) {
      ++digits;
    } else if (std::islower(c)) {
      lower = true;
    } else if (std::isupper(c)) {
      inner_upper = inner_upper || i > 0;
    } else if (c != '_' && c != '-' && c != '.') {
      return false;
    }
  }
  return digits < 3 && !(lower && inner_upper);  // "Region", "REGION" yes; "QXp1cm" no
}

struct Parser {
  std::string_view text;
  size_t pos = 0;
  std::string origin;
  int lineno = 0;
  // The current over-long key line, split by us.
  std::string long_key, long_value;

  std::vector<ConfigSection> sections;
  Status first_error;
  int first_error_line = 0;

  void fail(int line, Status s) {
    if (first_error.ok() || line < first_error_line) {
      first_error = std::move(s);
      first_error_line = line;
    }
  }
  void fail_here(const std::string& what) {
    fail(lineno,
         Status{Errc::invalid_argument, origin + ":" + std::to_string(lineno) + ": " + what});
  }
  ConfigSection* find(std::string_view name) {
    for (auto& s : sections)
      if (s.name == name) return &s;
    return nullptr;
  }

  // Returns the next line for inih (at most num-1 bytes plus '\n'), or nullptr at the end.
  char* read(char* str, int num) {
    if (pos >= text.size()) return nullptr;
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++lineno;
    if (lineno == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
    line = trim(line);
    for (char c : line) {
      // inih would stop reading the line at a NUL and keep other control bytes in values.
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
        fail_here("syntax error: control character or NUL byte (is this a text config file?)");
        line = {};
        break;
      }
    }
    std::string out = rewrite(line, static_cast<size_t>(num) - 2);
    if (out.size() > static_cast<size_t>(num) - 2) out.resize(static_cast<size_t>(num) - 2);
    out += '\n';
    std::memcpy(str, out.data(), out.size());
    str[out.size()] = '\0';
    return str;
  }

  std::string rewrite(std::string_view line, size_t max) {
    if (line.empty() || line[0] == ';' || line[0] == '#') return "";
    if (line[0] == '[') {
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        fail_here("syntax error: section header without ']'");
        return "";
      }
      std::string name(trim(line.substr(1, close - 1)));
      std::string_view rest = trim(line.substr(close + 1));
      // A rejected header still starts a section for inih, one whose keys are ignored.
      const std::string rejected = "[#rejected]";
      if (!rest.empty() && rest[0] != ';' && rest[0] != '#') {
        fail_here("syntax error: unexpected text after [" + name + "]");
        return rejected;
      } else if (!valid_remote_name(name) || name.size() > kMaxSectionName) {
        fail_here("invalid remote name [" + name +
                  "]: use up to 48 letters, digits, '_', '-', '.', '+', '@'");
        return rejected;
      } else if (ConfigSection* s = find(name)) {
        fail_here("duplicate section [" + name + "], first defined at line " +
                  std::to_string(s->lines[""]));
      } else {
        ConfigSection sec;
        sec.name = name;
        sec.origin = origin;
        sec.lines[""] = lineno;
        sections.push_back(std::move(sec));
      }
      return "[" + name + "]";
    }
    if (line.size() <= max) return std::string(line);
    // Over-long: split it ourselves as inih would (first '=' or ':', inline " ;" comments).
    size_t sep = line.find_first_of("=:");
    if (sep == std::string_view::npos) return std::string(line.substr(0, max));  // syntax error
    long_key = std::string(trim(line.substr(0, sep)));
    std::string_view value = line.substr(sep + 1);
    for (size_t i = 1; i < value.size(); ++i) {
      if (value[i] == ';' && std::isspace(static_cast<unsigned char>(value[i - 1]))) {
        value = value.substr(0, i);
        break;
      }
    }
    long_value = std::string(trim(value));
    return std::string(kLongLineKey) + "=1";
  }

  void on_value(std::string_view section, std::string_view name_in, std::string_view value_in) {
    std::string name = ascii_lower(name_in);
    std::string value(value_in);
    if (name_in == kLongLineKey) {
      name = ascii_lower(long_key);
      value = long_value;
    }
    if (!plausible_key(name_in == kLongLineKey ? long_key : name_in)) {
      // Likely a value without its key ("key AKIA...=" splits at the '='): never echo it.
      fail_here("syntax error: expected 'key = value' (the key part is not a key name)");
      return;
    }
    if (section.empty()) {
      fail_here("key '" + name + "' is outside any [remote] section");
      return;
    }
    ConfigSection* s = find(section);
    if (!s) return;  // its header was rejected; that error is recorded
    auto seen = s->lines.find(name);
    if (seen != s->lines.end()) {
      fail(lineno, Status{Errc::invalid_argument,
                          "remote '" + s->name + "' (" + origin + ":" + std::to_string(lineno) +
                              "): duplicate key '" + name + "', first set at line " +
                              std::to_string(seen->second)});
      return;
    }
    s->lines[name] = lineno;
    if (name == "type") {
      s->type = value;
    } else {
      s->values[name] = value;
    }
  }
};

char* read_line(char* str, int num, void* stream) {
  return static_cast<Parser*>(stream)->read(str, num);
}

int on_value(void* user, const char* section, const char* name, const char* value) {
  static_cast<Parser*>(user)->on_value(section, name, value);
  return 1;
}

std::vector<std::string> known_types(BackendSchemas schemas) {
  std::vector<std::string> t;
  for (const auto& e : schemas) t.push_back(e.type);
  std::sort(t.begin(), t.end());
  return t;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

Status validate(const ConfigSection& s, BackendSchemas schemas) {
  auto types = known_types(schemas);
  if (s.type.empty()) {
    return s.error("type", "missing key 'type' (one of: " + join(types) + ")");
  }
  const BackendSchema* backend = find_schema(schemas, s.type);
  if (!backend) {
    std::string hint = nearest_word(ascii_lower(s.type), types);
    return s.error("type", "unknown type '" + s.type + "'" +
                               (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
                               " (known types: " + join(types) + ")");
  }
  std::vector<std::string> keys;
  for (const auto& o : backend->options) keys.emplace_back(o.key);
  // Unknown keys, in line order (environment values last).
  std::vector<std::pair<int, std::string>> by_line;
  for (const auto& [k, v] : s.values) {
    auto it = s.lines.find(k);
    int line = it == s.lines.end() || it->second == 0 ? 1 << 30 : it->second;
    by_line.emplace_back(line, k);
  }
  std::sort(by_line.begin(), by_line.end());
  for (const auto& [line, k] : by_line) {
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
    std::string hint = nearest_word(k, keys);
    return s.error(k, "unknown key '" + k + "' for type " + s.type +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
  }
  for (const auto& o : backend->options) {
    CPSYNC_RETURN_IF_ERROR(s.check_type(o));
    if (!o.required) continue;
    auto v = s.get(o.key);
    if (!v || v->empty()) {
      return s.error("", "missing required key '" + std::string(o.key) + "' for type " + s.type);
    }
  }
  return Status::OK();
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

const ConfigSection* Config::find(std::string_view name) const {
  for (const auto& s : remotes)
    if (s.name == name) return &s;
  return nullptr;
}

std::vector<std::string> Config::names() const {
  std::vector<std::string> n;
  for (const auto& s : remotes) n.push_back(s.name);
  return n;
}

bool valid_remote_name(std::string_view name) {
  if (name.empty() || name[0] == '-') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && !std::strchr("_-.+@", c)) return false;
  }
  return true;
}

std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = 3;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  if (!best.empty()) return best;
  for (const auto& c : candidates) {  // "secret" -> "secret_access_key"
    if (word.size() >= 3 && c.starts_with(word)) return c;
  }
  return "";
}

bool is_secret_key(std::span<const OptionSpec> schema, std::string_view key) {
  for (const auto& o : schema) {
    if (key == o.key) return o.secret == Secret::yes;
  }
  std::string k = ascii_lower(key);
  for (const char* w : {"secret", "password", "token", "sas", "connection_string"}) {
    if (k.find(w) != std::string::npos) return true;
  }
  return k == "key" || k.ends_with("_key");
}

std::string display_value(std::span<const OptionSpec> schema, std::string_view key,
                          const std::string& value) {
  if (value.empty()) return value;
  return is_secret_key(schema, key) ? "***" : value;
}

Result<Config> parse_config(std::string_view text, std::string_view origin, const Environment& env,
                            BackendSchemas schemas) {
  Parser p;
  p.text = text;
  p.origin = std::string(origin);
  int rc = ini_parse_stream(&read_line, &p, &on_value, &p);
  if (rc > 0) {
    p.fail(rc, Status{Errc::invalid_argument,
                      p.origin + ":" + std::to_string(rc) +
                          ": syntax error: expected 'key = value', '[remote]' or a comment"});
  } else if (rc < 0) {
    p.fail(0, Status{Errc::invalid_argument, p.origin + ": cannot parse config"});
  }
  if (!p.first_error.ok()) return p.first_error;

  Config cfg;
  cfg.remotes = std::move(p.sections);
  CPSYNC_RETURN_IF_ERROR(apply_env_overrides(cfg.remotes, env));
  for (const auto& s : cfg.remotes) CPSYNC_RETURN_IF_ERROR(validate(s, schemas));
  return cfg;
}

Result<Config> load_config(const ConfigLocation& loc, const Environment& env,
                           BackendSchemas schemas) {
  std::string why = loc.source == "default" ? "" : " (from " + loc.source + ")";
  struct stat st {};
  if (::stat(loc.path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT && loc.source == "default") {
      auto cfg = parse_config("", loc.path, env, schemas);  // environment-only remotes
      if (cfg.ok()) cfg->location = loc;
      return cfg;
    }
    if (err == ENOENT) return Status{Errc::not_found, "config file not found: " + loc.path + why};
    return Status{Errc::invalid_argument,
                  "cannot read config file " + loc.path + why + ": " + std::strerror(err)};
  }
  if (S_ISDIR(st.st_mode)) {
    return Status{Errc::invalid_argument, "config file " + loc.path + why + " is a directory"};
  }
  std::ifstream in(loc.path, std::ios::binary);
  if (!in) {
    int err = errno;
    return Status{Errc::invalid_argument,
                  "cannot read config file " + loc.path + why + ": " + std::strerror(err)};
  }
  std::stringstream buf;
  buf << in.rdbuf();
  auto cfg = parse_config(buf.str(), loc.path, env, schemas);
  if (!cfg.ok()) return cfg;
  cfg->location = loc;
  cfg->file_found = true;
  if (st.st_mode & 0044) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    cfg->warnings.push_back("config file " + loc.path + " is readable by group or others (mode " +
                            mode + "); it may hold secrets: chmod 600 " + loc.path);
  }
  return cfg;
}

}  // namespace cpsync
