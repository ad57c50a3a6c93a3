// sync/glob_regex.cc — globs holding rclone's {{regexp}} escape: the whole pattern becomes
// one ECMAScript std::regex (as rclone builds a Go regexp), compiled once, searched per key.
#include <regex>

#include "sync/glob.h"

namespace cpsync {

struct Glob::Regex {
  std::regex re;
};

namespace {

Status bad_regex(std::string_view pattern, std::string_view what) {
  return Status(Errc::invalid_argument,
                "bad pattern \"" + std::string(pattern) + "\": " + std::string(what));
}

void append_literal(std::string& out, char c) {
  static constexpr std::string_view kSpecial = "\\^$.|?*+()[]{}";
  if (kSpecial.find(c) != std::string_view::npos) out += '\\';
  out += c;
}

}  // namespace

bool Glob::has_regex(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '[') {
      const size_t e = glob_detail::class_end(text, i);
      if (e == std::string_view::npos) return false;  // the glob compiler reports it
      i = e;
    } else if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      return true;
    }
  }
  return false;
}

Status Glob::compile_regex(std::string_view text) {
  std::string out = anchored_ ? "^" : "(^|/)";
  int depth = 0;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) return bad_regex(pattern_, "trailing '\\'");
      append_literal(out, text[i + 1]);
      i += 2;
    } else if (c == '*') {
      size_t n = 0;
      while (i < text.size() && text[i] == '*') ++n, ++i;
      if (n > 2) return bad_regex(pattern_, "too many stars (use * or **)");
      out += n == 1 ? "[^/]*" : ".*";
    } else if (c == '?') {
      out += "(?:[^/\\x80-\\xBF][\\x80-\\xBF]*)";  // one UTF-8 character but '/'
      ++i;
    } else if (c == '[') {
      const size_t e = glob_detail::class_end(text, i);
      if (e == std::string_view::npos) return bad_regex(pattern_, "missing ']'");
      std::string_view inner = text.substr(i + 1, e - i - 1);
      out += '[';
      if (!inner.empty() && (inner[0] == '!' || inner[0] == '^')) {
        out += '^';
        inner.remove_prefix(1);
      }
      if (!inner.empty() && inner[0] == ']') {  // "[]" would be an empty class
        out += "\\]";
        inner.remove_prefix(1);
      }
      out.append(inner);
      out += ']';
      i = e + 1;
    } else if (c == ']') {
      return bad_regex(pattern_, "unmatched ']'");
    } else if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t k = text.find("}}", i + 2);
      if (k == std::string_view::npos) return bad_regex(pattern_, "missing '}}'");
      while (k + 2 < text.size() && text[k + 2] == '}') ++k;  // "{{a{2}}}": the longest
      out += "(";
      out.append(text.substr(i + 2, k - i - 2));
      out += ")";
      i = k + 2;
    } else if (c == '{') {
      out += "(?:";
      ++depth;
      ++i;
    } else if (c == '}') {
      if (depth == 0) return bad_regex(pattern_, "unmatched '}'");
      out += ')';
      --depth;
      ++i;
    } else if (c == ',' && depth > 0) {
      out += '|';
      ++i;
    } else {
      append_literal(out, c);
      ++i;
    }
  }
  if (depth > 0) return bad_regex(pattern_, "unmatched '{'");
  out += '$';
  auto flags = std::regex::ECMAScript | std::regex::optimize;
  if (ignore_case_) flags |= std::regex::icase;
  try {
    regex_ = std::make_shared<const Regex>(Regex{std::regex(out, flags)});
  } catch (const std::regex_error& e) {
    return bad_regex(pattern_, std::string("bad regular expression: ") + e.what());
  }
  return Status::OK();
}

bool Glob::match_regex(std::string_view key) const {
  try {
    return std::regex_search(key.begin(), key.end(), regex_->re);
  } catch (const std::regex_error&) {  // error_complexity / error_stack: treat as no match
    return false;
  }
}

}  // namespace cpsync
