// remotes/s3/credentials/shared_files.cc — the shared files' INI dialect (see
// shared_files.h): "[section]", "key = value", '#'/';' comments; indented lines (nested
// settings such as "s3 =\n  max_concurrent_requests = 4") are skipped.
#include "remotes/s3/credentials/shared_files.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/encoding.h"
#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {
namespace {

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

// Reads section `want` of `path` into out (later keys win); false when the file is absent.
Result<bool> read_section(const std::string& path, const std::string& want,
                          std::map<std::string, std::string>& out) {
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec)) return false;
  std::ifstream in(path);
  if (!in) return Status{Errc::access_denied, "shared files: cannot read '" + path + "'"};
  std::string line, section;
  bool found = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || std::isspace(static_cast<unsigned char>(line[0]))) continue;
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    if (t[0] == '[') {
      auto e = t.find(']');
      section = trim(t.substr(1, e == std::string::npos ? std::string::npos : e - 1));
      // "[profile   name]" -> "profile name"
      if (section.rfind("profile", 0) == 0 && section.size() > 7 &&
          std::isspace(static_cast<unsigned char>(section[7])))
        section = "profile " + trim(section.substr(8));
      if (section == want) found = true;
      continue;
    }
    if (section != want) continue;
    auto eq = t.find('=');
    if (eq == std::string::npos) continue;
    out[ascii_lower(trim(t.substr(0, eq)))] = trim(t.substr(eq + 1));
  }
  return found;
}

}  // namespace

SharedFiles shared_files(std::string_view credentials_override) {
  SharedFiles f;
  const std::string home = env_value("HOME");
  f.credentials = std::string(credentials_override);
  if (f.credentials.empty()) f.credentials = env_value("AWS_SHARED_CREDENTIALS_FILE");
  if (f.credentials.empty() && !home.empty()) f.credentials = home + "/.aws/credentials";
  f.config = env_value("AWS_CONFIG_FILE");
  if (f.config.empty() && !home.empty()) f.config = home + "/.aws/config";
  return f;
}

Result<std::optional<Profile>> load_profile(const SharedFiles& files, std::string_view name) {
  Profile p;
  p.name = std::string(name);
  const std::string config_section =
      name == "default" ? std::string("default") : "profile " + std::string(name);
  CPSYNC_ASSIGN_OR_RETURN(bool in_config, read_section(files.config, config_section, p.values));
  bool in_default_form = false;
  if (!in_config && name == "default") {
    CPSYNC_ASSIGN_OR_RETURN(in_default_form,
                            read_section(files.config, "profile default", p.values));
  }
  CPSYNC_ASSIGN_OR_RETURN(bool in_creds,
                          read_section(files.credentials, std::string(name), p.values));
  if (!in_config && !in_default_form && !in_creds) return std::optional<Profile>();
  return std::optional<Profile>(std::move(p));
}

}  // namespace cpsync::s3
