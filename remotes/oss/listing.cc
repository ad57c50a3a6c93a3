// remotes/oss/listing.cc — ListObjects V2 (continuation-token; V1 markers with
// list_version = 1), recursive or delimiter mode, encoding-type=url, with the byte order
// checked across pages (parse_list_page checks each page). Also ListBuckets.
#include <tinyxml2.h>

#include <algorithm>

#include "core/encoding.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/list_page.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {
namespace {

const char* child_text(const tinyxml2::XMLElement* e, const char* name) {
  const tinyxml2::XMLElement* c = e ? e->FirstChildElement(name) : nullptr;
  const char* t = c ? c->GetText() : nullptr;
  return t ? t : "";
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
    Result<ListPage> page = [&]() -> Result<ListPage> {
      CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(c.with_verb("list")));
      return parse_list_page(r.body, what);
    }();
    if (!page.ok()) return page.status();
    ListPage& p = *page;
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
    Result<HttpResponse> rr = client_.call(c.with_verb("list buckets"));
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
