// cli/config_commands.cc — `cpsync listremotes`, `cpsync config show [remote]`,
// `cpsync config path` and `cpsync config keys [type]` (and, from
// cli/config_edit_commands.cc, create/update/delete/dump). Secrets (per each backend's
// option schema) print as ***. `config show` also names where each remote's credentials
// would come from (the backend registry's credential_source: no request is sent).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/config_edit_commands.h"
#include "cli/exit_codes.h"
#include "conf/key_table.h"

namespace cpsync {
namespace {

std::span<const OptionSpec> schema_of(const AppContext& ctx, const ConfigSection& s) {
  const BackendEntry* b = ctx.registry().find(s.type);
  return b ? b->options : std::span<const OptionSpec>{};
}

// Keys in file order, then those set only by the environment (alphabetically).
std::vector<std::string> ordered_keys(const ConfigSection& s) {
  std::vector<std::pair<int, std::string>> v;
  for (const auto& [k, value] : s.values) {
    auto it = s.lines.find(k);
    v.emplace_back(it == s.lines.end() || it->second == 0 ? 1 << 30 : it->second, k);
  }
  std::sort(v.begin(), v.end());
  std::vector<std::string> keys;
  for (auto& [line, k] : v) keys.push_back(std::move(k));
  return keys;
}

bool from_env(const ConfigSection& s, const std::string& key) {
  auto it = s.lines.find(key);
  return it != s.lines.end() && it->second == 0;
}

// The backend's planned credential source, or why the remote cannot be used as configured;
// nullopt for types without credentials (local).
std::optional<std::string> credential_source(const AppContext& ctx, const ConfigSection& s) {
  const BackendEntry* b = ctx.registry().find(s.type);
  if (!b || !b->credential_source) return std::nullopt;
  auto r = b->credential_source(s);
  if (!r.ok()) return "not usable: " + r.status().message;
  return *r;
}

void show_ini(std::ostream& out, const ConfigSection& s, std::span<const OptionSpec> schema,
              const std::optional<std::string>& creds) {
  auto note = [&s](const std::string& key) {
    return from_env(s, key) ? "  ; from " + config_env_var(s.name, key) : std::string();
  };
  out << "[" << s.name << "]\n";
  out << "type = " << s.type << note("type") << "\n";
  for (const auto& k : ordered_keys(s)) {
    out << k << " = " << display_value(schema, k, s.values.at(k)) << note(k) << "\n";
  }
  if (creds) out << "; credentials: " << *creds << "\n";
}

nlohmann::json show_json(const ConfigSection& s, std::span<const OptionSpec> schema,
                         const std::optional<std::string>& creds) {
  nlohmann::json j = nlohmann::json::object();
  j["type"] = s.type;
  for (const auto& k : ordered_keys(s)) j[k] = display_value(schema, k, s.values.at(k));
  if (creds) j["credential_source"] = *creds;
  return j;
}

int list_remotes(AppContext& ctx, bool long_form) {
  auto cfg = ctx.config();
  if (!cfg.ok()) return ctx.fail(cfg.status(), kExitFatal);
  const Config& c = **cfg;
  if (ctx.flags.json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& s : c.remotes) {
      arr.push_back({{"name", s.name}, {"type", s.type}, {"origin", s.origin}});
    }
    ctx.out << arr.dump() << "\n";
    return kExitOk;
  }
  size_t width = 0;
  for (const auto& s : c.remotes) width = std::max(width, s.name.size() + 1);
  for (const auto& s : c.remotes) {
    if (long_form) {
      ctx.out << s.name << ":" << std::string(width - s.name.size() - 1 + 2, ' ') << s.type << "\n";
    } else {
      ctx.out << s.name << ":\n";
    }
  }
  return kExitOk;
}

int show_config(AppContext& ctx, const std::string& remote) {
  auto cfg = ctx.config();
  if (!cfg.ok()) return ctx.fail(cfg.status(), kExitFatal);
  const Config& c = **cfg;
  std::vector<const ConfigSection*> chosen;
  if (remote.empty()) {
    for (const auto& s : c.remotes) chosen.push_back(&s);
  } else {
    std::string name = remote.ends_with(":") ? remote.substr(0, remote.size() - 1) : remote;
    const ConfigSection* s = c.find(name);
    if (!s) {
      std::string names;
      for (const auto& n : c.names()) names += (names.empty() ? "" : ", ") + n;
      return ctx.fail(Status{Errc::invalid_argument, "unknown remote '" + name +
                                                         "' (configured remotes: " +
                                                         (names.empty() ? "none" : names) + ")"});
    }
    chosen.push_back(s);
  }
  if (ctx.flags.json) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto* s : chosen)
      j[s->name] = show_json(*s, schema_of(ctx, *s), credential_source(ctx, *s));
    ctx.out << j.dump(2) << "\n";
    return kExitOk;
  }
  bool first = true;
  for (const auto* s : chosen) {
    if (!first) ctx.out << "\n";
    first = false;
    show_ini(ctx.out, *s, schema_of(ctx, *s), credential_source(ctx, *s));
  }
  return kExitOk;
}

