// remotes/s3compat/objects.cc — the shared object requests (see objects.h).
#include "remotes/s3compat/objects.h"

#include <tinyxml2.h>

#include <algorithm>

#include "core/time_format.h"
#include "remotes/s3compat/etag.h"
#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/xml_text.h"

namespace cpsync::s3compat {
namespace {

constexpr size_t kDeleteBatch = 1000;

// Keys with control characters (or none at all) cannot travel in an XML 1.0 body.
bool xml_safe(const std::string& k) {
  return !k.empty() && std::none_of(k.begin(), k.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
  });
}

}  // namespace

Status remove_object(const Endpoint& ep, const ObjectRef& ref) {
  if (ref.key.empty())
    return Status{Errc::invalid_argument, ep.describe(ref.bucket) + ": remove: empty key"};
  http::Request r;
  r.method = "DELETE";
  r.bucket = ref.bucket;
  r.key = ref.key;
  r.op = "delete";
  r.verb = "remove";
  Status st = ep.call(std::move(r)).status();
  return st.provider_code == "NoSuchKey" ? Status::OK() : st;
}

std::string delete_body(const std::vector<const std::string*>& keys, size_t first, size_t last) {
  tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
  xml.PushHeader(false, true);
  xml.OpenElement("Delete", /*compactMode=*/true);
  xml.OpenElement("Quiet", /*compactMode=*/true);
  xml.PushText("true");
  xml.CloseElement(/*compactMode=*/true);
  for (size_t i = first; i < last; ++i) {
    xml.OpenElement("Object", /*compactMode=*/true);
    xml.OpenElement("Key", /*compactMode=*/true);
    xml.PushText(keys[i]->c_str());
    xml.CloseElement(/*compactMode=*/true);
    xml.CloseElement(/*compactMode=*/true);
  }
  xml.CloseElement(/*compactMode=*/true);
  return std::string(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
}

Status delete_result(const std::string& body, const std::string& what) {
  if (body.empty()) return Status::OK();  // quiet mode with nothing to report
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS)
    return corrupt(what, "malformed DeleteObjects response");
  const auto* root = doc.FirstChildElement("DeleteResult");
  for (const auto* e = root ? root->FirstChildElement("Error") : nullptr; e;
       e = e->NextSiblingElement("Error")) {
    auto text = [&](const char* n) {
      const auto* x = e->FirstChildElement(n);
      return std::string(x && x->GetText() ? x->GetText() : "");
    };
    const std::string code = text("Code");
    if (code == "NoSuchKey") continue;
    Status st{code == "AccessDenied" ? Errc::access_denied : Errc::permanent,
              what + ": delete '" + text("Key") + "' failed: " + code};
    st.provider_code = code;
    return st;
  }
  return Status::OK();
}

Status delete_objects(const Endpoint& ep, const std::string& bucket,
                      const std::vector<std::string>& keys) {
  const std::string what = ep.describe(bucket);
  std::vector<const std::string*> batchable;
  for (const auto& k : keys) {
    if (xml_safe(k))
      batchable.push_back(&k);
    else
      CPSYNC_RETURN_IF_ERROR(remove_object(ep, ObjectRef{bucket, k}));
  }
  for (size_t start = 0; start < batchable.size(); start += kDeleteBatch) {
    const std::string body =
        delete_body(batchable, start, std::min(batchable.size(), start + kDeleteBatch));
    http::Request r;
    r.method = "POST";
    r.bucket = bucket;
    r.query = {{"delete"}};
    r.headers = {{"content-md5", content_md5(body.data(), body.size())},
                 {"content-type", "application/xml"}};
    r.body = body.data();
    r.body_size = body.size();
    r.sign_body = true;
    r.op = "delete";
    r.verb = "delete objects";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
    CPSYNC_RETURN_IF_ERROR(delete_result(answer.body, what));
  }
  return Status::OK();
}

Result<Copied> copy_object(const Endpoint& ep, const ObjectRef& src, const ObjectRef& dst,
                           const CopyOptions& opts) {
  http::Request r;
  r.method = "PUT";
  r.bucket = dst.bucket;
  r.key = dst.key;
  r.op = "copy";
  r.verb = opts.verb;
  r.headers = {{ep.header("copy-source"), copy_source(src)}};
  if (!opts.if_match.empty())
    r.headers.emplace_back(ep.header("copy-source-if-match"), "\"" + opts.if_match + "\"");
  r.headers.emplace_back(ep.header("metadata-directive"), opts.directive);
  for (const auto& h : opts.headers) r.headers.push_back(h);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
  Copied out;
  out.etag = unquote_etag(xml_field(answer.body, "CopyObjectResult", "ETag"));
  out.last_modified = parse_iso8601(xml_field(answer.body, "CopyObjectResult", "LastModified"));
  out.answer = std::move(answer);
  return out;
}

}  // namespace cpsync::s3compat
