// core/mime_types.h — Content-Type from a file name's extension, read from Debian's
// maintained table /etc/mime.types (package media-types), as rclone does through Go's
// mime package, which also adds "; charset=utf-8" to text/* types. Not a hand-kept list: a system without the file gives
// application/octet-stream for every name. The system table is loaded once, on first use;
// lookups are const and safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace cpsync {

inline constexpr std::string_view kDefaultMimeType = "application/octet-stream";
inline constexpr const char* kSystemMimeTypes = "/etc/mime.types";

class MimeTable {
 public:
  // Parses a mime.types file ("type ext1 ext2 ...", '#' comments). A missing or unreadable
  // file gives an empty table. The first line naming an extension wins.
  static MimeTable load(const std::string& path);
  // The table from /etc/mime.types, loaded once.
  static const MimeTable& system();

  // The type for name's extension (after the last '.', case-insensitive), else
  // application/octet-stream.
  std::string type_for(std::string_view name) const;
  size_t size() const { return by_ext_.size(); }

 private:
  std::unordered_map<std::string, std::string> by_ext_;
};

// MimeTable::system().type_for(name).
std::string mime_type_for(std::string_view name);

}  // namespace cpsync
