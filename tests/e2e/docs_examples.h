// tests/e2e/docs_examples.h — finds the cpsync command examples in the Markdown docs (the
// convention is in tests/README.md): code-block lines that start with `cpsync ` (script
// style) or `$ ` (a transcript, whose following lines are the shown output), their trailing
// `# ...` comment (`# exit N`, `# not run in tests: why`), `\` continuations, `export`
// lines of script blocks; and splits a command line into shell words. Pure functions;
// any thread.
#pragma once

#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace cpsync::testing::docs {

struct Example {
  std::string file;  // relative to the source tree
  int line = 0;      // 1-based line of the command's first line
  std::string cmd;   // the command, comment and `$ ` removed, continuations joined
  std::string comment;
  bool checked = true;               // false: a transcript's setup step (no cpsync in it)
  int want_exit = 0;                 // `# exit N`
  std::string not_run;               // `# not run in tests: why`
  std::vector<std::string> output;   // transcript lines shown after the command
  std::vector<std::string> exports;  // `export` lines before it in its script block
};

// The position of an unquoted ` #` that starts a shell comment, or npos.
inline size_t comment_start(const std::string& s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"')
      quote = c;
    else if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
      return i;
  }
  return std::string::npos;
}

inline std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

// A command line: optional VAR=value words, then the word cpsync.
inline bool is_cpsync_line(const std::string& s) {
  static const std::regex re(
      R"(^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|\S+)\s+)*cpsync(?:\s|$))");
  return std::regex_search(s, re);
}

inline void set_comment(Example& e, const std::string& text) {
  size_t h = comment_start(text);
  e.cmd = trim(h == std::string::npos ? text : text.substr(0, h));
  e.comment = h == std::string::npos ? "" : trim(text.substr(h + 1));
  std::smatch m;
  static const std::regex exit_re(R"(^exit (\d+)\b)");
  if (std::regex_search(e.comment, m, exit_re)) e.want_exit = std::stoi(m[1]);
  static const std::regex skip_re(R"(not run in tests: *(.*))");
  if (std::regex_search(e.comment, m, skip_re)) e.not_run = m[1];
}

struct BlockLine {
  int line;
  std::string text;
};

// Turns one code block into examples (appended to out).
inline void parse_block(const std::string& file, const std::vector<BlockLine>& raw,
                        std::vector<Example>& out) {
  // Join `\` continuations.
  std::vector<BlockLine> lines;
  for (size_t i = 0; i < raw.size(); ++i) {
    BlockLine l = raw[i];
    while (!l.text.empty() && l.text.back() == '\\' && i + 1 < raw.size())
      l.text = l.text.substr(0, l.text.size() - 1) + " " + trim(raw[++i].text);
    lines.push_back(l);
  }
  std::vector<std::string> exports;
  Example* last = nullptr;  // the transcript step that output lines belong to
  for (const BlockLine& l : lines) {
    const std::string t = trim(l.text);
    if (t.starts_with("$ export ")) {
      exports.push_back(t.substr(2));
      last = nullptr;
    } else if (t.starts_with("$ ")) {
      Example e;
      e.file = file;
      e.line = l.line;
      set_comment(e, t.substr(2));
      e.exports = exports;
      e.checked = e.cmd.find("cpsync") != std::string::npos;
      out.push_back(e);
      last = &out.back();
    } else if (last) {
      if (!t.empty()) last->output.push_back(l.text);
    } else if (is_cpsync_line(t)) {
      Example e;
      e.file = file;
      e.line = l.line;
      set_comment(e, t);
      e.exports = exports;
      out.push_back(e);
    } else if (t.starts_with("export ")) {
      exports.push_back(t);
    }
  }
}

