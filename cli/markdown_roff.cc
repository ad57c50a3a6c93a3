// cli/markdown_roff.cc — Markdown to man(7) roff (markdown_roff.h).
#include "cli/markdown_roff.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace cpsync {
namespace {

// Appends the code point starting at s[i] as \[uXXXX]; returns the bytes it took.
size_t escape_utf8(std::string_view s, size_t i, std::string& out) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
  out += buf;
  return len;
}

std::string escape_chars(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    char ch = text[i];
    if (static_cast<unsigned char>(ch) >= 0x80) {
      i += escape_utf8(text, i, out);
      continue;
    }
    if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else {
      out += ch;
    }
    ++i;
  }
  return out;
}

std::string guard_line_start(std::string s) {
  if (!s.empty() && (s[0] == '.' || s[0] == '\'')) s.insert(0, "\\&");
  return s;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

size_t indent_of(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] == ' ') ++n;
  return n;
}

// "- x", "* x", "12. x": the text after the marker, or npos.
size_t list_item_text(std::string_view line) {
  size_t i = indent_of(line);
  if (i + 1 < line.size() && (line[i] == '-' || line[i] == '*') && line[i + 1] == ' ') return i + 2;
  size_t d = i;
  while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
  if (d > i && d + 1 < line.size() && line[d] == '.' && line[d + 1] == ' ') return d + 2;
  return std::string_view::npos;
}

// Table cells, split on '|' outside code spans.
std::vector<std::string> table_cells(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|') line.remove_suffix(1);
  std::vector<std::string> cells(1);
  bool code = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (ch == '\\' && i + 1 < line.size() && line[i + 1] == '|') {  // \| is a literal '|'
      cells.back() += '|';
      ++i;
      continue;
    }
    if (ch == '`') code = !code;
    if (ch == '|' && !code) {
      cells.emplace_back();
    } else {
      cells.back() += ch;
    }
  }
  for (auto& c : cells) c = std::string(trim(c));
  return cells;
}

