// sync/glob.cc — compiling rclone-style globs: brace expansion into alternatives, then each
// alternative into tokens matched by a bit-parallel NFA (linear in the key length).
#include "sync/glob.h"

#include <array>
#include <cstring>
#include <utility>

namespace cpsync {
namespace {

constexpr size_t kMaxAlternatives = 1024;
constexpr size_t kMaxTokens = 1023;  // + the accept state fits 16 words of 64 bits
constexpr uint32_t kInvalidBase = 0x110000;
constexpr char kJoin = '\0';  // joins brace expansions; the tokenizer skips it

Status bad(std::string_view pattern, std::string_view what) {
  return Status(Errc::invalid_argument,
                "bad pattern \"" + std::string(pattern) + "\": " + std::string(what));
}

}  // namespace

// Index of the ']' closing the class opened at s[open], or npos.
size_t glob_detail::class_end(std::string_view s, size_t open) {
  size_t j = open + 1;
  if (j < s.size() && (s[j] == '!' || s[j] == '^')) ++j;
  if (j < s.size() && s[j] == ']') ++j;  // a leading ']' is a literal
  while (j < s.size()) {
    if (s[j] == '\\') {
      j += 2;
      continue;
    }
    if (s[j] == '[' && j + 1 < s.size() && s[j + 1] == ':') {
      size_t k = s.find(":]", j + 2);
      if (k != std::string_view::npos) {
        j = k + 2;
        continue;
      }
    }
    if (s[j] == ']') return j;
    ++j;
  }
  return std::string_view::npos;
}

namespace {

using glob_detail::class_end;

// Expands {a,b} alternatives (nested ones too) into brace-free patterns.
Status expand_braces(std::string_view whole, const std::string& s, std::vector<std::string>& out) {
  size_t open = std::string::npos;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '[') {
      size_t e = class_end(s, i);
      if (e == std::string_view::npos) return bad(whole, "missing ']'");
      i = e + 1;
    } else if (c == '{') {
      open = i;
      break;
    } else if (c == '}') {
      return bad(whole, "unmatched '}'");
    } else {
      ++i;
    }
  }
  if (open == std::string::npos) {
    if (out.size() >= kMaxAlternatives) return bad(whole, "too many {} alternatives");
    out.push_back(s);
    return Status::OK();
  }
  if (open + 1 < s.size() && s[open + 1] == '{')
    return bad(whole, "regular expressions ({{...}}) are not supported");
  std::vector<size_t> cuts{open};  // positions of '{' and the top-level ','
  size_t close = std::string::npos;
  int depth = 1;
  for (size_t j = open + 1; j < s.size();) {
    char c = s[j];
    if (c == '\\') {
      j += 2;
      continue;
    }
    if (c == '[') {
      size_t e = class_end(s, j);
      if (e == std::string_view::npos) return bad(whole, "missing ']'");
      j = e + 1;
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) {
      close = j;
      break;
    }
    if (c == ',' && depth == 1) cuts.push_back(j);
    ++j;
  }
  if (close == std::string::npos) return bad(whole, "unmatched '{'");
  cuts.push_back(close);
  const std::string prefix = s.substr(0, open), suffix = s.substr(close + 1);
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    std::string alt = s.substr(cuts[k] + 1, cuts[k + 1] - cuts[k] - 1);
    // kJoin keeps "{a*,b}*" from turning into "a**": stars never merge across a brace.
    CPSYNC_RETURN_IF_ERROR(expand_braces(whole, prefix + kJoin + alt + kJoin + suffix, out));
  }
  return Status::OK();
}

void append_utf8(std::string& out, uint32_t c) {
  if (c >= kInvalidBase) {
    out.push_back(static_cast<char>(c - kInvalidBase));
  } else if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

uint32_t fold(uint32_t c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}
uint32_t unfold(uint32_t c) {
  return c >= 'a' && c <= 'z' ? c - 32 : c;
}

// Compares bytes; with fold_case, ASCII letters of s compare lower-cased (t already is).
bool equal_at(std::string_view s, size_t pos, std::string_view t, bool fold_case) {
  if (s.size() < pos + t.size()) return false;
  if (!fold_case) return std::memcmp(s.data() + pos, t.data(), t.size()) == 0;
  for (size_t i = 0; i < t.size(); ++i)
    if (fold(static_cast<unsigned char>(s[pos + i])) != static_cast<unsigned char>(t[i]))
      return false;
  return true;
}

bool ends_with(std::string_view s, std::string_view t, bool fold_case = false) {
  return s.size() >= t.size() && equal_at(s, s.size() - t.size(), t, fold_case);
}

}  // namespace

