// remotes/s3compat/listing.cc — the ListObjects and ListBuckets request loops (see listing.h).
#include "remotes/s3compat/listing.h"

#include "remotes/s3compat/list_xml.h"

namespace cpsync::s3compat {

Status list_objects(const Endpoint& ep, const ListRequest& req, const ListSettings& settings,
                    const PageSink& sink) {
  const std::string what = ep.describe(req.bucket, req.prefix);
  const ListSyntax syntax{settings.version, /*url_requested=*/true, ep.dialect->token_url_encoded,
                          ep.dialect->default_storage_class};
  std::string next;  // token (V2) or marker (V1)
  std::string last = req.start_after;
  for (;;) {
    http::Request r;
    r.bucket = req.bucket;
    r.op = "list";
    r.verb = "list";
    if (settings.version == 2) {
      r.query.emplace_back("list-type", "2");
      if (!next.empty())
        r.query.emplace_back("continuation-token", next);
      else if (!req.start_after.empty())
        r.query.emplace_back("start-after", req.start_after);
    } else if (!next.empty() || !req.start_after.empty()) {
      r.query.emplace_back("marker", next.empty() ? req.start_after : next);
    }
    if (!req.prefix.empty()) r.query.emplace_back("prefix", req.prefix);
    if (!req.recursive) r.query.emplace_back("delimiter", "/");
    r.query.emplace_back("max-keys", std::to_string(settings.max_keys));
    r.query.emplace_back("encoding-type", "url");
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
    CPSYNC_ASSIGN_OR_RETURN(ListPage page, parse_list_objects(answer.body, syntax, what));
    CPSYNC_RETURN_IF_ERROR(check_order(page.entries, &last, what));
    for (const auto& e : page.entries)
      if (!e.key.starts_with(req.prefix))
        return corrupt(what, "listed key '" + e.key + "' is outside the prefix");
    if (!page.entries.empty()) CPSYNC_RETURN_IF_ERROR(sink(page.entries));
    if (!page.truncated) return Status::OK();
    if (page.next.empty()) {
      // V1 without a delimiter may omit NextMarker: continue after the last key.
      if (last.empty()) return corrupt(what, "truncated listing without a continuation token");
      page.next = last;
    }
    if (page.next == next) return corrupt(what, "the listing does not advance");
    next = page.next;
  }
}

Status list_buckets(const Endpoint& ep, const PageSink& sink) {
  const std::string what = ep.describe("", "");
  std::string marker;
  for (;;) {
    http::Request r;
    r.op = "list";
    r.verb = "list buckets";
    if (ep.dialect->paged_bucket_list) {
      if (!marker.empty()) r.query.emplace_back("marker", marker);
      r.query.emplace_back("max-keys", "1000");
    }
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
    CPSYNC_ASSIGN_OR_RETURN(BucketPage page, parse_list_buckets(answer.body, what));
    if (!page.buckets.empty()) CPSYNC_RETURN_IF_ERROR(sink(page.buckets));
    if (!ep.dialect->paged_bucket_list || !page.truncated || page.next_marker.empty() ||
        page.next_marker == marker)
      return Status::OK();
    marker = page.next_marker;
  }
}

}  // namespace cpsync::s3compat
