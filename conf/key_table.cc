// conf/key_table.cc — option schema -> docs table (see key_table.h).
#include "conf/key_table.h"

namespace cpsync {
namespace {

std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string default_cell(const OptionSpec& o) {
  if (o.required) return "required";
  if (*o.default_value) return "`" + cell(o.default_value) + "`";
  return cell(o.default_note);
}

struct Block {
  size_t content_begin, content_end;
};

std::optional<Block> find_block(std::string_view doc, std::string_view type) {
  const std::string begin = key_table_begin_marker(type);
  size_t b = doc.find(begin);
  if (b == std::string_view::npos) return std::nullopt;
  size_t content = doc.find('\n', b);
  if (content == std::string_view::npos) return std::nullopt;
  ++content;
  size_t e = doc.find(kKeyTableEndMarker, content);
  if (e == std::string_view::npos) return std::nullopt;
  return Block{content, e};
}

}  // namespace

std::string markdown_key_table(std::span<const OptionSpec> schema) {
  std::string t = "| key | type | default | meaning |\n|---|---|---|---|\n";
  for (const OptionSpec& o : schema) {
    std::string meaning = cell(o.help);
    if (o.secret == Secret::yes) meaning += ". **Secret**: shown as `***`, never logged";
    t += "| `" + std::string(o.key) + "` | " + option_type_name(o.type) + " | " + default_cell(o) +
         " | " + meaning + " |\n";
  }
  return t;
}

std::string key_table_begin_marker(std::string_view type) {
  return "<!-- keys: " + std::string(type) + " -->";
}

std::optional<std::string> generated_key_table(std::string_view doc, std::string_view type) {
  auto block = find_block(doc, type);
  if (!block) return std::nullopt;
  return std::string(doc.substr(block->content_begin, block->content_end - block->content_begin));
}

std::optional<std::string> splice_key_table(std::string_view doc, std::string_view type,
                                            std::string_view table) {
  auto block = find_block(doc, type);
  if (!block) return std::nullopt;
  std::string out(doc.substr(0, block->content_begin));
  out += table;
  out += doc.substr(block->content_end);
  return out;
}

}  // namespace cpsync
