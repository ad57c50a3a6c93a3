// remotes/s3compat/list_xml.cc — ListObjects and ListBuckets parsing (see list_xml.h).
#include "remotes/s3compat/list_xml.h"

#include <tinyxml2.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>

#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/etag.h"
#include "remotes/s3compat/xml_text.h"

namespace cpsync::s3compat {
namespace {

using tinyxml2::XMLElement;

// Printable form of a key for messages (control bytes escaped, long keys cut).
std::string show(const std::string& key) {
  std::string out;
  for (unsigned char c : key.substr(0, 200)) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return key.size() > 200 ? out + "..." : out;
}

Status out_of_order(std::string_view what, const std::string& key, const std::string& after) {
  return corrupt(what,
                 "listing out of byte order: '" + show(key) + "' after '" + show(after) + "'");
}

// Appends o to v unless it does not sort strictly after v's last entry.
Status push_in_order(std::vector<ObjectInfo>& v, ObjectInfo o, std::string_view what) {
  if (!v.empty() && !(v.back().key < o.key)) return out_of_order(what, o.key, v.back().key);
  v.push_back(std::move(o));
  return Status::OK();
}

}  // namespace

Result<ListPage> parse_list_objects(std::string_view xml, const ListSyntax& syntax,
                                    std::string_view what) {
  tinyxml2::XMLDocument doc;
  CPSYNC_ASSIGN_OR_RETURN(const XMLElement* root,
                          parse_root(doc, xml, "ListBucketResult", "ListObjects", what));
  const bool encoded = syntax.url_requested || text_of(root, "EncodingType") == "url";
  auto decode = [&](std::string s) -> Result<std::string> {
    if (!encoded) return s;
    std::string out;
    if (!uri_decode(s, out, /*plus_as_space=*/true))
      return corrupt(what, "bad url-encoded key '" + show(s) + "' in the listing");
    return out;
  };
  ListPage page;
  page.truncated = text_of(root, "IsTruncated") == "true";
  std::vector<ObjectInfo> files, dirs;
  for (const XMLElement* c = root->FirstChildElement("Contents"); c;
       c = c->NextSiblingElement("Contents")) {
    ObjectInfo o;
    CPSYNC_ASSIGN_OR_RETURN(o.key, decode(text_of(c, "Key")));
    o.size = std::strtoull(text_of(c, "Size").c_str(), nullptr, 10);
    if (auto t = parse_iso8601(text_of(c, "LastModified"))) o.mtime = *t;
    o.etag = unquote_etag(text_of(c, "ETag"));
    o.tier = text_of(c, "StorageClass");
    if (o.tier.empty()) o.tier = syntax.default_tier;
    const std::string type = text_of(c, "Type");
    if (std::string md5 = md5_from_etag(o.etag); !md5.empty() && (type.empty() || type == "Normal"))
      o.md5 = md5;
    CPSYNC_RETURN_IF_ERROR(push_in_order(files, std::move(o), what));
  }
  for (const XMLElement* c = root->FirstChildElement("CommonPrefixes"); c;
       c = c->NextSiblingElement("CommonPrefixes")) {
    ObjectInfo o;
    CPSYNC_ASSIGN_OR_RETURN(o.key, decode(text_of(c, "Prefix")));
    o.is_dir = true;
    CPSYNC_RETURN_IF_ERROR(push_in_order(dirs, std::move(o), what));
  }
  page.entries.reserve(files.size() + dirs.size());
  std::merge(std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()),
             std::make_move_iterator(dirs.begin()), std::make_move_iterator(dirs.end()),
             std::back_inserter(page.entries),
             [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  if (!page.truncated) return page;
  std::string token = text_of(root, "NextContinuationToken");
  if (syntax.token_url_encoded && token.find('%') != std::string::npos) {
    std::string dec;
    if (uri_decode(token, dec)) token = dec;
  }
  std::string marker = text_of(root, "NextMarker");
  if (!marker.empty() && encoded) {
    std::string dec;
    if (!uri_decode(marker, dec, /*plus_as_space=*/true)) return corrupt(what, "bad NextMarker");
    marker = dec;
  }
  page.next = !token.empty() ? token : marker;
  if (syntax.version == 2 && page.next.empty())
    return corrupt(what, "truncated listing without a continuation token");
  return page;
}

Status check_order(const std::vector<ObjectInfo>& page, std::string* last, std::string_view what) {
  for (const auto& o : page) {
    if (!last->empty() && !(*last < o.key)) return out_of_order(what, o.key, *last);
    *last = o.key;
  }
  return Status::OK();
}

Result<BucketPage> parse_list_buckets(std::string_view xml, std::string_view what) {
  tinyxml2::XMLDocument doc;
  CPSYNC_ASSIGN_OR_RETURN(const XMLElement* root,
                          parse_root(doc, xml, "ListAllMyBucketsResult", "ListBuckets", what));
  BucketPage page;
  const XMLElement* buckets = root->FirstChildElement("Buckets");
  for (const XMLElement* b = buckets ? buckets->FirstChildElement("Bucket") : nullptr; b;
       b = b->NextSiblingElement("Bucket")) {
    ObjectInfo o;
    o.key = text_of(b, "Name");
    o.is_dir = true;
    if (auto t = parse_iso8601(text_of(b, "CreationDate"))) o.mtime = *t;
    page.buckets.push_back(std::move(o));
  }
  std::sort(page.buckets.begin(), page.buckets.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  page.truncated = text_of(root, "IsTruncated") == "true";
  page.next_marker = text_of(root, "NextMarker");
  return page;
}

}  // namespace cpsync::s3compat