bool is_table_rule(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.front() != '|') return false;
  for (char ch : line) {
    if (ch != '|' && ch != '-' && ch != ':' && ch != ' ') return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

std::string roff_escape(std::string_view text) {
  return guard_line_start(escape_chars(text));
}

std::string roff_inline(std::string_view md) {
  std::string out;
  size_t i = 0;
  auto until = [&md](size_t from, std::string_view end) { return md.find(end, from); };
  while (i < md.size()) {
    char ch = md[i];
    if (ch == '`') {
      size_t close = until(i + 1, "`");
      if (close != std::string_view::npos) {
        out += "\\fB" + escape_chars(md.substr(i + 1, close - i - 1)) + "\\fR";
        i = close + 1;
        continue;
      }
    } else if (md.substr(i, 2) == "**") {
      size_t close = until(i + 2, "**");
      if (close != std::string_view::npos) {
        out += "\\fB" + roff_inline(md.substr(i + 2, close - i - 2)) + "\\fR";
        i = close + 2;
        continue;
      }
    } else if (ch == '*' && i + 1 < md.size() && md[i + 1] != ' ') {
      size_t close = until(i + 1, "*");
      if (close != std::string_view::npos && close > i + 1) {
        out += "\\fI" + roff_inline(md.substr(i + 1, close - i - 1)) + "\\fR";
        i = close + 1;
        continue;
      }
    } else if (ch == '[') {
      size_t mid = until(i + 1, "](");
      size_t close = mid == std::string_view::npos ? mid : until(mid + 2, ")");
      if (close != std::string_view::npos &&
          md.substr(i + 1, mid - i - 1).find(']') == std::string_view::npos) {
        std::string_view url = md.substr(mid + 2, close - mid - 2);
        out += roff_inline(md.substr(i + 1, mid - i - 1));
        if (url.starts_with("http://") || url.starts_with("https://")) {
          out += " <" + escape_chars(url) + ">";
        }
        i = close + 1;
        continue;
      }
    }
    size_t next = i + 1;
    while (next < md.size() && md[next] != '`' && md[next] != '*' && md[next] != '[') ++next;
    out += escape_chars(md.substr(i, next - i));
    i = next;
  }
  return guard_line_start(out);
}

std::string markdown_to_roff(std::string_view md) {
  std::vector<std::string_view> lines;
  for (size_t start = 0; start <= md.size();) {
    size_t nl = md.find('\n', start);
    if (nl == std::string_view::npos) nl = md.size();
    lines.push_back(md.substr(start, nl - start));
    start = nl + 1;
  }
  std::string out;
  bool blank_before = true;
  bool in_list = false;
  bool in_paragraph = false;
  // The running paragraph or list item, converted once whole: inline code may span lines.
  std::string text;
  auto flush = [&out, &text] {
    if (!text.empty()) out += roff_inline(text) + "\n";
    text.clear();
  };
  auto add = [&text](std::string_view more) {
    if (!text.empty()) text += ' ';
    text += more;
  };
  for (size_t n = 0; n < lines.size(); ++n) {
    std::string_view line = lines[n];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view t = trim(line);
    const bool continues = !t.empty() && !blank_before && in_paragraph &&
                           list_item_text(line) == std::string_view::npos && t.front() != '|' &&
                           t.front() != '#' && !t.starts_with("```");
    if (continues) {
      add(t);
      continue;
    }
    flush();
    if (t.empty()) {
      blank_before = true;
      in_paragraph = false;
      continue;
    }
    if (t.starts_with("<!--")) continue;
    if (t.starts_with("```")) {  // fenced code: verbatim until the closing fence
      out += ".PP\n.RS 4\n.nf\n";
      for (++n; n < lines.size() && !trim(lines[n]).starts_with("```"); ++n) {
        out += roff_escape(lines[n]) + "\n";
      }
      out += ".fi\n.RE\n";
      blank_before = in_paragraph = in_list = false;
      continue;
    }
    if (blank_before && !in_list && indent_of(line) >= 4) {  // indented code
      out += ".PP\n.RS 4\n.nf\n";
      for (; n < lines.size(); ++n) {
        std::string_view l = lines[n];
        if (!trim(l).empty() && indent_of(l) < 4) break;
        if (trim(l).empty()) {
          // A blank line ends the block unless more indented code follows.
          if (n + 1 >= lines.size() || indent_of(lines[n + 1]) < 4) break;
          out += "\n";
          continue;
        }
        out += roff_escape(l.substr(4)) + "\n";
      }
      out += ".fi\n.RE\n";
      --n;
      blank_before = in_paragraph = false;
      continue;
    }
    if (t.starts_with("#")) {
      size_t level = 0;
      while (level < t.size() && t[level] == '#') ++level;
      std::string title = roff_inline(trim(t.substr(level)));
      if (level == 2) {
        out += ".SH \"" + upper(title) + "\"\n";
      } else if (level > 2) {
        out += ".SS \"" + title + "\"\n";
      }
      blank_before = true;
      in_paragraph = in_list = false;
      continue;
    }
    if (t.front() == '|') {  // table: each row as a tagged paragraph, the header dropped
      bool next_is_rule = n + 1 < lines.size() && is_table_rule(lines[n + 1]);
      if (is_table_rule(t) || next_is_rule) continue;
      auto cells = table_cells(t);
      out += ".TP\n" + roff_inline(cells[0]) + "\n";
      std::string rest;
      for (size_t k = 1; k < cells.size(); ++k) {
        if (!cells[k].empty()) rest += (rest.empty() ? "" : "; ") + cells[k];
      }
      out += (rest.empty() ? std::string("\\&") : roff_inline(rest)) + "\n";
      blank_before = in_paragraph = in_list = false;
      continue;
    }
    if (size_t item = list_item_text(line); item != std::string_view::npos) {
      out += ".IP \\(bu 2\n";
      add(trim(line.substr(item)));
      in_list = in_paragraph = true;
      blank_before = false;
      continue;
    }
    if (in_list && indent_of(line) > 0 && blank_before) {  // a list item's next paragraph
      out += ".IP \"\" 2\n";
      add(t);
      in_paragraph = true;
      blank_before = false;
      continue;
    }
    out += ".PP\n";
    add(t);
    in_paragraph = true;
    in_list = false;
    blank_before = false;
  }
  flush();
  return out;
}

}  // namespace cpsync
