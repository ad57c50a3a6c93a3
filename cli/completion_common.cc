// cli/completion_common.cc — helpers shared by the completion generators (completion.h).
#include "cli/completion.h"

#include <utility>

namespace cpsync::completion {
namespace {

void collect(const CommandSpec& c, std::vector<const CommandSpec*>& out) {
  out.push_back(&c);
  for (const auto& sub : c.subcommands) collect(sub, out);
}

}  // namespace

std::vector<const CommandSpec*> all_commands(const CommandSpec& root) {
  std::vector<const CommandSpec*> out;
  collect(root, out);
  return out;
}

std::vector<const FlagSpec*> accepted_flags(const CommandSpec& c) {
  std::vector<const FlagSpec*> out;
  for (const auto& f : c.flags) out.push_back(&f);
  for (const auto& f : c.inherited) out.push_back(&f);
  return out;
}

std::string sh_quote(std::string_view s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string fish_quote(std::string_view s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

std::string summary(std::string_view help) {
  std::string s(help.substr(0, help.find('\n')));
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

bool file_valued(const FlagSpec& f) {
  return f.value_name.find("FILE") != std::string::npos || f.value_name == "DIR" ||
         f.value_name == "PATH";
}

std::string fill_template(std::string text, const std::string& fn, const std::string& root) {
  for (const auto& [from, to] : {std::pair<std::string, const std::string&>{"FN", fn},
                                 std::pair<std::string, const std::string&>{"ROOT", root}}) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace cpsync::completion
