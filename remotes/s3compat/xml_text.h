// remotes/s3compat/xml_text.h — reading S3-compatible XML answers (tinyxml2): the root element
// an answer must have, one element's text. Pure functions; safe from any thread.
#pragma once

#include <tinyxml2.h>

#include <string>
#include <string_view>

#include "core/status.h"

namespace cpsync::s3compat {

// The text of parent's first child element `name`; "" when either is absent.
inline std::string text_of(const tinyxml2::XMLElement* parent, const char* name) {
  const tinyxml2::XMLElement* e = parent ? parent->FirstChildElement(name) : nullptr;
  return e && e->GetText() ? e->GetText() : "";
}

// The text of root/child in an XML answer; "" when absent or malformed.
inline std::string xml_field(const std::string& body, const char* root, const char* child) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) return "";
  return text_of(doc.FirstChildElement(root), child);
}

// Parses xml into doc and returns its root element, which must be named `root`. Errc::corrupt,
// "<what>: malformed <answer> response" or "<what>: <answer> response without <root>".
inline Result<const tinyxml2::XMLElement*> parse_root(tinyxml2::XMLDocument& doc,
                                                      std::string_view xml, const char* root,
                                                      std::string_view answer,
                                                      std::string_view what) {
  const std::string name(answer);
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, std::string(what) + ": malformed " + name + " response"};
  const tinyxml2::XMLElement* e = doc.FirstChildElement(root);
  if (!e)
    return Status{Errc::corrupt, std::string(what) + ": " + name + " response without " + root};
  return e;
}

}  // namespace cpsync::s3compat
