// remotes/azure/azure_xml.cc — List Blobs / List Containers parsing with tinyxml2.
#include "remotes/azure/azure_xml.h"

#include <tinyxml2.h>

#include <cctype>
#include <cstdlib>

#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/azure/azure_info.h"

namespace cpsync::azure {
namespace {

using tinyxml2::XMLElement;

std::string text(const XMLElement* parent, const char* name) {
  const XMLElement* e = parent ? parent->FirstChildElement(name) : nullptr;
  return e && e->GetText() ? e->GetText() : "";
}

// <Name Encoded="true">a%20b</Name> carries a name with characters XML cannot hold.
Result<std::string> blob_name(const XMLElement* parent) {
  const XMLElement* e = parent->FirstChildElement("Name");
  if (!e) return Status{Errc::corrupt, "listing entry without a Name"};
  std::string name = e->GetText() ? e->GetText() : "";
  if (const char* enc = e->Attribute("Encoded"); enc && std::string_view(enc) == "true") {
    std::string decoded;
    if (!uri_decode(name, decoded)) return Status{Errc::corrupt, "bad encoded blob name"};
    name = decoded;
  }
  return name;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

}  // namespace

Result<BlobPage> parse_blob_list(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, "List Blobs response is not XML"};
  const XMLElement* root = doc.FirstChildElement("EnumerationResults");
  if (!root) return Status{Errc::corrupt, "List Blobs response has no EnumerationResults"};
  BlobPage page;
  page.next_marker = text(root, "NextMarker");
  const XMLElement* blobs = root->FirstChildElement("Blobs");
  if (!blobs) return page;
  for (const XMLElement* e = blobs->FirstChildElement(); e; e = e->NextSiblingElement()) {
    std::string_view tag = e->Name();
    if (tag == "BlobPrefix") {
      ObjectInfo d;
      CPSYNC_ASSIGN_OR_RETURN(d.key, blob_name(e));
      d.is_dir = true;
      page.entries.push_back(std::move(d));
      continue;
    }
    if (tag != "Blob") continue;
    ObjectInfo info;
    CPSYNC_ASSIGN_OR_RETURN(info.key, blob_name(e));
    const XMLElement* props = e->FirstChildElement("Properties");
    info.size = std::strtoull(text(props, "Content-Length").c_str(), nullptr, 10);
    info.etag = unquote(text(props, "Etag"));
    info.md5 = md5_hex_from_base64(text(props, "Content-MD5"));
    info.content.type = text(props, "Content-Type");
    info.content.encoding = text(props, "Content-Encoding");
    info.content.language = text(props, "Content-Language");
    info.content.disposition = text(props, "Content-Disposition");
    info.content.cache_control = text(props, "Cache-Control");
    info.tier = text(props, "AccessTier");  // Hot, Cool, Cold, Archive; absent on page blobs
    if (const XMLElement* meta = e->FirstChildElement("Metadata")) {
      for (const XMLElement* m = meta->FirstChildElement(); m; m = m->NextSiblingElement()) {
        std::string k = m->Name();
        for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        info.metadata[k] = m->GetText() ? m->GetText() : "";
      }
    }
    info.metadata_known = true;
    apply_mtime(info, text(props, "Last-Modified"));
    page.entries.push_back(std::move(info));
  }
  return page;
}

Result<ContainerPage> parse_container_list(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, "List Containers response is not XML"};
  const XMLElement* root = doc.FirstChildElement("EnumerationResults");
  if (!root) return Status{Errc::corrupt, "List Containers response has no EnumerationResults"};
  ContainerPage page;
  page.next_marker = text(root, "NextMarker");
  const XMLElement* list = root->FirstChildElement("Containers");
  for (const XMLElement* e = list ? list->FirstChildElement("Container") : nullptr; e;
       e = e->NextSiblingElement("Container")) {
    ObjectInfo c;
    c.key = text(e, "Name");
    c.is_dir = true;
    if (auto t = parse_rfc1123(text(e->FirstChildElement("Properties"), "Last-Modified")))
      c.mtime = *t;
    page.containers.push_back(std::move(c));
  }
  return page;
}

std::string block_list_xml(const std::vector<std::string>& block_ids) {
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>";
  for (const auto& id : block_ids) x += "<Latest>" + id + "</Latest>";  // base64: no escaping
  x += "</BlockList>";
  return x;
}

}  // namespace cpsync::azure
