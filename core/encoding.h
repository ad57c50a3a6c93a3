// core/encoding.h — URL escaping and ASCII case folding shared by the signers, backends and
// config. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace cpsync {

// RFC 3986: leaves A-Za-z0-9 and -._~ raw, escapes every other byte as %XX (upper-case
// hex). With keep_slash, '/' stays raw too (object paths: each segment escaped once).
std::string uri_encode(std::string_view s, bool keep_slash = false);
// Decodes %XX escapes; with plus_as_space also '+'. Returns false on a bad escape.
bool uri_decode(std::string_view s, std::string& out, bool plus_as_space = false);
// s with A-Z folded to a-z; every other byte (UTF-8 included) as it is. Header names,
// config keys, extensions.
std::string ascii_lower(std::string_view s);

}  // namespace cpsync
