// tests/e2e/man_page_test.cc — the man page the build generates ([manpage], ctest cli_docs,
// label package): every command and every flag the binary's --help lists is in it, each flag
// under its own command; it is what `cpsync man` prints now (not stale); it carries
// docs/usage.md's sections; man(1) renders it without a warning.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/e2e/cli_help_walk.h"

namespace cpsync::testing {
namespace {

const std::string kGenerated =
    (std::filesystem::path(CPSYNC_BINARY).parent_path() / "generated" / "cpsync.1").string();

// A roff word as the page writes it: hyphens as \-.
std::string roff(const std::string& s) {
  std::string out;
  for (char ch : s) out += ch == '-' ? std::string("\\-") : std::string(1, ch);
  return out;
}

// The page's text from the .SS of command path up to the next .SS or .SH.
std::string section_of(const std::string& page, const std::string& path) {
  const std::string head = ".SS \"" + path + "\"\n";
  size_t at = page.find(head);
  if (at == std::string::npos) return "";
  size_t end = page.find("\n.S", at + head.size());
  return page.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

}  // namespace

TEST_CASE("the man page lists every command and flag under its command", "[manpage]") {
  REQUIRE(std::filesystem::exists(kGenerated));
  const std::string page = read_file_text(kGenerated);
  RunResult now = run_argv({CPSYNC_BINARY, "man", "--usage", CPSYNC_SOURCE_DIR "/docs/usage.md"});
  REQUIRE(now.code == 0);
  CHECK(page == now.out);  // the build regenerated it after the last change

  const auto help = walk_help();
  REQUIRE(help.size() > 20);
  size_t flags_checked = 0;
  for (const auto& [path, h] : help) {
    INFO("command: cpsync " << path);
    std::string where;
    if (path.empty()) {
      size_t at = page.find(".SH OPTIONS\n");
      REQUIRE(at != std::string::npos);
      where = page.substr(at, page.find("\n.SH", at + 1) - at);
    } else {
      where = section_of(page, path);
      REQUIRE(!where.empty());
      CHECK(where.find("\\fBcpsync " + roff(path) + "\\fR") != std::string::npos);  // synopsis
    }
    for (const auto& f : h.flags) {
      if (!path.empty() && (f == "-h" || f == "--help")) continue;  // once, under OPTIONS
      INFO("flag: " << f);
      CHECK(where.find("\\fB" + roff(f) + "\\fR") != std::string::npos);
      ++flags_checked;
    }
  }
  CHECK(flags_checked > 100);
  // docs/usage.md's sections, and the page's own.
  for (const char* s :
       {".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n", ".SH \"COMMAND REFERENCE\"\n",
        ".SH \"REMOTE SPECS\"\n", ".SH \"ERRORS AND EXIT CODES\"\n", ".SH \"SEE ALSO\"\n"}) {
    CHECK(page.find(s) != std::string::npos);
  }
  CHECK(page.find(".SS \"completion\"\n") != std::string::npos);
  CHECK(page.find(".SS \"man\"") == std::string::npos);  // the hidden generator itself
}

TEST_CASE("man renders the page without warnings", "[manpage]") {
  TempDir dir;
  const std::string out = dir / "out", err = dir / "err";
  RunResult r =
      run_argv({"/bin/sh", "-c", "MANWIDTH=80 man --warnings -l \"$0\" >\"$1\" 2>\"$2\"; echo $?",
                kGenerated, out, err});
  REQUIRE(r.code == 0);
  CHECK(r.out == "0\n");
  CHECK(read_file_text(err) == "");
  const std::string text = read_file_text(out);
  CHECK(text.find("COMMAND REFERENCE") != std::string::npos);
  CHECK(text.find("--dry-run") != std::string::npos);
  CHECK(text.find("\\f") == std::string::npos);  // no font escape left unrendered
}

}  // namespace cpsync::testing
