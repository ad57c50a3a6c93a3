// cli/metadata_flags.cc — parsing of --header-upload, --metadata-set and --no-metadata.
#include "cli/metadata_flags.h"
#include "core/encoding.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <string_view>

namespace cpsync {
namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

Status bad(std::string_view flag, std::string_view value, std::string_view why) {
  return Status{Errc::invalid_argument,
                std::string(flag) + " '" + std::string(value) + "': " + std::string(why)};
}

// Metadata travels in HTTP header names and values on every provider: names of letters,
// digits, '-' and '_'; values of printable ASCII.
Status add_metadata(std::string_view flag, std::string_view given, std::string name,
                    std::string value, Metadata& out) {
  name = ascii_lower(name);
  if (name.empty()) return bad(flag, given, "empty metadata name");
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return bad(flag, given, "metadata names take letters, digits, '-' and '_' only");
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
      return bad(flag, given, "metadata values must be printable ASCII");
  if (name == kMetaMtime || name == kMetaMd5)
    return bad(flag, given, "'" + name + "' is cpsync's own (the source mtime / MD5)");
  out[name] = std::move(value);
  return Status::OK();
}

}  // namespace

void add_metadata_flags(CLI::App& cmd, MetadataFlags& out) {
  // One value per occurrence, so that positionals after the flag stay positionals.
  cmd.add_option_function<std::string>(
         "--header-upload", [&out](const std::string& v) { out.header_upload.push_back(v); },
         "Set a header on uploaded objects, e.g. \"Cache-Control: max-age=3600\" (repeatable)")
      ->trigger_on_parse()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("\"NAME: VALUE\"");
  cmd.add_option_function<std::string>(
         "--metadata-set", [&out](const std::string& v) { out.metadata_set.push_back(v); },
         "Set user metadata on uploaded objects, e.g. owner=alice (repeatable)")
      ->trigger_on_parse()
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("KEY=VALUE");
  cmd.add_flag("-M,--metadata", out.metadata,
               "Accepted for rclone scripts: metadata is carried by default");
  cmd.add_flag("--no-metadata", out.no_metadata,
               "Copy bytes only: no user metadata or content headers of the source (the mtime "
               "and MD5 cpsync compares by are still stored)");
}

Result<MetadataPolicy> metadata_policy(const MetadataFlags& f) {
  MetadataPolicy p;
  p.carry = !f.no_metadata;
  for (const std::string& h : f.header_upload) {
    const size_t colon = h.find(':');
    if (colon == std::string::npos) return bad("--header-upload", h, "use \"Name: value\"");
    const std::string name = ascii_lower(trim(std::string_view(h).substr(0, colon)));
    std::string value = trim(std::string_view(h).substr(colon + 1));
    if (value.empty()) return bad("--header-upload", h, "empty value");
    for (char c : value)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
        return bad("--header-upload", h, "header values must be printable ASCII");
    std::string* field = name == "content-type"          ? &p.headers.type
                         : name == "content-encoding"    ? &p.headers.encoding
                         : name == "content-language"    ? &p.headers.language
                         : name == "content-disposition" ? &p.headers.disposition
                         : name == "cache-control"       ? &p.headers.cache_control
                                                         : nullptr;
    if (field) {
      *field = std::move(value);
      continue;
    }
    bool meta = false;
    for (std::string_view prefix : {"x-amz-meta-", "x-ms-meta-", "x-oss-meta-"})
      if (name.starts_with(prefix)) {
        CPSYNC_RETURN_IF_ERROR(add_metadata("--header-upload", h, name.substr(prefix.size()),
                                            std::move(value), p.set));
        meta = true;
        break;
      }
    if (!meta)
      return bad("--header-upload", h,
                 "unsupported header (use Cache-Control, Content-Disposition, Content-Encoding, "
                 "Content-Language, Content-Type or X-Amz-Meta-*/X-Ms-Meta-*/X-Oss-Meta-*)");
  }
  for (const std::string& kv : f.metadata_set) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) return bad("--metadata-set", kv, "use key=value");
    CPSYNC_RETURN_IF_ERROR(
        add_metadata("--metadata-set", kv, trim(kv.substr(0, eq)), kv.substr(eq + 1), p.set));
  }
  return p;
}

}  // namespace cpsync
