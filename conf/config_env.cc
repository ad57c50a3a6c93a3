// conf/config_env.cc — where the config file lives, the process environment as a map, and
// CPSYNC_CONFIG_<REMOTE>_<KEY> overrides (rclone's RCLONE_CONFIG_<REMOTE>_<KEY> analogue).
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <string>

#include "conf/config_file.h"
#include "core/encoding.h"

extern char** environ;

namespace cpsync {
namespace {

constexpr std::string_view kPrefix = "CPSYNC_CONFIG_";

std::string env_form(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string env_get(const Environment& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? "" : it->second;
}

}  // namespace

std::string config_env_var(std::string_view remote, std::string_view key) {
  return std::string(kPrefix) + env_form(remote) + "_" + env_form(key);
}

Environment current_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

ConfigLocation locate_config(std::string_view flag, const Environment& env) {
  std::string home = env_get(env, "HOME");
  if (home.empty()) {
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) home = pw->pw_dir;
  }
  auto expand = [&home](std::string p) {
    if (!home.empty() && (p == "~" || p.starts_with("~/"))) p = home + p.substr(1);
    return p;
  };
  if (!flag.empty()) return {expand(std::string(flag)), "--config"};
  if (std::string p = env_get(env, "CPSYNC_CONFIG"); !p.empty()) {
    return {expand(p), "CPSYNC_CONFIG"};
  }
  if (std::string x = env_get(env, "XDG_CONFIG_HOME"); x.starts_with("/")) {
    return {x + "/cpsync/cpsync.conf", "default"};
  }
  if (home.empty()) return {".config/cpsync/cpsync.conf", "default"};
  return {home + "/.config/cpsync/cpsync.conf", "default"};
}

Status apply_env_overrides(std::vector<ConfigSection>& remotes, const Environment& env) {
  // Remotes defined by CPSYNC_CONFIG_<NAME>_TYPE alone.
  for (const auto& [var, value] : env) {
    if (!var.starts_with(kPrefix) || !var.ends_with("_TYPE")) continue;
    if (var.size() <= kPrefix.size() + 5) continue;
    std::string form = var.substr(kPrefix.size(), var.size() - kPrefix.size() - 5);
    bool known = false;
    for (const auto& r : remotes) known = known || env_form(r.name) == form;
    std::string name = ascii_lower(form);
    if (known || !valid_remote_name(name)) continue;
    ConfigSection s;
    s.name = name;
    s.origin = "environment";
    remotes.push_back(std::move(s));
  }
  for (const auto& [var, value] : env) {
    if (!var.starts_with(kPrefix)) continue;
    std::string_view rest = std::string_view(var).substr(kPrefix.size());
    // The longest remote name that prefixes rest, followed by '_' and a key.
    size_t best = 0;
    for (const auto& r : remotes) {
      std::string f = env_form(r.name);
      if (rest.size() > f.size() + 1 && rest.starts_with(f) && rest[f.size()] == '_') {
        best = std::max(best, f.size());
      }
    }
    if (best == 0) continue;
    std::string key = ascii_lower(rest.substr(best + 1));
    for (auto& r : remotes) {
      if (env_form(r.name).size() != best || !rest.starts_with(env_form(r.name))) continue;
      if (key == "type") {
        r.type = value;
      } else {
        r.values[key] = value;
      }
      r.lines[key] = 0;
    }
  }
  return Status::OK();
}

}  // namespace cpsync
