// remotes/oss/list_page.cc — parsing one ListObjects (V1 or V2) response page.
#include "remotes/oss/list_page.h"

#include <tinyxml2.h>

#include <algorithm>
#include <iterator>

#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {
namespace {

const char* child_text(const tinyxml2::XMLElement* e, const char* name) {
  const tinyxml2::XMLElement* c = e ? e->FirstChildElement(name) : nullptr;
  const char* t = c ? c->GetText() : nullptr;
  return t ? t : "";
}

// Decodes a url-encoded field when the listing was requested with encoding-type=url.
bool decode_field(const char* text, bool encoded, std::string& out) {
  if (!encoded) {
    out = text;
    return true;
  }
  return uri_decode(text, out, /*plus_as_space=*/true);
}

}  // namespace

Result<ListPage> parse_list_page(const std::string& body, const std::string& what) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS)
    return corrupt("list", what, "malformed XML in the listing");
  const tinyxml2::XMLElement* root = doc.FirstChildElement("ListBucketResult");
  if (!root) return corrupt("list", what, "no ListBucketResult in the listing");
  const bool encoded = std::string(child_text(root, "EncodingType")) == "url";
  ListPage page;
  page.truncated = std::string(child_text(root, "IsTruncated")) == "true";
  std::vector<ObjectInfo> objects, prefixes;
  for (auto* e = root->FirstChildElement("Contents"); e; e = e->NextSiblingElement("Contents")) {
    ObjectInfo info;
    if (!decode_field(child_text(e, "Key"), encoded, info.key))
      return corrupt("list", what, "bad url encoding in a listed key");
    info.size = std::strtoull(child_text(e, "Size"), nullptr, 10);
    if (auto t = parse_iso8601(child_text(e, "LastModified"))) info.mtime = *t;
    info.etag = unquote_etag(child_text(e, "ETag"));
    std::string type = child_text(e, "Type");
    if (type.empty() || type == "Normal") info.md5 = md5_from_etag(info.etag);
    objects.push_back(std::move(info));
  }
  for (auto* e = root->FirstChildElement("CommonPrefixes"); e;
       e = e->NextSiblingElement("CommonPrefixes")) {
    ObjectInfo info;
    if (!decode_field(child_text(e, "Prefix"), encoded, info.key))
      return corrupt("list", what, "bad url encoding in a listed prefix");
    info.is_dir = true;
    prefixes.push_back(std::move(info));
  }
  for (const auto* v : {&objects, &prefixes})
    for (size_t i = 1; i < v->size(); ++i)
      if (!((*v)[i - 1].key < (*v)[i].key))
        return corrupt("list", what,
                       "keys out of byte order in a listing page: '" + (*v)[i - 1].key +
                           "' before '" + (*v)[i].key + "'");
  page.entries.reserve(objects.size() + prefixes.size());
  std::merge(std::make_move_iterator(objects.begin()), std::make_move_iterator(objects.end()),
             std::make_move_iterator(prefixes.begin()), std::make_move_iterator(prefixes.end()),
             std::back_inserter(page.entries),
             [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  if (page.truncated) {
    std::string token = child_text(root, "NextContinuationToken");
    std::string marker = child_text(root, "NextMarker");
    if (!token.empty() && token.find('%') != std::string::npos) {
      std::string dec;
      if (uri_decode(token, dec)) token = dec;
    }
    if (!marker.empty() && encoded) {
      std::string dec;
      if (!uri_decode(marker, dec, true)) return corrupt("list", what, "bad NextMarker");
      marker = dec;
    }
    page.next = !token.empty() ? token : marker;
  }
  return page;
}

}  // namespace cpsync::oss
