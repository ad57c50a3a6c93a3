// cli/cli_model.cc — walks the CLI11 app into CommandSpec (see cli_model.h).
#include "cli/cli_model.h"

#include <CLI/CLI.hpp>

namespace cpsync {
namespace {

// CLI11 appends each validator's description to the type name: "TEXT:{bash,zsh,fish}".
// A set validator (IsMember, Transformer) describes itself as "{a,b}" or "{a->x,b->y}".
std::vector<std::string> choices_of(const std::string& full_type) {
  std::vector<std::string> out;
  size_t open = full_type.find(":{");
  if (open == std::string::npos) return out;
  size_t close = full_type.find('}', open);
  if (close == std::string::npos) return out;
  std::string body = full_type.substr(open + 2, close - open - 2);
  size_t start = 0;
  while (start <= body.size()) {
    size_t comma = body.find(',', start);
    std::string item =
        body.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (size_t arrow = item.find("->"); arrow != std::string::npos) item.resize(arrow);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// The type name without a set validator's part (a type name may itself hold a ':').
std::string base_type(const std::string& full_type) {
  return full_type.substr(0, full_type.find(":{"));
}

FlagSpec flag_of(const CLI::Option& o, const CLI::Option* help) {
  FlagSpec f;
  for (const auto& s : o.get_snames()) f.names.push_back("-" + s);
  for (const auto& l : o.get_lnames()) f.names.push_back("--" + l);
  f.takes_value = o.get_items_expected_max() > 0;
  if (f.takes_value) {
    const std::string full = o.get_type_name();
    f.value_name = base_type(full);
    if (f.value_name.empty()) f.value_name = "VALUE";
    f.choices = choices_of(full);
  }
  f.help = o.get_description();
  if (f.takes_value) f.default_value = o.get_default_str();
  f.is_help = &o == help;
  return f;
}

CommandSpec describe(const CLI::App& app, std::vector<std::string> path,
                     const std::vector<FlagSpec>* parent_flags) {
  CommandSpec c;
  c.path = std::move(path);
  c.help = app.get_description();
  c.needs_subcommand = app.get_require_subcommand_min() > 0;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty()) continue;  // hidden
    if (o->get_positional()) {
      PositionalSpec p;
      p.name = o->get_name(true);
      p.help = o->get_description();
      p.choices = choices_of(o->get_type_name());
      p.required = o->get_required();
      p.repeated = o->get_items_expected_max() > 1;
      c.positionals.push_back(std::move(p));
    } else {
      c.flags.push_back(flag_of(*o, app.get_help_ptr()));
    }
  }
  if (parent_flags && app.get_fallthrough()) {
    // A parent's flag that one of its own shadows (-h, --help) is not inherited.
    for (const FlagSpec& f : *parent_flags) {
      bool shadowed = false;
      for (const FlagSpec& own : c.flags) {
        for (const auto& n : f.names) {
          for (const auto& m : own.names) shadowed = shadowed || n == m;
        }
      }
      if (!shadowed) c.inherited.push_back(f);
    }
  }
  std::vector<FlagSpec> visible_here = c.flags;
  visible_here.insert(visible_here.end(), c.inherited.begin(), c.inherited.end());
  for (const CLI::App* sub : app.get_subcommands(
           [](const CLI::App* s) { return !s->get_group().empty() && !s->get_name().empty(); })) {
    std::vector<std::string> sub_path = c.path;
    sub_path.push_back(sub->get_name());
    c.subcommands.push_back(describe(*sub, std::move(sub_path), &visible_here));
  }
  return c;
}

}  // namespace

std::string CommandSpec::joined() const {
  std::string s;
  for (const auto& p : path) s += (s.empty() ? "" : " ") + p;
  return s;
}

CommandSpec describe_cli(const CLI::App& app) {
  return describe(app, {app.get_name()}, nullptr);
}

}  // namespace cpsync
