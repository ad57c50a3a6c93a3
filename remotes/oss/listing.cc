// remotes/oss/listing.cc — ListObjects V2 (continuation-token; V1 markers with
// list_version = 1), recursive or delimiter mode, encoding-type=url, with the byte order
// checked on every page and across pages. Also ListBuckets.
#include <tinyxml2.h>

#include <algorithm>

#include "core/encoding.h"
#include "core/retry.h"
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

struct Page {
  std::vector<ObjectInfo> entries;  // objects and prefixes merged in byte order
  bool truncated = false;
  std::string next;  // continuation token or marker
};

// Decodes a url-encoded field when the listing was requested with encoding-type=url.
bool decode_field(const char* text, bool encoded, std::string& out) {
  if (!encoded) {
    out = text;
    return true;
  }
  return uri_decode(text, out, /*plus_as_space=*/true);
}

Result<Page> parse_page(const std::string& body, const std::string& what) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS)
    return corrupt("list", what, "malformed XML in the listing");
  const tinyxml2::XMLElement* root = doc.FirstChildElement("ListBucketResult");
  if (!root) return corrupt("list", what, "no ListBucketResult in the listing");
  const bool encoded = std::string(child_text(root, "EncodingType")) == "url";
  Page page;
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

}  // namespace

Status OssRemote::list(const ListRequest& req, const PageSink& sink) {
  return list_page_loop(req, sink);
}

Status OssRemote::list_page_loop(const ListRequest& req, const PageSink& sink) {
  const OssOptions& o = client_.options();
  const std::string what = client_.describe(req.bucket, req.prefix);
  std::string next;      // token (V2) or marker (V1)
  std::string last_key;  // the last key handed to the sink
  bool first = true;
  for (;;) {
    OssCall c;
    c.bucket = req.bucket;
    c.op = "list";
    if (o.list_version == 2) {
      c.query.push_back({"list-type", "2"});
      if (!next.empty())
        c.query.push_back({"continuation-token", next});
      else if (!req.start_after.empty())
        c.query.push_back({"start-after", req.start_after});
    } else if (!next.empty() || !req.start_after.empty()) {
      c.query.push_back({"marker", next.empty() ? req.start_after : next});
    }
    if (!req.prefix.empty()) c.query.push_back({"prefix", req.prefix});
    if (!req.recursive) c.query.push_back({"delimiter", "/"});
    c.query.push_back({"max-keys", std::to_string(o.list_chunk)});
    c.query.push_back({"encoding-type", "url"});
    Result<Page> page = retry_result<Page>(default_retry_policy(), [&]() -> Result<Page> {
      CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
      if (!r.success()) return to_status(r, "list", what);
      return parse_page(r.body, what);
    });
    if (!page.ok()) return page.status();
    Page& p = *page;
    if (!p.entries.empty()) {
      const std::string& lower_bound = first ? req.start_after : last_key;
      if ((!first || !req.start_after.empty()) && !(lower_bound < p.entries.front().key))
        return corrupt("list", what,
                       "keys out of byte order across listing pages: '" + lower_bound + "' then '" +
                           p.entries.front().key + "'");
      for (const auto& e : p.entries)
        if (e.key.compare(0, req.prefix.size(), req.prefix) != 0)
          return corrupt("list", what, "listed key '" + e.key + "' is outside the prefix");
      last_key = p.entries.back().key;
      first = false;
      CPSYNC_RETURN_IF_ERROR(sink(p.entries));
    }
    if (!p.truncated) return Status::OK();
    if (p.next.empty()) {
      if (o.list_version == 2 || last_key.empty())
        return corrupt("list", what, "truncated listing without a continuation token");
      p.next = last_key;  // V1 without delimiter may omit NextMarker
    }
    if (p.next == next) return corrupt("list", what, "the listing does not advance");
    next = p.next;
  }
}

Status OssRemote::list_buckets(const PageSink& sink) {
  const std::string what = "oss '" + name() + ":'";
  std::string marker;
  for (;;) {
    OssCall c;
    c.op = "list";
    if (!marker.empty()) c.query.push_back({"marker", marker});
    c.query.push_back({"max-keys", "1000"});
    Result<HttpResponse> rr =
        retry_result<HttpResponse>(default_retry_policy(), [&]() -> Result<HttpResponse> {
          CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
          if (!r.success()) return to_status(r, "list buckets", what);
          return r;
        });
    if (!rr.ok()) return rr.status();
    tinyxml2::XMLDocument doc;
    if (doc.Parse(rr->body.data(), rr->body.size()) != tinyxml2::XML_SUCCESS)
      return corrupt("list buckets", what, "malformed XML");
    const tinyxml2::XMLElement* root = doc.FirstChildElement("ListAllMyBucketsResult");
    if (!root) return corrupt("list buckets", what, "no ListAllMyBucketsResult");
    std::vector<ObjectInfo> page;
    const tinyxml2::XMLElement* buckets = root->FirstChildElement("Buckets");
    for (auto* b = buckets ? buckets->FirstChildElement("Bucket") : nullptr; b;
         b = b->NextSiblingElement("Bucket")) {
      ObjectInfo info;
      info.key = child_text(b, "Name");
      info.is_dir = true;
      if (auto t = parse_iso8601(child_text(b, "CreationDate"))) info.mtime = *t;
      page.push_back(std::move(info));
    }
    std::sort(page.begin(), page.end(),
              [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
    if (!page.empty()) CPSYNC_RETURN_IF_ERROR(sink(page));
    const bool truncated = std::string(child_text(root, "IsTruncated")) == "true";
    std::string next = child_text(root, "NextMarker");
    if (!truncated || next.empty() || next == marker) return Status::OK();
    marker = next;
  }
}

}  // namespace cpsync::oss