uint32_t decode_utf8(std::string_view s, size_t i, size_t* len) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  *len = 1;
  if (b0 < 0x80) return b0;
  size_t n = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return kInvalidBase + b0;
  uint32_t c = b0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return kInvalidBase + b0;
    c = (c << 6) | (b & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF))
    return kInvalidBase + b0;
  *len = n;
  return c;
}

bool Glob::Class::contains(uint32_t c, bool fold_case) const {
  auto in = [this](uint32_t x) {
    for (const Range& r : ranges)
      if (x >= r.lo && x <= r.hi) return true;
    return false;
  };
  const bool found = in(c) || (fold_case && (in(fold(c)) || in(unfold(c))));
  return found != negated;
}

Result<Glob> Glob::compile(std::string_view pattern, bool ignore_case) {
  Glob g;
  g.pattern_ = std::string(pattern);
  g.ignore_case_ = ignore_case;
  if (pattern.empty()) return bad(pattern, "empty pattern");
  std::string p(pattern);
  // A trailing unescaped '/' means "everything under the directory".
  size_t backslashes = 0;
  for (size_t i = p.size() - 1; i > 0 && p[i - 1] == '\\'; --i) ++backslashes;
  if (p.back() == '/' && backslashes % 2 == 0) p += "**";
  if (p[0] == '/') {
    g.anchored_ = true;
    p.erase(0, 1);
  }
  if (has_regex(p)) {
    CPSYNC_RETURN_IF_ERROR(g.compile_regex(p));
    return g;
  }
  std::vector<std::string> alts;
  CPSYNC_RETURN_IF_ERROR(expand_braces(pattern, p, alts));
  for (const std::string& text : alts) {
    Alt a;
    CPSYNC_RETURN_IF_ERROR(g.compile_alt(text, a));
    g.alts_.push_back(std::move(a));
  }
  return g;
}

