// cli/config_edit_commands.cc — `config create NAME TYPE key=value...`, `config update NAME
// key=value...`, `config delete NAME` (conf/config_edit.h writes the file) and `config dump`
// (every remote as JSON, secrets as *** unless --show-secrets).
#include "cli/config_edit_commands.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "conf/config_edit.h"
#include "core/log.h"

namespace cpsync {
namespace {

struct EditArgs {
  std::string name, type;
  std::vector<std::string> values;  // key=value words
  bool show_secrets = false;
};

// The config file's text and the path to write: "" for a default file not created yet.
// A missing file named by --config or $CPSYNC_CONFIG may be created only by `create`.
Result<std::string> read_config_text(const ConfigLocation& loc, bool may_be_missing) {
  std::ifstream in(loc.path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT && may_be_missing) return std::string();
    if (errno == ENOENT) return Status{Errc::not_found, "config file not found: " + loc.path};
    return Status{Errc::invalid_argument,
                  "cannot read config file " + loc.path + ": " + std::strerror(errno)};
  }
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string strip_colon(std::string name) {
  if (name.ends_with(":")) name.pop_back();
  return name;
}

// Parses text as the config would be loaded (no environment) and prints [name] as
// `config show` does: the check that the written file loads, and the user's confirmation.
Result<Config> check_text(AppContext& ctx, const std::string& text) {
  return parse_config(text, ctx.config_location().path, {}, ctx.registry().schemas());
}

// The values as the written file will read them back: inih cuts a value at " ;" (an inline
// comment), so such a value cannot be stored. Never names the value (it may be a secret).
Status check_round_trip(const Config& after, const std::string& name,
                        const std::vector<KeyValue>& values) {
  const ConfigSection* s = after.find(name);
  for (const auto& kv : values) {
    if (!s || s->get_or(kv.key, "") != kv.value)
      return Status{Errc::invalid_argument,
                    "key '" + kv.key +
                        "': the value cannot be stored in the config file as given (a ' ;' "
                        "starts a comment there)"};
  }
  return Status::OK();
}

// The config file as it is now: its text and what it parses to.
struct CurrentConfig {
  std::string text;
  Config parsed;
};

Result<CurrentConfig> read_current(AppContext& ctx, bool may_be_missing) {
  CPSYNC_ASSIGN_OR_RETURN(std::string text,
                          read_config_text(ctx.config_location(), may_be_missing));
  CPSYNC_ASSIGN_OR_RETURN(Config parsed, check_text(ctx, text));
  return CurrentConfig{std::move(text), std::move(parsed)};
}

int write_and_report(AppContext& ctx, const std::string& text, const std::string& what) {
  Status w = write_config_file(ctx.config_location().path, text);
  if (!w.ok()) return ctx.fail(w, kExitError);
  log_notice(what + " in " + ctx.config_location().path);
  return kExitOk;
}

// Writes next after checking that it loads (required keys present) and reads the values back
// as given.
int write_checked(AppContext& ctx, const std::string& next, const std::string& name,
                  const std::vector<KeyValue>& values, const std::string& what) {
  auto after = check_text(ctx, next);
  if (!after.ok()) return ctx.fail(after.status(), kExitUsage);
  Status same = check_round_trip(*after, name, values);
  if (!same.ok()) return ctx.fail(same, kExitUsage);
  return write_and_report(ctx, next, what);
}

int create_remote(AppContext& ctx, EditArgs& a) {
  std::string name = strip_colon(a.name);
  if (!valid_remote_name(name) || name.size() > 48)
    return ctx.fail(
        {Errc::invalid_argument, "invalid remote name '" + name +
                                     "': use up to 48 letters, digits, '_', '-', '.', '+', '@'"},
        kExitUsage);
  const BackendEntry* b = ctx.registry().find(a.type);
  if (!b) {
    std::string known;
    for (const auto& e : ctx.registry().entries()) known += (known.empty() ? "" : ", ") + e.type;
    return ctx.fail(
        {Errc::invalid_argument, "unknown type '" + a.type + "' (known: " + known + ")"},
        kExitUsage);
  }
  const BackendSchema* schema = find_schema(ctx.registry().schemas(), a.type);
  auto values = parse_key_values(a.values, *schema, name);
  if (!values.ok()) return ctx.fail(values.status(), kExitUsage);
  auto now = read_current(ctx, true);
  if (!now.ok()) return ctx.fail(now.status(), kExitFatal);
  if (now->parsed.find(name))
    return ctx.fail({Errc::invalid_argument,
                     "remote '" + name + "' already exists in " + ctx.config_location().path +
                         " (change it with: cpsync config update " + name + " key=value ...)"},
                    kExitUsage);
  std::string next = config_text_create(now->text, name, a.type, *values);
  return write_checked(ctx, next, name, *values, "remote '" + name + "' (" + a.type + ") created");
}

int update_remote(AppContext& ctx, EditArgs& a) {
  std::string name = strip_colon(a.name);
  auto now = read_current(ctx, false);
  if (!now.ok()) return ctx.fail(now.status(), kExitFatal);
  const ConfigSection* s = now->parsed.find(name);
  if (!s)
    return ctx.fail({Errc::invalid_argument,
                     "no remote '" + name + "' in " + ctx.config_location().path +
                         " (create it with: cpsync config create " + name + " TYPE key=value ...)"},
                    kExitUsage);
  if (a.values.empty())
    return ctx.fail({Errc::invalid_argument, "config update " + name + ": give key=value pairs"},
                    kExitUsage);
  const BackendSchema* schema = find_schema(ctx.registry().schemas(), s->type);
  auto values = parse_key_values(a.values, *schema, name);
  if (!values.ok()) return ctx.fail(values.status(), kExitUsage);
  auto next = config_text_update(now->text, name, *values);
  if (!next.ok()) return ctx.fail(next.status(), kExitUsage);
  return write_checked(ctx, *next, name, *values, "remote '" + name + "' updated");
}

int delete_remote(AppContext& ctx, EditArgs& a) {
  std::string name = strip_colon(a.name);
  auto now = read_current(ctx, false);
  if (!now.ok()) return ctx.fail(now.status(), kExitFatal);
  if (!now->parsed.find(name))
    return ctx.fail(
        {Errc::invalid_argument, "no remote '" + name + "' in " + ctx.config_location().path},
        kExitUsage);
  auto next = config_text_delete(now->text, name);
  if (!next.ok()) return ctx.fail(next.status(), kExitUsage);
  auto after = check_text(ctx, *next);
  if (!after.ok()) return ctx.fail(after.status(), kExitFatal);
  return write_and_report(ctx, *next, "remote '" + name + "' deleted");
}

int dump_config(AppContext& ctx, bool show_secrets) {
  auto cfg = ctx.config();
  if (!cfg.ok()) return ctx.fail(cfg.status(), kExitFatal);
  nlohmann::json j = nlohmann::json::object();
  for (const auto& s : (*cfg)->remotes) {
    const BackendEntry* b = ctx.registry().find(s.type);
    std::span<const OptionSpec> schema = b ? b->options : std::span<const OptionSpec>{};
    nlohmann::json r = nlohmann::json::object();
    r["type"] = s.type;
    for (const auto& [k, v] : s.values) r[k] = show_secrets ? v : display_value(schema, k, v);
    j[s.name] = std::move(r);
  }
  ctx.out << j.dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void add_config_edit_commands(CLI::App& config, AppContext& ctx) {
  auto* create = config.add_subcommand(
      "create",
      "Add a remote: config create NAME TYPE key=value ... (checked against the type's keys)");
  auto c = std::make_shared<EditArgs>();
  create->add_option("name", c->name, "Name of the new remote")->required();
  create->add_option("type", c->type, "Backend type: s3, azureblob, oss, local")->required();
  create->add_option("values", c->values, "key=value pairs (see cpsync config keys TYPE)");
  on_run(create, ctx, [&ctx, c] { return create_remote(ctx, *c); });

  auto* update =
      config.add_subcommand("update", "Set keys of a remote: config update NAME key=value ...");
  auto u = std::make_shared<EditArgs>();
  update->add_option("name", u->name, "Name of the remote")->required();
  update->add_option("values", u->values, "key=value pairs (see cpsync config keys TYPE)");
  on_run(update, ctx, [&ctx, u] { return update_remote(ctx, *u); });

  auto* del = config.add_subcommand("delete", "Remove a remote from the config file");
  auto d = std::make_shared<EditArgs>();
  del->add_option("name", d->name, "Name of the remote")->required();
  on_run(del, ctx, [&ctx, d] { return delete_remote(ctx, *d); });

  auto* dump = config.add_subcommand(
      "dump", "Print every remote as JSON (secrets as *** unless --show-secrets)");
  auto show = std::make_shared<bool>(false);
  dump->add_flag("--show-secrets", *show, "Print secret values as they are");
  on_run(dump, ctx, [&ctx, show] { return dump_config(ctx, *show); });
}

}  // namespace cpsync
