// remotes/s3compat/pending_xml.cc — ListMultipartUploads / ListParts parsing (see pending_xml.h).
#include "remotes/s3compat/pending_xml.h"

#include <tinyxml2.h>

#include <chrono>

#include "core/time_format.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/etag.h"
#include "remotes/s3compat/xml_text.h"

namespace cpsync::s3compat {
namespace {

using tinyxml2::XMLElement;

bool parse_u64(const std::string& s, uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

Result<PendingUploadsPage> parse_pending_uploads(std::string_view xml, std::string_view what) {
  tinyxml2::XMLDocument doc;
  CPSYNC_ASSIGN_OR_RETURN(const XMLElement* root, parse_root(doc, xml, "ListMultipartUploadsResult",
                                                             "ListMultipartUploads", what));
  PendingUploadsPage page;
  page.truncated = text_of(root, "IsTruncated") == "true";
  page.next_key_marker = text_of(root, "NextKeyMarker");
  page.next_upload_id_marker = text_of(root, "NextUploadIdMarker");
  for (const XMLElement* u = root->FirstChildElement("Upload"); u;
       u = u->NextSiblingElement("Upload")) {
    PendingUpload p;
    p.key = text_of(u, "Key");
    p.upload_id = text_of(u, "UploadId");
    if (p.upload_id.empty()) return corrupt(what, "an Upload without UploadId");
    auto t = parse_iso8601(text_of(u, "Initiated"));
    if (!t) return corrupt(what, "upload '" + p.key + "' without a valid Initiated time");
    p.initiated = *t;
    page.uploads.push_back(std::move(p));
  }
  if (page.truncated && page.next_key_marker.empty() && page.next_upload_id_marker.empty())
    return corrupt(what, "truncated ListMultipartUploads without a next marker");
  return page;
}

Result<ListedPartsPage> parse_listed_parts(std::string_view xml, std::string_view what) {
  tinyxml2::XMLDocument doc;
  CPSYNC_ASSIGN_OR_RETURN(const XMLElement* root,
                          parse_root(doc, xml, "ListPartsResult", "ListParts", what));
  ListedPartsPage page;
  page.truncated = text_of(root, "IsTruncated") == "true";
  page.next_part_marker = text_of(root, "NextPartNumberMarker");
  for (const XMLElement* e = root->FirstChildElement("Part"); e;
       e = e->NextSiblingElement("Part")) {
    ListedPart p;
    uint64_t n = 0;
    if (!parse_u64(text_of(e, "PartNumber"), n) || n < 1 || n > 100000 ||
        !parse_u64(text_of(e, "Size"), p.size))
      return corrupt(what, "a Part without a valid PartNumber and Size");
    p.number = static_cast<uint32_t>(n);
    p.etag = unquote_etag(text_of(e, "ETag"));
    p.md5 = md5_from_etag(p.etag);
    page.parts.push_back(std::move(p));
  }
  if (page.truncated && page.next_part_marker.empty())
    return corrupt(what, "truncated ListParts without NextPartNumberMarker");
  return page;
}

std::optional<PendingUpload> choose_pending(const std::vector<PendingUpload>& uploads,
                                            std::string_view key,
                                            std::optional<TimePoint> not_before) {
  std::optional<PendingUpload> best;
  for (const auto& u : uploads) {
    if (u.key != key) continue;
    if (not_before && u.initiated + std::chrono::seconds(1) <= *not_before) continue;
    if (!best || u.initiated > best->initiated) best = u;
  }
  return best;
}

}  // namespace cpsync::s3compat
