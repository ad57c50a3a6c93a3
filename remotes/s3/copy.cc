// remotes/s3/copy.cc — server-side copy: CopyObject (metadata directive COPY) up to
// copy_cutoff (at most 5 GiB), UploadPartCopy in parallel parts above it, keeping the
// metadata.
#include <tinyxml2.h>

#include <algorithm>
#include <vector>

#include "core/crypto.h"
#include "core/parallel_parts.h"
#include "core/part_size.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {
namespace {

// UploadPartCopy: parts of at most this size (smaller when copy_cutoff is), this many in
// flight. The server does the copying, so parallel parts are what makes a large copy fast.
constexpr uint64_t kCopyPartSize = 512 * kS3MiB;
constexpr uint32_t kCopyStreams = 4;

// "/bucket/escaped-key" for x-amz-copy-source.
std::string copy_source(const ObjectRef& src) {
  return "/" + src.bucket + "/" + escape_key(src.key);
}

std::string xml_text(const std::string& body, const char* root_name, const char* child) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) return "";
  const auto* root = doc.FirstChildElement(root_name);
  const auto* e = root ? root->FirstChildElement(child) : nullptr;
  return e && e->GetText() ? e->GetText() : "";
}

}  // namespace

Result<ObjectInfo> S3Remote::copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                              const ObjectInfo& src_info) {
  if (src_info.size > client_.options().copy_cutoff) return copy_multipart(src, dst, src_info);
  S3Call call;
  call.method = "PUT";
  call.bucket = dst.bucket;
  call.key = dst.key;
  call.op = "copy";
  call.headers = {{"x-amz-copy-source", copy_source(src)}, {"x-amz-metadata-directive", "COPY"}};
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("copy", dst)));
  ObjectInfo o = src_info;
  o.key = dst.key;
  std::string etag = unquote_etag(xml_text(r.body, "CopyObjectResult", "ETag"));
  if (!etag.empty()) o.etag = etag;
  if (!o.mtime_from_metadata)
    if (auto t = parse_iso8601(xml_text(r.body, "CopyObjectResult", "LastModified"))) o.mtime = *t;
  return o;
}

Result<ObjectInfo> S3Remote::copy_multipart(const ObjectRef& src, const ObjectRef& dst,
                                            const ObjectInfo& src_info) {
  ObjectInfo info = src_info;
  if (!info.metadata_known) {  // a listing entry: fetch the metadata to carry it over
    CPSYNC_ASSIGN_OR_RETURN(info, stat(src));
  }
  CPSYNC_ASSIGN_OR_RETURN(
      uint64_t part,
      choose_part_size(info.size, std::min(client_.options().copy_cutoff, kCopyPartSize),
                       features_.parts));
  // The copy is multipart, so its ETag is no MD5: keep the content MD5 as md5chksum.
  if (info.md5 && !info.metadata.count(kMetaMd5)) {
    std::string raw;
    if (hex_decode(*info.md5, raw)) info.metadata[kMetaMd5] = base64_encode(raw);
  }
  S3Call create;
  create.method = "POST";
  create.bucket = dst.bucket;
  create.key = dst.key;
  create.query = {{"uploads", ""}};
  create.op = "create";
  add_content_headers(create.headers, info.content);
  for (auto& h : metadata_headers(info.metadata, std::nullopt)) create.headers.push_back(h);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse cr, client_.call(create, ctx("copy", dst)));
  const std::string id = xml_text(cr.body, "InitiateMultipartUploadResult", "UploadId");
  if (id.empty())
    return Status{Errc::corrupt, "s3 remote '" + name() + "': copy to '" + dst.bucket + "/" +
                                     dst.key + "': CreateMultipartUpload returned no UploadId"};
  auto abort = [&] {
    S3Call a;
    a.method = "DELETE";
    a.bucket = dst.bucket;
    a.key = dst.key;
    a.query = {{"uploadId", id}};
    a.op = "abort";
    (void)client_.call(a, ctx("abort copy", dst));
  };
  const uint32_t nparts = info.size == 0 ? 1 : static_cast<uint32_t>((info.size + part - 1) / part);
  std::vector<std::string> etags(nparts);
  Status parts = run_parts_in_parallel(nparts, kCopyStreams, [&](uint32_t i) -> Status {
    const uint64_t off = uint64_t{i} * part;
    S3Call pc;
    pc.method = "PUT";
    pc.bucket = dst.bucket;
    pc.key = dst.key;
    pc.query = {{"partNumber", std::to_string(i + 1)}, {"uploadId", id}};
    pc.headers = {{"x-amz-copy-source", copy_source(src)}};
    if (info.size > 0)
      pc.headers.emplace_back("x-amz-copy-source-range",
                              "bytes=" + std::to_string(off) + "-" +
                                  std::to_string(std::min(info.size, off + part) - 1));
    pc.op = "copy";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(pc, ctx("copy part", dst)));
    etags[i] = unquote_etag(xml_text(r.body, "CopyPartResult", "ETag"));
    if (etags[i].empty())
      return Status{Errc::corrupt, "s3 remote '" + name() + "': copy to '" + dst.bucket + "/" +
                                       dst.key + "': UploadPartCopy returned no ETag"};
    return Status{};
  });
  if (!parts.ok()) {
    abort();
    return parts;
  }
  tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
  xml.OpenElement("CompleteMultipartUpload");
  for (uint32_t i = 0; i < nparts; ++i) {
    xml.OpenElement("Part");
    xml.OpenElement("PartNumber");
    xml.PushText(i + 1);
    xml.CloseElement();
    xml.OpenElement("ETag");
    xml.PushText(("\"" + etags[i] + "\"").c_str());
    xml.CloseElement();
    xml.CloseElement();
  }
  xml.CloseElement();
  std::string body(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
  S3Call done;
  done.method = "POST";
  done.bucket = dst.bucket;
  done.key = dst.key;
  done.query = {{"uploadId", id}};
  done.headers = {{"content-type", "application/xml"}};
  done.body = body.data();
  done.body_size = body.size();
  done.sign_body = true;
  done.op = "complete";
  auto r = client_.call(done, ctx("copy", dst));
  if (!r.ok()) {
    abort();
    return r.status();
  }
  ObjectInfo o = info;
  o.key = dst.key;
  std::string etag = unquote_etag(xml_text(r->body, "CompleteMultipartUploadResult", "ETag"));
  if (etag.empty()) {  // RGW: read it back
    CPSYNC_ASSIGN_OR_RETURN(ObjectInfo head, stat(dst));
    etag = head.etag;
  }
  o.etag = etag;
  return o;
}

}  // namespace cpsync::s3
