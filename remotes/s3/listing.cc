// remotes/s3/listing.cc — ListObjectsV2 (continuation tokens, delimiter mode,
// encoding-type=url) and ListBuckets, with the byte-order check on every page.
#include "remotes/s3/listing.h"

#include <tinyxml2.h>

#include <algorithm>

#include "core/encoding.h"
#include "core/time_format.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {
namespace {

using tinyxml2::XMLElement;

std::string text_of(const XMLElement* parent, const char* name) {
  const XMLElement* e = parent ? parent->FirstChildElement(name) : nullptr;
  return e && e->GetText() ? e->GetText() : "";
}

Status corrupt(std::string_view what, const std::string& detail) {
  return Status{Errc::corrupt, std::string(what) + ": " + detail};
}

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

}  // namespace

Result<ListPage> parse_list_v2(std::string_view xml, bool url_encoded, std::string_view what) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return corrupt(what, "malformed ListObjectsV2 response");
  const XMLElement* root = doc.FirstChildElement("ListBucketResult");
  if (!root) return corrupt(what, "ListObjectsV2 response without ListBucketResult");
  auto decode = [&](std::string s) -> Result<std::string> {
    if (!url_encoded) return s;
    std::string out;
    if (!uri_decode(s, out, /*plus_as_space=*/true))
      return corrupt(what, "bad url-encoded key '" + show(s) + "' in listing");
    return out;
  };
  ListPage page;
  page.truncated = text_of(root, "IsTruncated") == "true";
  page.next_token = text_of(root, "NextContinuationToken");
  std::vector<ObjectInfo> files, dirs;
  for (const XMLElement* c = root->FirstChildElement("Contents"); c;
       c = c->NextSiblingElement("Contents")) {
    ObjectInfo o;
    CPSYNC_ASSIGN_OR_RETURN(o.key, decode(text_of(c, "Key")));
    o.size = std::strtoull(text_of(c, "Size").c_str(), nullptr, 10);
    if (auto t = parse_iso8601(text_of(c, "LastModified"))) o.mtime = *t;
    o.etag = unquote_etag(text_of(c, "ETag"));
    if (std::string md5 = md5_from_etag(o.etag); !md5.empty()) o.md5 = md5;
    if (!files.empty() && !(files.back().key < o.key))
      return corrupt(what, "listing out of byte order: '" + show(o.key) + "' after '" +
                               show(files.back().key) + "'");
    files.push_back(std::move(o));
  }
  for (const XMLElement* c = root->FirstChildElement("CommonPrefixes"); c;
       c = c->NextSiblingElement("CommonPrefixes")) {
    ObjectInfo o;
    CPSYNC_ASSIGN_OR_RETURN(o.key, decode(text_of(c, "Prefix")));
    o.is_dir = true;
    if (!dirs.empty() && !(dirs.back().key < o.key))
      return corrupt(what, "listing out of byte order: '" + show(o.key) + "' after '" +
                               show(dirs.back().key) + "'");
    dirs.push_back(std::move(o));
  }
  page.entries.reserve(files.size() + dirs.size());
  std::merge(std::make_move_iterator(files.begin()), std::make_move_iterator(files.end()),
             std::make_move_iterator(dirs.begin()), std::make_move_iterator(dirs.end()),
             std::back_inserter(page.entries),
             [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  if (page.truncated && page.next_token.empty())
    return corrupt(what, "truncated listing without a continuation token");
  return page;
}

Status check_order(const std::vector<ObjectInfo>& page, std::string* last, std::string_view what) {
  for (const auto& o : page) {
    if (!last->empty() && !(*last < o.key))
      return corrupt(
          what, "listing out of byte order: '" + show(o.key) + "' after '" + show(*last) + "'");
    *last = o.key;
  }
  return Status::OK();
}

Result<std::vector<ObjectInfo>> parse_list_buckets(std::string_view xml, std::string_view what) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return corrupt(what, "malformed ListBuckets response");
  const XMLElement* root = doc.FirstChildElement("ListAllMyBucketsResult");
  if (!root) return corrupt(what, "ListBuckets response without ListAllMyBucketsResult");
  std::vector<ObjectInfo> out;
  const XMLElement* buckets = root->FirstChildElement("Buckets");
  for (const XMLElement* b = buckets ? buckets->FirstChildElement("Bucket") : nullptr; b;
       b = b->NextSiblingElement("Bucket")) {
    ObjectInfo o;
    o.key = text_of(b, "Name");
    o.is_dir = true;
    if (auto t = parse_iso8601(text_of(b, "CreationDate"))) o.mtime = *t;
    out.push_back(std::move(o));
  }
  std::sort(out.begin(), out.end(),
            [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Status S3Remote::list(const ListRequest& req, const PageSink& sink) {
  const std::string what = "s3 remote '" + name() + "' bucket '" + req.bucket + "'";
  S3Call call;
  call.bucket = req.bucket;
  call.op = "list";
  std::string token, last = req.start_after;
  for (;;) {
    call.query = {{"list-type", "2"}, {"encoding-type", "url"}, {"max-keys", "1000"}};
    if (!req.prefix.empty()) call.query.emplace_back("prefix", req.prefix);
    if (!req.recursive) call.query.emplace_back("delimiter", "/");
    if (!token.empty())
      call.query.emplace_back("continuation-token", token);
    else if (!req.start_after.empty())
      call.query.emplace_back("start-after", req.start_after);
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, {name(), "list", req.bucket, ""}));
    CPSYNC_ASSIGN_OR_RETURN(ListPage page, parse_list_v2(r.body, true, what));
    CPSYNC_RETURN_IF_ERROR(check_order(page.entries, &last, what));
    if (!page.entries.empty()) CPSYNC_RETURN_IF_ERROR(sink(page.entries));
    if (!page.truncated) return Status::OK();
    if (page.next_token == token) return corrupt(what, "listing repeats its continuation token");
    token = page.next_token;
  }
}

Status S3Remote::list_buckets(const PageSink& sink) {
  const std::string what = "s3 remote '" + name() + "'";
  S3Call call;
  call.op = "list";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, {name(), "list buckets", "", ""}));
  CPSYNC_ASSIGN_OR_RETURN(auto buckets, parse_list_buckets(r.body, what));
  if (buckets.empty()) return Status::OK();
  return sink(buckets);
}

}  // namespace cpsync::s3