int config_path(AppContext& ctx) {
  ConfigLocation loc = ctx.config_location();
  if (ctx.flags.json) {
    std::error_code ec;
    bool exists = std::filesystem::exists(loc.path, ec);
    ctx.out << nlohmann::json{{"path", loc.path}, {"source", loc.source}, {"exists", exists}}.dump()
            << "\n";
  } else {
    ctx.out << loc.path << "\n";
  }
  return kExitOk;
}

// Without a type: the backend types with their descriptions. With one: its keys (type,
// default, help), or the docs' markdown table.
int config_keys(AppContext& ctx, const std::string& type, bool markdown) {
  if (type.empty()) {
    for (const auto& e : ctx.registry().entries())
      ctx.out << e.type << std::string(e.type.size() < 12 ? 12 - e.type.size() : 1, ' ')
              << e.description << "\n";
    return kExitOk;
  }
  const BackendEntry* b = ctx.registry().find(type);
  if (!b) {
    std::string known;
    for (const auto& e : ctx.registry().entries()) known += (known.empty() ? "" : ", ") + e.type;
    return ctx.fail({Errc::invalid_argument, "unknown type '" + type + "' (known: " + known + ")"},
                    kExitUsage);
  }
  if (markdown) {
    ctx.out << markdown_key_table(b->options);
    return kExitOk;
  }
  if (ctx.flags.json) {
    nlohmann::json keys = nlohmann::json::array();
    for (const OptionSpec& o : b->options)
      keys.push_back({{"key", o.key},
                      {"type", option_type_name(o.type)},
                      {"default", o.default_value},
                      {"secret", o.secret == Secret::yes},
                      {"required", o.required},
                      {"help", o.help}});
    ctx.out << keys.dump() << "\n";
    return kExitOk;
  }
  for (const OptionSpec& o : b->options) {
    ctx.out << o.key << " (" << option_type_name(o.type)
            << (o.required ? ", required"
                           : std::string(*o.default_value ? ", default " : "") + o.default_value)
            << (o.secret == Secret::yes ? ", secret" : "") << ")\n    " << o.help << "\n";
  }
  return kExitOk;
}

}  // namespace

void add_config_commands(CLI::App& app, AppContext& ctx) {
  auto* lr = app.add_subcommand("listremotes", "List the configured remotes (name:)");
  auto long_form = std::make_shared<bool>(false);
  lr->add_flag("--long", *long_form, "Show the type of each remote too");
  on_run(lr, ctx, [&ctx, long_form] { return list_remotes(ctx, *long_form); });

  auto* config = app.add_subcommand("config", "Show and edit the config file and its remotes");
  config->require_subcommand(1);
  auto* show = config->add_subcommand(
      "show", "Print the config of all remotes, or of one (secrets shown as ***)");
  auto remote = std::make_shared<std::string>();
  show->add_option("remote", *remote, "Remote name (with or without the trailing ':')");
  on_run(show, ctx, [&ctx, remote] { return show_config(ctx, *remote); });

  auto* path = config->add_subcommand("path", "Print the path of the config file in use");
  on_run(path, ctx, [&ctx] { return config_path(ctx); });

  auto* keys = config->add_subcommand(
      "keys",
      "List the backend types, or the config keys of one type (--markdown: the docs table)");
  auto type = std::make_shared<std::string>();
  auto markdown = std::make_shared<bool>(false);
  keys->add_option("type", *type, "Backend type: s3, azureblob, oss, local");
  keys->add_flag("--markdown", *markdown, "Print the markdown table of docs/remotes/*.md");
  on_run(keys, ctx, [&ctx, type, markdown] { return config_keys(ctx, *type, *markdown); });
  add_config_edit_commands(*config, ctx);
}

}  // namespace cpsync