Status Glob::compile_alt(std::string_view text, Alt& out) {
  auto cp_at = [&](size_t& i) {
    size_t len = 1;
    uint32_t c = decode_utf8(text, i, &len);
    i += len;
    return c;
  };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == kJoin) {
      ++i;
      continue;
    }
    if (c == '\\') {
      if (i + 1 >= text.size()) return bad(pattern_, "trailing '\\'");
      ++i;
      out.tokens.push_back({Op::lit, cp_at(i)});
    } else if (c == '*') {
      size_t n = 0;
      while (i < text.size() && text[i] == '*') ++n, ++i;
      if (n > 2) return bad(pattern_, "too many stars (use * or **)");
      out.tokens.push_back({n == 1 ? Op::star : Op::dstar, 0});
    } else if (c == '?') {
      out.tokens.push_back({Op::any, 0});
      ++i;
    } else if (c == ']') {
      return bad(pattern_, "unmatched ']'");
    } else if (c == '[') {
      const size_t end = class_end(text, i);
      if (end == std::string_view::npos) return bad(pattern_, "missing ']'");
      Class cls;
      size_t j = i + 1;
      if (text[j] == '!' || text[j] == '^') cls.negated = true, ++j;
      while (j < end) {
        const size_t k = text[j] == '[' && j + 1 < end && text[j + 1] == ':'
                             ? text.find(":]", j + 2)
                             : std::string_view::npos;
        if (k != std::string_view::npos && k < end) {
          const std::string_view name = text.substr(j + 2, k - j - 2);
          static const std::pair<const char*, std::vector<Range>> kNames[] = {
              {"alpha", {{'A', 'Z'}, {'a', 'z'}}},
              {"digit", {{'0', '9'}}},
              {"alnum", {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}}},
              {"upper", {{'A', 'Z'}}},
              {"lower", {{'a', 'z'}}},
              {"space", {{'\t', '\r'}, {' ', ' '}}},
              {"blank", {{'\t', '\t'}, {' ', ' '}}},
              {"punct", {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}}},
              {"xdigit", {{'0', '9'}, {'A', 'F'}, {'a', 'f'}}},
              {"word", {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}},
              {"cntrl", {{0, 31}, {127, 127}}},
              {"print", {{' ', '~'}}},
              {"graph", {{'!', '~'}}},
          };
          bool known = false;
          for (const auto& [n, r] : kNames)
            if (name == n) {
              cls.ranges.insert(cls.ranges.end(), r.begin(), r.end());
              known = true;
            }
          if (!known) return bad(pattern_, "unknown class [:" + std::string(name) + ":]");
          j = k + 2;
          continue;
        }
        if (text[j] == '\\') ++j;
        const uint32_t lo = cp_at(j);
        uint32_t hi = lo;
        if (j + 1 < end && text[j] == '-') {
          ++j;
          if (text[j] == '\\') ++j;
          hi = cp_at(j);
          if (hi < lo) return bad(pattern_, "bad range in [...]");
        }
        cls.ranges.push_back({lo, hi});
      }
      classes_.push_back(std::move(cls));
      out.tokens.push_back({Op::cls, static_cast<uint32_t>(classes_.size() - 1)});
      i = end + 1;
    } else {
      out.tokens.push_back({Op::lit, cp_at(i)});
    }
    if (out.tokens.size() > kMaxTokens) return bad(pattern_, "pattern too long");
  }
  size_t first_non_lit = out.tokens.size(), last_non_lit = 0;
  bool any_non_lit = false;
  for (size_t k = 0; k < out.tokens.size(); ++k) {
    if (out.tokens[k].op == Op::lit) continue;
    if (!any_non_lit) first_non_lit = k;
    any_non_lit = true;
    last_non_lit = k;
    if (out.tokens[k].op == Op::star || out.tokens[k].op == Op::dstar)
      out.stars.push_back(static_cast<uint16_t>(k));
  }
  if (ignore_case_)
    for (Token& t : out.tokens)
      if (t.op == Op::lit) t.value = fold(t.value);
  for (size_t k = 0; k < first_non_lit; ++k) append_utf8(out.head, out.tokens[k].value);
  if (any_non_lit)
    for (size_t k = last_non_lit + 1; k < out.tokens.size(); ++k)
      append_utf8(out.tail, out.tokens[k].value);
  out.slash_head = "/" + out.head;
  using Shape = Alt::Shape;
  const bool one_wild = any_non_lit && first_non_lit == last_non_lit;
  const Op wild = one_wild ? out.tokens[first_non_lit].op : Op::lit;
  if (ignore_case_) {
    out.shape = Shape::general;  // the shortcuts compare bytes exactly
  } else if (!any_non_lit) {
    out.shape = Shape::literal;
  } else if (one_wild && wild == Op::dstar && out.tokens.size() == 1) {
    out.shape = Shape::everything;
  } else if (one_wild && first_non_lit == 0 && wild == Op::dstar) {
    out.shape = Shape::dstar_tail;
  } else if (one_wild && first_non_lit == 0 && wild == Op::star &&
             out.tail.find('/') == std::string::npos) {
    out.shape = Shape::star_tail;
  } else if (one_wild && last_non_lit + 1 == out.tokens.size() && wild == Op::dstar) {
    out.shape = Shape::head_dstar;
  }
  return Status::OK();
}

std::string common_prefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  // Never end inside a UTF-8 character: a listing prefix must be valid UTF-8.
  size_t start = n;
  while (start > 0 && n - start < 3 && (static_cast<unsigned char>(a[start - 1]) & 0xC0) == 0x80)
    --start;
  if (start > 0) {
    size_t len = 0;
    (void)decode_utf8(a, start - 1, &len);
    if (start - 1 + len > n) n = start - 1;
  }
  return std::string(a.substr(0, n));
}

std::string Glob::literal_prefix() const {
  if (!anchored_ || ignore_case_ || regex_ || alts_.empty()) return {};
  std::string prefix = alts_[0].head;
  for (const Alt& a : alts_) prefix = common_prefix(prefix, a.head);
  return prefix;
}

