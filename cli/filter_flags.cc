// cli/filter_flags.cc — CLI11 wiring of the filter flags; rule flags fire as they are
// parsed so out.rules keeps the order the user wrote them in.
#include "cli/filter_flags.h"

#include <CLI/CLI.hpp>

#include "core/units.h"

namespace cpsync {
namespace {

constexpr const char* kGroup = "Filter";

void add_rule_flag(CLI::App& cmd, const char* name, FilterSource source, FilterOptions& out,
                   const char* help) {
  cmd.add_option_function<std::string>(
         name, [&out, source](const std::string& v) { out.rules.emplace_back(source, v); }, help)
      ->trigger_on_parse()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("TEXT")
      ->group(kGroup);
}

}  // namespace

void add_filter_flags(CLI::App& cmd, FilterOptions& out) {
  add_rule_flag(cmd, "--include", FilterSource::include, out,
                "Include keys matching pattern (then exclude everything else)");
  add_rule_flag(cmd, "--exclude", FilterSource::exclude, out, "Exclude keys matching pattern");
  add_rule_flag(cmd, "--filter", FilterSource::filter, out,
                "A filter rule: '+ pattern', '- pattern' or '!' (clears the rules so far)");
  add_rule_flag(cmd, "--filter-from", FilterSource::filter_from, out,
                "Read filter rules from file (- for stdin)");
  add_rule_flag(cmd, "--include-from", FilterSource::include_from, out,
                "Read include patterns from file (- for stdin)");
  add_rule_flag(cmd, "--exclude-from", FilterSource::exclude_from, out,
                "Read exclude patterns from file (- for stdin)");
  cmd.add_option_function<std::string>(
         "--files-from",
         [&out](const std::string& v) {
           out.files_from = v;
           out.files_from_raw = false;
         },
         "Only these keys, listed one a line in file (- for stdin); the source is not listed")
      ->trigger_on_parse()  // with --files-from-raw: the last one given wins
      ->type_name("FILE")
      ->group(kGroup);
  cmd.add_option_function<std::string>(
         "--files-from-raw",
         [&out](const std::string& v) {
           out.files_from = v;
           out.files_from_raw = true;
         },
         "As --files-from, but each line is a key as written: no trimming, no comments")
      ->trigger_on_parse()
      ->type_name("FILE")
      ->group(kGroup);
  cmd.add_flag("--ignore-case", out.ignore_case, "Patterns ignore the case of ASCII letters")
      ->group(kGroup);
  cmd.add_flag("--delete-excluded", out.delete_excluded,
               "sync: also delete destination objects the filters exclude")
      ->group(kGroup);

  auto size_flag = [&](const char* name, std::optional<uint64_t>& field, const char* help) {
    cmd.add_option_function<std::string>(
           name,
           [name, &field](const std::string& v) {
             if (v == "off") {
               field.reset();
               return;
             }
             auto r = parse_size(v);
             if (!r.ok()) throw CLI::ValidationError(name, r.status().message);
             field = *r;
           },
           help)
        ->type_name("SIZE")
        ->group(kGroup);
  };
  size_flag("--min-size", out.min_size,
            "Only objects at least this large (a bare number is KiB; b, k, M, G, T, P)");
  size_flag("--max-size", out.max_size,
            "Only objects at most this large (a bare number is KiB; b, k, M, G, T, P)");

  auto age_flag = [&](const char* name, std::optional<AgeLimit>& field, const char* help) {
    cmd.add_option_function<std::string>(
           name,
           [name, &field](const std::string& v) {
             if (v == "off") {
               field.reset();
               return;
             }
             auto r = parse_filter_age(v);
             if (!r.ok()) throw CLI::ValidationError(name, r.status().message);
             field = *r;
           },
           help)
        ->type_name("AGE")
        ->group(kGroup);
  };
  age_flag("--min-age", out.min_age,
           "Only objects older than this: a duration (30m, 1d2h; s m h d w M y) or a date");
  age_flag("--max-age", out.max_age,
           "Only objects younger than this: a duration (30m, 1d2h; s m h d w M y) or a date");
  cmd.add_option("--max-depth", out.max_depth, "Only keys at most this many levels deep (1 = top)")
      ->type_name("N")
      ->group(kGroup);
}

}  // namespace cpsync
