// core/mime_types.cc — the mime.types reader.
#include "core/mime_types.h"
#include "core/encoding.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace cpsync {
MimeTable MimeTable::load(const std::string& path) {
  MimeTable t;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string type, ext;
    if (!(words >> type) || type.find('/') == std::string::npos) continue;
    // As Go's mime package (rclone's) does: text is taken to be UTF-8.
    if (ascii_lower(type).starts_with("text/") && type.find(';') == std::string::npos)
      type += "; charset=utf-8";
    while (words >> ext) t.by_ext_.emplace(ascii_lower(ext), type);
  }
  return t;
}

const MimeTable& MimeTable::system() {
  static const MimeTable table = load(kSystemMimeTypes);
  return table;
}

std::string MimeTable::type_for(std::string_view name) const {
  if (auto slash = name.rfind('/'); slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= name.size()) return std::string(kDefaultMimeType);
  auto it = by_ext_.find(ascii_lower(name.substr(dot + 1)));
  return it == by_ext_.end() ? std::string(kDefaultMimeType) : it->second;
}

std::string mime_type_for(std::string_view name) {
  return MimeTable::system().type_for(name);
}

}  // namespace cpsync