bool Glob::matches_everything() const {
  for (const Alt& a : alts_)
    if (a.tokens.size() == 1 && a.tokens[0].op == Op::dstar) return true;
  return false;
}

bool Glob::matches_all_under(std::string_view dir) const {
  if (regex_ || ignore_case_) return false;
  for (const Alt& a : alts_) {
    if (a.shape == Alt::Shape::everything) return true;
    if (a.shape != Alt::Shape::head_dstar) continue;
    if (dir.starts_with(a.head)) return true;
    if (!anchored_ && dir.find(a.slash_head) != std::string_view::npos) return true;
  }
  return false;
}

bool Glob::match(std::string_view key) const {
  if (regex_) return match_regex(key);
  for (const Alt& a : alts_)
    if (match_alt(a, key)) return true;
  return false;
}

bool Glob::match_alt(const Alt& a, std::string_view key) const {
  using Shape = Alt::Shape;
  switch (a.shape) {
    case Shape::literal:
      if (anchored_) return key == a.head;
      return key == a.head || (ends_with(key, a.head) && key.size() > a.head.size() &&
                               key[key.size() - a.head.size() - 1] == '/');
    case Shape::everything:
      return true;
    case Shape::dstar_tail:  // "(^|/).*tail$" and "^.*tail$" both reduce to the tail
      return ends_with(key, a.tail);
    case Shape::star_tail:  // the tail has no '/': only the anchored form needs a check
      return ends_with(key, a.tail) && (!anchored_ || key.find('/') >= key.size() - a.tail.size());
    case Shape::head_dstar:
      if (key.substr(0, a.head.size()) == a.head) return true;
      return !anchored_ && key.find(a.slash_head) != std::string_view::npos;
    case Shape::general:
      break;
  }
  if (!ends_with(key, a.tail, ignore_case_)) return false;
  if (anchored_ && !equal_at(key, 0, a.head, ignore_case_)) return false;

  // State k = "tokens[0..k) matched"; m = accept.
  const size_t m = a.tokens.size();
  const size_t words = (m + 1 + 63) / 64;
  std::array<uint64_t, 16> buf_a, buf_b;
  uint64_t* cur = buf_a.data();
  uint64_t* nxt = buf_b.data();
  for (size_t w = 0; w < words; ++w) cur[w] = 0;
  auto set = [](uint64_t* b, size_t k) { b[k >> 6] |= uint64_t{1} << (k & 63); };
  auto test = [](const uint64_t* b, size_t k) { return (b[k >> 6] >> (k & 63)) & 1; };
  auto close = [&](uint64_t* b) {  // a star may match nothing
    for (uint16_t s : a.stars)
      if (test(b, s)) set(b, s + 1);
  };
  set(cur, 0);
  close(cur);
  for (size_t pos = 0; pos < key.size();) {
    size_t len = 1;
    const uint32_t raw = decode_utf8(key, pos, &len);
    const uint32_t c = ignore_case_ ? fold(raw) : raw;
    pos += len;
    bool alive = false;
    for (size_t w = 0; w < words; ++w) nxt[w] = 0;
    for (size_t w = 0; w < words; ++w) {
      for (uint64_t bits = cur[w]; bits != 0; bits &= bits - 1) {
        const size_t k = w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
        if (k == m) continue;
        const Token& t = a.tokens[k];
        switch (t.op) {
          case Op::lit:
            if (c == t.value) set(nxt, k + 1);
            break;
          case Op::any:
            if (c != '/') set(nxt, k + 1);
            break;
          case Op::cls:
            if (c != '/' && classes_[t.value].contains(raw, ignore_case_)) set(nxt, k + 1);
            break;
          case Op::star:
            if (c != '/') set(nxt, k);
            break;
          case Op::dstar:
            set(nxt, k);
            break;
        }
      }
    }
    if (!anchored_ && c == '/') set(nxt, 0);  // unanchored: may start after any '/'
    close(nxt);
    for (size_t w = 0; w < words; ++w) alive |= nxt[w] != 0;
    std::swap(cur, nxt);
    if (!alive) {
      if (anchored_) return false;
      pos = key.find('/', pos);  // nothing can match until the next directory boundary
      if (pos == std::string_view::npos) return false;
    }
  }
  return test(cur, m);
}

}  // namespace cpsync
