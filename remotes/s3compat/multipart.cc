// remotes/s3compat/multipart.cc — the shared multipart requests (see multipart.h).
#include "remotes/s3compat/multipart.h"

#include <tinyxml2.h>

#include "core/encoding.h"
#include "remotes/s3compat/etag.h"
#include "remotes/s3compat/xml_text.h"

namespace cpsync::s3compat {
namespace {

http::Request on_object(const ObjectRef& ref, std::string method, std::string_view op,
                        std::string_view verb) {
  http::Request r;
  r.method = std::move(method);
  r.bucket = ref.bucket;
  r.key = ref.key;
  r.op = op;
  r.verb = verb;
  return r;
}

bool is_error_document(const std::string& body) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) return false;
  const tinyxml2::XMLElement* root = doc.RootElement();
  return root && std::string_view(root->Name()) == "Error";
}

}  // namespace

std::string copy_source(const ObjectRef& src) {
  return "/" + src.bucket + "/" + uri_encode(src.key, /*keep_slash=*/true);
}

Result<std::string> initiate_upload(const Endpoint& ep, const ObjectRef& ref, Headers headers) {
  http::Request r = on_object(ref, "POST", "create", "begin upload");
  r.query = {{"uploads"}};
  r.headers = std::move(headers);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
  std::string id = xml_field(answer.body, "InitiateMultipartUploadResult", "UploadId");
  if (id.empty())
    return corrupt(ep.describe(ref.bucket, ref.key),
                   "begin upload: InitiateMultipartUpload returned no UploadId");
  return id;
}

Result<HttpResponse> upload_part(const Endpoint& ep, const ObjectRef& ref,
                                 const std::string& upload_id, uint32_t n, const char* data,
                                 size_t len, const std::string& content_md5) {
  http::Request r = on_object(ref, "PUT", "part", "upload part");
  r.query = {{"partNumber", std::to_string(n)}, {"uploadId", upload_id}};
  if (!content_md5.empty()) r.headers.emplace_back("content-md5", content_md5);
  r.body = data;
  r.body_size = len;
  return ep.call(std::move(r));
}

Result<CopiedPart> upload_part_copy(const Endpoint& ep, const ObjectRef& ref,
                                    const std::string& upload_id, uint32_t n, const ObjectRef& src,
                                    uint64_t first, uint64_t len, const std::string& if_match) {
  http::Request r = on_object(ref, "PUT", "copy", "upload part copy");
  r.query = {{"partNumber", std::to_string(n)}, {"uploadId", upload_id}};
  r.headers.emplace_back(ep.header("copy-source"), copy_source(src));
  if (!if_match.empty())
    r.headers.emplace_back(ep.header("copy-source-if-match"), "\"" + if_match + "\"");
  if (len > 0)
    r.headers.emplace_back(ep.header("copy-source-range"), "bytes=" + std::to_string(first) + "-" +
                                                               std::to_string(first + len - 1));
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(std::move(r)));
  CopiedPart out;
  out.etag = unquote_etag(xml_field(answer.body, "CopyPartResult", "ETag"));
  if (out.etag.empty()) out.etag = unquote_etag(answer.header_or("etag"));
  if (out.etag.empty())
    return corrupt(ep.describe(ref.bucket, ref.key) + " part " + std::to_string(n),
                   "upload part copy: UploadPartCopy returned no ETag");
  out.answer = std::move(answer);
  return out;
}

std::string complete_body(const std::vector<PartEtag>& parts) {
  tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
  xml.PushHeader(false, true);
  xml.OpenElement("CompleteMultipartUpload", /*compactMode=*/true);
  for (const auto& p : parts) {
    xml.OpenElement("Part", /*compactMode=*/true);
    xml.OpenElement("PartNumber", /*compactMode=*/true);
    xml.PushText(p.number);
    xml.CloseElement(/*compactMode=*/true);
    xml.OpenElement("ETag", /*compactMode=*/true);
    xml.PushText(("\"" + p.etag + "\"").c_str());
    xml.CloseElement(/*compactMode=*/true);
    xml.CloseElement(/*compactMode=*/true);
  }
  xml.CloseElement(/*compactMode=*/true);
  return std::string(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
}

Result<Completed> complete_upload(const Endpoint& ep, const ObjectRef& ref,
                                  const std::string& upload_id,
                                  const std::vector<PartEtag>& parts) {
  const std::string body = complete_body(parts);
  http::Request r = on_object(ref, "POST", "complete", "complete upload");
  r.query = {{"uploadId", upload_id}};
  r.headers = {{"content-md5", content_md5(body.data(), body.size())},
               {"content-type", "application/xml"}};
  r.body = body.data();
  r.body_size = body.size();
  r.sign_body = true;
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse answer, ep.call(r));
  if (is_error_document(answer.body)) {
    HttpResponse as_error = answer;
    as_error.status = 500;
    return ep.pipeline->errors().map(as_error, r);
  }
  Completed out;
  out.etag = unquote_etag(xml_field(answer.body, "CompleteMultipartUploadResult", "ETag"));
  if (out.etag.empty()) out.etag = unquote_etag(answer.header_or("etag"));
  out.answer = std::move(answer);
  return out;
}

Status abort_upload(const Endpoint& ep, const ObjectRef& ref, const std::string& upload_id) {
  http::Request r = on_object(ref, "DELETE", "abort", "abort upload");
  r.query = {{"uploadId", upload_id}};
  Status st = ep.call(std::move(r)).status();
  if (st.provider_code == "NoSuchUpload" || st.provider_code == "NoSuchKey") return Status::OK();
  return st;
}

}  // namespace cpsync::s3compat
