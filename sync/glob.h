// sync/glob.h — rclone-style glob patterns compiled once into a small matcher over UTF-8
// keys relative to the sync root ("dir/sub/file.txt"). See docs/filtering.md for the syntax.
// A compiled Glob is immutable: match() may be called from many threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cpsync {

class Glob {
 public:
  // Compiles pattern. Syntax: * (any run without '/'), ** (any run), ? (one UTF-8 character
  // but '/'), [...] classes ([!...] / [^...] negate, ranges, [:alpha:]-style names),
  // {a,b} alternatives (may nest), \ escapes the next character. A leading '/' anchors the
  // pattern at the root; otherwise it matches at the end of the key, starting at any
  // directory boundary. A trailing '/' matches everything under matching directories
  // ("dir/" is "dir/**"). {{regexp}} embeds an ECMAScript regular expression (rclone's
  // escape); such patterns use std::regex. ignore_case folds ASCII letters only. Errors are
  // Errc::invalid_argument, message without the flag name.
  static Result<Glob> compile(std::string_view pattern, bool ignore_case = false);

  // True when the whole key matches (see compile for anchoring).
  bool match(std::string_view key) const;

  const std::string& pattern() const { return pattern_; }
  // Every key this glob matches starts with these bytes ("" when unanchored, or when
  // ignoring case): "/logs/2024-*" gives "logs/2024-".
  std::string literal_prefix() const;
  // The glob matches every key ("**", "/**").
  bool matches_everything() const;
  // The glob provably matches every key under dir (a relative directory ending in '/'):
  // "/backup/**", "backup/" and "**" do for "backup/". False when it cannot tell.
  bool matches_all_under(std::string_view dir) const;

  Glob() = default;

 private:
  enum class Op : uint8_t { lit, any, cls, star, dstar };
  struct Token {
    Op op = Op::lit;
    uint32_t value = 0;  // codepoint for lit, index into classes_ for cls
  };
  struct Range {
    uint32_t lo, hi;
  };
  struct Class {
    bool negated = false;
    std::vector<Range> ranges;
    bool contains(uint32_t c, bool fold_case) const;  // applies negated
  };
  // One brace-free alternative of the pattern.
  struct Alt {
    std::vector<Token> tokens;
    std::vector<uint16_t> stars;  // indexes of star/dstar tokens, ascending
    std::string head;             // literal bytes every match starts with (anchored only)
    std::string tail;             // literal bytes every match ends with
    // Common shapes decided without the NFA.
    enum class Shape : uint8_t {
      general,
      literal,     // only literals: head is the whole pattern
      star_tail,   // * then literals without '/' ("*.jpg")
      dstar_tail,  // ** then literals ("**.jpg")
      head_dstar,  // literals then ** ("/dir/**", "dir/")
      everything,  // just **
    } shape = Shape::general;
    std::string slash_head;  // "/" + head, for unanchored head_dstar
  };

  struct Regex;  // a compiled std::regex, in glob_regex.cc
  Status compile_alt(std::string_view text, Alt& out);
  // Pattern text holding {{...}}, after the anchor and trailing-'/' handling.
  static bool has_regex(std::string_view text);
  Status compile_regex(std::string_view text);
  bool match_regex(std::string_view key) const;
  bool match_alt(const Alt& a, std::string_view key) const;

  std::string pattern_;
  bool anchored_ = false;
  bool ignore_case_ = false;
  std::vector<Alt> alts_;
  std::vector<Class> classes_;
  std::shared_ptr<const Regex> regex_;  // set only for {{...}} patterns
};

namespace glob_detail {
// Index of the ']' closing the class opened at s[open], or npos.
size_t class_end(std::string_view s, size_t open);
}  // namespace glob_detail

// Decodes one UTF-8 character at s[i]; an invalid byte decodes as 0x110000 + byte, length 1.
// Exposed for the tests.
uint32_t decode_utf8(std::string_view s, size_t i, size_t* len);
// The longest common prefix of a and b that does not end inside a UTF-8 character.
std::string common_prefix(std::string_view a, std::string_view b);

}  // namespace cpsync
