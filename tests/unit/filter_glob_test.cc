// tests/unit/filter_glob_test.cc — rclone glob semantics: anchoring, *, **, ?, classes,
// braces, escapes, trailing '/', UTF-8, and the errors for malformed patterns.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sync/glob.h"

using namespace cpsync;

namespace {

struct Case {
  const char* pattern;
  const char* key;
  bool match;
};

bool matches(const std::string& pattern, const std::string& key) {
  auto g = Glob::compile(pattern);
  REQUIRE(g.ok());
  return g->match(key);
}

}  // namespace

TEST_CASE("glob matching follows rclone's rules", "[filter][glob]") {
  const Case cases[] = {
      // Unanchored patterns match at the end, starting at any directory boundary.
      {"*.jpg", "a.jpg", true},
      {"*.jpg", "a/b/c.jpg", true},
      {"*.jpg", ".jpg", true},
      {"*.jpg", "a.jpg/x", false},
      {"*.jpg", "a.jpgx", false},
      {"*.jpg", "a.JPG", false},
      {"file.txt", "file.txt", true},
      {"file.txt", "dir/file.txt", true},
      {"file.txt", "dirfile.txt", false},
      {"file.txt", "file.txt.bak", false},
      {"dir/file.txt", "a/dir/file.txt", true},
      {"dir/file.txt", "adir/file.txt", false},
      {"*", "a", true},
      {"*", "a/b/c", true},
      // A leading '/' anchors at the root.
      {"/file.txt", "file.txt", true},
      {"/file.txt", "dir/file.txt", false},
      {"/*.jpg", "a.jpg", true},
      {"/*.jpg", "a/b.jpg", false},
      {"/*", "a", true},
      {"/*", "a/b", false},
      {"/dir/*", "dir/a", true},
      {"/dir/*", "dir/a/b", false},
      {"/dir/*", "x/dir/a", false},
      // ** crosses directories; * and ? never match '/'.
      {"dir/**", "dir/a", true},
      {"dir/**", "dir/a/b/c", true},
      {"dir/**", "x/dir/a", true},
      {"dir/**", "dir", false},
      {"/dir/**", "x/dir/a", false},
      {"**", "a/b/c", true},
      {"/**", "a", true},
      {"a**b", "a/x/b", true},
      {"a**b", "x/a/y/b", true},
      {"a**b", "xa/b", false},
      {"**/b.txt", "a/b.txt", true},
      {"**/b.txt", "b.txt", false},
      {"/a/*/c", "a/b/c", true},
      {"/a/*/c", "a/b/x/c", false},
      {"/a/**/c", "a/b/x/c", true},
      {"/a*c", "abc", true},
      {"/a*c", "ab/c", false},
      {"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
      {"*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", true},
      {"*/x.jpg", "a/x.jpg", true},
      {"*/x.jpg", "x.jpg", false},
      {"*/x.jpg", "a/b/x.jpg", true},
      {"**.jpg", "a/b.jpg", true},
      {"**.jpg", "b.jpg", true},
      {"**.jpg", "b.jpgx", false},
      {"/**.jpg", "a/b.jpg", true},
      {"ab/**", "xab/c", false},
      {"ab/**", "x/ab/c", true},
      {"/dir/**", "dir/", true},
      // A trailing '/' matches everything under a matching directory.
      {"dir/", "dir/a", true},
      {"dir/", "dir/a/b", true},
      {"dir/", "x/dir/a", true},
      {"dir/", "dir", false},
      {"dir/", "dirx/a", false},
      {"/dir/", "x/dir/a", false},
      {"*.tmp/", "x.tmp/a", true},
      {"*.tmp/", "a/x.tmp/b/c", true},
      {"*.tmp/", "x.tmp", false},
      {"*/", "a/b", true},
      {"*/", "a", false},
      // ? is one UTF-8 character, never '/'.
      {"?", "a", true},
      {"?", "x/a", true},
      {"?", "ab", false},
      {"/?", "", false},
      {"/a?b", "a/b", false},
      {"?.txt", "\xC3\xA9.txt", true},  // é is two bytes
      {"??.txt", "\xC3\xA9.txt", false},
      {"?", "\xE6\x97\xA5", true},      // 日, three bytes
      {"?", "\xF0\x9F\x98\x80", true},  // 😀, four bytes
      {"/?\xC3\xA9", "x\xC3\xA9", true},
      {"?", "\xFF", true},  // an invalid byte is one character
      {"/\xFF?", "\xFF\xFE", true},
      // Character classes.
      {"[abc].txt", "b.txt", true},
      {"[abc].txt", "d.txt", false},
      {"[!abc].txt", "d.txt", true},
      {"[!abc].txt", "a.txt", false},
      {"[^abc].txt", "d.txt", true},
      {"[^abc].txt", "c.txt", false},
      {"[a-c]x", "bx", true},
      {"[a-c]x", "dx", false},
      {"[a-c-]x", "-x", true},
      {"[[:digit:]][[:alpha:]]", "1a", true},
      {"[[:digit:]][[:alpha:]]", "a1", false},
      {"[[:upper:][:digit:]]", "Q", true},
      {"[[:upper:][:digit:]]", "q", false},
      {"[]]", "]", true},
      {"[!]]", "]", false},
      {"[\\]]", "]", true},
      {"[\xC3\xA9-\xC3\xAA]", "\xC3\xAA", true},  // é-ê, by code point
      {"[\xC3\xA9-\xC3\xAA]", "e", false},
      {"[!a]", "\xE6\x97\xA5", true},  // one UTF-8 character, not a byte
      {"/a[/]b", "a/b", false},        // a class never matches '/'
      {"/a[!x]b", "a/b", false},
      // Braces: alternatives, which may hold globs and nest.
      {"{a,b}.txt", "a.txt", true},
      {"{a,b}.txt", "b.txt", true},
      {"{a,b}.txt", "c.txt", false},
      {"*.{jpg,png}", "x/y.png", true},
      {"*.{jpg,png}", "x/y.gif", false},
      {"{*.jpg,*.png}", "x/y.png", true},
      {"/{a,b{c,d}}", "bd", true},
      {"/{a,b{c,d}}", "b", false},
      {"/x{,y}", "x", true},
      {"/x{,y}", "xy", true},
      {"{dir1,dir2}/**", "dir2/a/b", true},
      {"{dir1,dir2}/**", "dir3/a", false},
      {"{a/b,c}", "x/a/b", true},
      {"/{a\\,b,c}", "a,b", true},
      {"/{a\\,b,c}", "b", false},
      {"/{[ab],c}", "b", true},
      {"/{[,],c}", ",", true},
      {"/{*,x}*", "a/b", false},  // stars never merge across braces into **
      {"/{*,x}*", "ab", true},
      {"/{a*,b}*", "ab/c", false},
      {"/{a*,b}*", "abc", true},
      {"/{**,x}*", "a/b", true},
      {"/x{*,y}", "xa", true},
      {"a,b", "a,b", true},
      // Escapes and characters special in regular expressions are literal.
      {"\\*.txt", "*.txt", true},
      {"\\*.txt", "a.txt", false},
      {"\\?", "?", true},
      {"\\?", "a", false},
      {"\\{a\\}", "{a}", true},
      {"\\[a\\]", "[a]", true},
      {"a.b", "aXb", false},
      {"(x)|+^$", "(x)|+^$", true},
      {"/a\\/", "a/", true},  // an escaped trailing '/' is literal
  };
  for (const Case& c : cases) {
    INFO("pattern \"" << c.pattern << "\" key \"" << c.key << "\"");
    CHECK(matches(c.pattern, c.key) == c.match);
  }
}

TEST_CASE("{{regexp}} embeds a regular expression, as in rclone", "[filter][glob]") {
  const Case cases[] = {
      {"{{[0-9]+}}.log", "a/123.log", true},
      {"{{[0-9]+}}.log", "a/x.log", false},
      {"{{[0-9]+}}.log", "123.log", true},
      {"/{{\\d{4}}}-*.csv", "2024-x.csv", true},  // "}}}": the regexp is \d{4}
      {"/{{\\d{4}}}-*.csv", "202-x.csv", false},
      {"/{{\\d{4}}}-*.csv", "d/2024-x.csv", false},
      {"*.{{jpe?g}}", "x/a.jpeg", true},
      {"*.{{jpe?g}}", "a.jpg", true},
      {"*.{{jpe?g}}", "a.png", false},
      {"{{a|b}}/**", "x/a/y/z", true},
      {"{{a|b}}/**", "x/c/y", false},
      {"/{x,y}{{[0-9]}}", "y7", true},
      {"/{x,y}{{[0-9]}}", "z7", false},
      {"?{{x}}", "\xC3\xA9x", true},  // ? is still one UTF-8 character
      {"/?{{x}}", "a/x", false},
      {"[!a]{{b}}", "cb", true},
      {"[!a]{{b}}", "ab", false},
      {"a.{{b}}", "aXb", false},  // glob text stays literal
      {"dir/{{x}}/", "dir/x/a/b", true},
  };
  for (const Case& c : cases) {
    INFO("pattern \"" << c.pattern << "\" key \"" << c.key << "\"");
    CHECK(matches(c.pattern, c.key) == c.match);
  }
  auto ci = Glob::compile("{{abc}}", true);
  REQUIRE(ci.ok());
  CHECK(ci->match("x/ABC"));
  CHECK(Glob::compile("/{{logs}}/**")->literal_prefix().empty());
}

TEST_CASE("ignore_case folds ASCII letters in literals and classes", "[filter][glob]") {
  const Case cases[] = {
      {"*.jpg", "A.JPG", true},
      {"*.JPG", "a.jpg", true},
      {"/Dir/**", "dIR/x", true},
      {"/dir/**", "x/dir/a", false},
      {"dir/", "a/DIR/b", true},
      {"[a-c]x", "BX", true},
      {"[A-C]x", "bx", true},
      {"[!a]", "A", false},
      {"[!a]", "b", true},
      {"[[:upper:]]", "q", true},
      {"{Foo,bar}", "x/FOO", true},
      {"\xC3\xA9", "\xC3\x89", false},  // é and É: only ASCII folds
      {"?", "Z", true},
      {"a", "ab", false},
  };
  for (const Case& c : cases) {
    INFO("pattern \"" << c.pattern << "\" key \"" << c.key << "\"");
    auto g = Glob::compile(c.pattern, true);
    REQUIRE(g.ok());
    CHECK(g->match(c.key) == c.match);
  }
  CHECK_FALSE(Glob::compile("*.jpg")->match("A.JPG"));
}

TEST_CASE("fast paths agree with the general matcher", "[filter][glob]") {
  // Each pair means the same; the second spells one literal as a class, which forces the
  // general matcher instead of the shortcut for the pattern's shape.
  const std::pair<const char*, const char*> twins[] = {
      {"*.jpg", "*[.]jpg"},     {"/*.jpg", "/*[.]jpg"}, {"**.jpg", "**[.]jpg"},
      {"/**.jpg", "/**[.]jpg"}, {"dir/**", "di[r]/**"}, {"/dir/**", "/di[r]/**"},
      {"a.jpg", "a[.]jpg"},     {"/a.jpg", "/a[.]jpg"}, {"d/a.jpg", "d/a[.]jpg"},
      {"dir/", "di[r]/"},       {"**", "**[a-z.]"},
  };
  const std::vector<std::string> parts = {"a.jpg", "dir", "d", "x.jpg", "dira", "a.jpgx", ""};
  std::vector<std::string> keys;
  for (const auto& a : parts) {
    keys.push_back(a);
    for (const auto& b : parts) {
      keys.push_back(a + "/" + b);
      for (const auto& c : parts) keys.push_back(a + "/" + b + "/" + c);
    }
  }
  for (const auto& [fast, general] : twins) {
    auto f = Glob::compile(fast), g = Glob::compile(general);
    REQUIRE(f.ok());
    REQUIRE(g.ok());
    for (const auto& k : keys) {
      if (std::string(fast) == "**" && (k.empty() || k.back() == '/')) continue;  // not twins
      INFO("pattern \"" << fast << "\" key \"" << k << "\"");
      CHECK(f->match(k) == g->match(k));
    }
  }
}

TEST_CASE("glob matching works past 64 tokens", "[filter][glob]") {
  const std::string a(70, 'a'), b(10, 'b');
  CHECK(matches("/" + a + "*" + b, a + "xyz" + b));
  CHECK(matches(a + "*" + b, "dir/" + a + b));
  CHECK_FALSE(matches("/" + a + "*" + b, a + "x/y" + b));
  CHECK_FALSE(matches(a + "?" + b, a + b));
  CHECK(matches(a + "?" + b, a + "\xC3\xA9" + b));
}

TEST_CASE("malformed globs are invalid_argument naming the problem", "[filter][glob]") {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty pattern"},          {"[a", "missing ']'"},
      {"a]", "unmatched ']'"},        {"{a", "unmatched '{'"},
      {"a}", "unmatched '}'"},        {"{a,{b}", "unmatched '{'"},
      {"***", "too many stars"},      {"a\\", "trailing '\\'"},
      {"{{a", "missing '}}'"},        {"{{[}}", "bad regular expression"},
      {"{{a}}{b", "unmatched '{'"},   {"{{a}}b}", "unmatched '}'"},
      {"{{a}}***", "too many stars"}, {"[z-a]", "bad range"},
      {"[[:foo:]]", "unknown class"}, {"[[:alpha:]", "missing ']'"},
  };
  for (const auto& [pattern, what] : cases) {
    INFO("pattern \"" << pattern << "\"");
    auto g = Glob::compile(pattern);
    REQUIRE_FALSE(g.ok());
    CHECK(g.status().code == Errc::invalid_argument);
    CHECK_THAT(g.status().message, Catch::Contains(what));
    CHECK_THAT(g.status().message, Catch::Contains(std::string("\"") + pattern + "\""));
  }
}

TEST_CASE("decode_utf8 reads one character or one invalid byte", "[filter][glob]") {
  size_t len = 0;
  CHECK(decode_utf8("a", 0, &len) == 'a');
  CHECK(len == 1);
  CHECK(decode_utf8("\xC3\xA9", 0, &len) == 0xE9);
  CHECK(len == 2);
  CHECK(decode_utf8("\xF0\x9F\x98\x80", 0, &len) == 0x1F600);
  CHECK(len == 4);
  CHECK(decode_utf8("\xC3", 0, &len) == 0x110000 + 0xC3);  // truncated
  CHECK(len == 1);
  CHECK(decode_utf8("\xC0\x80", 0, &len) == 0x110000 + 0xC0);      // overlong
  CHECK(decode_utf8("\xED\xA0\x80", 0, &len) == 0x110000 + 0xED);  // surrogate
  CHECK(len == 1);
}
