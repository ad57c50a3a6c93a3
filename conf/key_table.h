// conf/key_table.h — a backend's option schema as the markdown table that docs/remotes/*.md
// show, and the splice of that table between the doc's markers, so the docs are generated
// from the schema (`cpsync config keys TYPE --markdown`, scripts/gen-key-tables) and a test
// fails when they drift. Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "conf/config_section.h"

namespace cpsync {

// "| key | type | default | meaning |" and one row per key, in schema order; every line
// ends in '\n'. Secret keys say so in their meaning; a required key's default is "required".
std::string markdown_key_table(std::span<const OptionSpec> schema);

// The markers around the generated table in a doc: "<!-- keys: TYPE -->" ... "<!-- /keys -->".
std::string key_table_begin_marker(std::string_view type);
inline constexpr std::string_view kKeyTableEndMarker = "<!-- /keys -->";

// The text between the markers (the lines after the begin marker's line, up to the end
// marker's line); nullopt when doc has no such block.
std::optional<std::string> generated_key_table(std::string_view doc, std::string_view type);

// doc with the block's content replaced by table; nullopt when doc has no such block.
std::optional<std::string> splice_key_table(std::string_view doc, std::string_view type,
                                            std::string_view table);

}  // namespace cpsync
