// cli/markdown_roff.h — the subset of Markdown the docs use (headings, paragraphs, fenced
// and indented code, lists, tables, inline code, emphasis, links), written as man(7) roff
// for the generated man page. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cpsync {

// Text for a roff line: backslashes and hyphens escaped, non-ASCII as \[uXXXX], and a
// leading '.' or '\'' guarded so it cannot start a request.
std::string roff_escape(std::string_view text);

// One line of Markdown inline text as roff: `code` and **strong** bold, *em* italic,
// [text](url) as the text (with the URL when it is absolute).
std::string roff_inline(std::string_view markdown);

// A Markdown document as roff. "# " headings are dropped (the page has its own title),
// "## " become .SH (upper case), deeper ones .SS.
std::string markdown_to_roff(std::string_view markdown);

}  // namespace cpsync