// Every example in one Markdown file. Fenced blocks tagged `synopsis` hold command
// synopses, not examples: they are counted in *synopses and skipped.
inline std::vector<Example> extract(const std::string& root, const std::string& file,
                                    int* synopses) {
  std::ifstream in(root + "/" + file);
  std::vector<Example> out;
  std::vector<BlockLine> block;
  std::string line;
  int n = 0;
  bool fenced = false, synopsis = false, indented = false, prev_blank = true, in_list = false;
  auto flush = [&] {
    if (synopsis) {
      for (auto& b : block) *synopses += trim(b.text).starts_with("cpsync ");
    } else {
      parse_block(file, block, out);
    }
    block.clear();
  };
  static const std::regex list_re(R"(^\s*(?:[-*+]|\d+\.)\s)");
  while (std::getline(in, line)) {
    ++n;
    const std::string t = trim(line);
    if (fenced) {
      if (t.starts_with("```")) {
        flush();
        fenced = false;
      } else {
        block.push_back({n, line});
      }
      continue;
    }
    if (t.starts_with("```")) {
      if (indented) flush();
      indented = false;
      fenced = true;
      synopsis = t.substr(3) == "synopsis";
      prev_blank = false;
      continue;
    }
    const bool four = line.starts_with("    ") || line.starts_with("\t");
    if (indented) {
      if (t.empty() || four) {
        block.push_back({n, four ? line.substr(line[0] == '\t' ? 1 : 4) : ""});
        continue;
      }
      flush();
      indented = false;
    }
    if (four && prev_blank && !in_list && !t.empty()) {
      indented = true;
      synopsis = false;
      block.push_back({n, line.substr(line[0] == '\t' ? 1 : 4)});
      continue;
    }
    if (std::regex_search(line, list_re))
      in_list = true;
    else if (!t.empty() && !line.starts_with(" "))
      in_list = false;
    prev_blank = t.empty();
  }
  if (fenced || indented) flush();
  return out;
}

// One shell word of a command line: where it is in the text and its value without quotes.
struct Word {
  size_t begin = 0, end = 0;
  std::string value;
  bool quoted = false;   // began with a quote
  bool expands = false;  // holds $ (its value is known only to the shell)
};

// The words of the cpsync invocation that starts at `from` (just after "cpsync"), up to an
// unquoted |, ;, & or the `)` closing a $( ... ) it sits in.
inline std::vector<Word> words_from(const std::string& s, size_t from) {
  std::vector<Word> words;
  size_t i = from;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size() || s[i] == '|' || s[i] == ';' || s[i] == '&' || s[i] == ')') break;
    Word w;
    w.begin = i;
    w.quoted = s[i] == '\'' || s[i] == '"';
    char quote = 0;
    int paren = 0;
    while (i < s.size()) {
      char c = s[i];
      if (quote) {
        if (c == quote)
          quote = 0;
        else
          w.value += c;
        if (c == '$' && quote == '"') w.expands = true;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '$') {
        w.expands = true;
        w.value += c;
        if (i + 1 < s.size() && s[i + 1] == '(') {
          ++paren;
          w.value += '(';
          ++i;
        }
      } else if (c == ')' && paren > 0) {
        --paren;
        w.value += c;
      } else if (paren == 0 && (c == ' ' || c == '\t' || c == '|' || c == ';' || c == ')')) {
        break;
      } else {
        w.value += c;
      }
      ++i;
    }
    w.end = i;
    words.push_back(w);
  }
  return words;
}

// Where each cpsync invocation in a command starts (just after the word cpsync).
inline std::vector<size_t> cpsync_calls(const std::string& s) {
  std::vector<size_t> at;
  static const std::regex re(R"((^|[\s(|;&])cpsync(?=\s))");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    at.push_back(static_cast<size_t>(it->position(0) + it->length(0)));
  return at;
}

// A shown output line as a regular expression: `...` matches any text, the digits of
// dates and times (2024-05-17, 12:34:56.123456789) match any digits; the rest is literal.
inline std::regex output_pattern(const std::string& shown) {
  static const std::regex stamp(R"(\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d(?:\.\d+)?)");
  std::string re;
  auto literal = [&](const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text.compare(i, 3, "...") == 0) {
        re += ".*";
        i += 2;
      } else if (std::string("\\^$.|?*+()[]{}").find(text[i]) != std::string::npos) {
        re += std::string("\\") + text[i];
      } else {
        re += text[i];
      }
    }
  };
  size_t pos = 0;
  for (auto it = std::sregex_iterator(shown.begin(), shown.end(), stamp);
       it != std::sregex_iterator(); ++it) {
    literal(shown.substr(pos, static_cast<size_t>(it->position(0)) - pos));
    for (char c : it->str())
      re += std::isdigit(static_cast<unsigned char>(c)) ? "\\d"
                                                        : (c == '.' ? "\\." : std::string(1, c));
    pos = static_cast<size_t>(it->position(0) + it->length(0));
  }
  literal(shown.substr(pos));
  return std::regex(re);
}

// True when every shown line matches an output line, in order (other lines may come between).
inline bool output_matches(const std::vector<std::string>& shown,
                           const std::vector<std::string>& actual) {
  size_t a = 0;
  for (const std::string& s : shown) {
    const std::regex re = output_pattern(s);
    while (a < actual.size() && !std::regex_match(actual[a], re)) ++a;
    if (a == actual.size()) return false;
    ++a;
  }
  return true;
}

}  // namespace cpsync::testing::docs
