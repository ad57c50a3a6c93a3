// remotes/s3/objects.cc — single-object operations: HEAD (stat with x-amz-meta-*), ranged
// GET streamed into the sink (resumed after a broken connection), PUT with Content-MD5,
// DELETE, and DeleteObjects in batches of 1000.
#include <tinyxml2.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {
Headers metadata_headers(const Metadata& meta, const std::optional<TimePoint>& mtime) {
  Headers h;
  for (const auto& [k, v] : meta)
    if (!(mtime && ascii_lower(k) == kMetaMtime))
      h.emplace_back(std::string(kMetaPrefix) + ascii_lower(k), v);
  if (mtime) h.emplace_back(std::string(kMetaPrefix) + kMetaMtime, format_unix_seconds(*mtime));
  return h;
}

ObjectInfo info_from_headers(const std::string& key, const Headers& h) {
  ObjectInfo o;
  o.key = key;
  if (const std::string* v = find_header(h, "content-length"))
    o.size = std::strtoull(v->c_str(), nullptr, 10);
  if (const std::string* v = find_header(h, "etag")) o.etag = unquote_etag(*v);
  if (const std::string* v = find_header(h, "last-modified"))
    if (auto t = parse_rfc1123(*v)) o.mtime = *t;
  for (const auto& [name, value] : h) {
    std::string l = ascii_lower(name);
    if (l.starts_with(kMetaPrefix)) o.metadata[l.substr(kMetaPrefix.size())] = value;
  }
  o.content = content_from_headers(h);
  o.metadata_known = true;
  if (auto it = o.metadata.find(kMetaMtime); it != o.metadata.end())
    if (auto t = parse_unix_seconds(it->second)) {
      o.mtime = *t;
      o.mtime_from_metadata = true;
    }
  if (std::string md5 = md5_from_etag(o.etag); !md5.empty()) {
    o.md5 = md5;
  } else if (auto it = o.metadata.find(kMetaMd5); it != o.metadata.end()) {
    std::string raw;
    if (base64_decode(it->second, raw) && raw.size() == 16) o.md5 = hex_lower(raw);
  }
  return o;
}

Result<ObjectInfo> S3Remote::stat(const ObjectRef& ref) {
  S3Call call;
  call.method = "HEAD";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "head";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("stat", ref)));
  return info_from_headers(ref.key, r.headers);
}

Status S3Remote::read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) {
  if (range.length && *range.length == 0) return stat(ref).status();
  S3Call call;
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "get";
  call.verb = "read";
  if (!range.if_match.empty()) call.headers.emplace_back("if-match", "\"" + range.if_match + "\"");
  uint64_t delivered = 0;
  auto r = client_.pipeline().get_range(call, http::RangeSpec{range.offset, range.length}, sink,
                                        &delivered);
  if (!r.ok()) return r.status();
  // A length past the end is cut at the end, as HTTP ranges are: accept a short body when
  // Content-Range says it reached the last byte of the object.
  bool reached_end = false;
  if (const std::string* cr = r->header("content-range")) {
    auto slash = cr->rfind('/');
    if (slash != std::string::npos && slash + 1 < cr->size() && (*cr)[slash + 1] != '*')
      reached_end = range.offset + delivered == std::strtoull(cr->c_str() + slash + 1, nullptr, 10);
  }
  if (range.length && delivered != *range.length && !reached_end)
    return Status{Errc::corrupt, "s3 remote '" + name() + "': read '" + ref.bucket + "/" + ref.key +
                                     "': got " + std::to_string(delivered) + " bytes of " +
                                     std::to_string(*range.length)};
  if (range.info) *range.info = info_from_headers(ref.key, r->headers);
  return Status::OK();
}

Result<ObjectInfo> S3Remote::put(const ObjectRef& ref, const char* data, size_t len,
                                 const UploadOptions& opts) {
  if (len > kMaxPart)
    return Status{Errc::invalid_argument, "s3 remote '" + name() + "': put '" + ref.bucket + "/" +
                                              ref.key +
                                              "': a single PUT is limited to 5 GiB; use an upload"};
  S3Call call;
  call.method = "PUT";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "put";
  call.body = data;
  call.body_size = len;
  const std::string md5raw = put_body_md5(opts, data, len);
  call.headers.emplace_back("content-md5", base64_encode(md5raw));
  add_content_headers(call.headers, opts.content);
  for (auto& h : metadata_headers(opts.metadata, opts.mtime)) call.headers.push_back(h);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("put", ref)));
  ObjectInfo o;
  o.key = ref.key;
  o.size = len;
  o.etag = unquote_etag(r.header_or("etag"));
  o.md5 = hex_lower(md5raw);
  o.mtime = opts.mtime.value_or(now_utc());
  o.mtime_from_metadata = opts.mtime.has_value();
  for (const auto& [k, v] : metadata_headers(opts.metadata, opts.mtime))
    o.metadata[k.substr(kMetaPrefix.size())] = v;
  o.content = opts.content;
  o.metadata_known = true;
  return o;
}

Status S3Remote::remove(const ObjectRef& ref) {
  S3Call call;
  call.method = "DELETE";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "delete";
  auto r = client_.call(call, ctx("remove", ref));
  if (!r.ok() && r.status().provider_code == "NoSuchKey") return Status::OK();
  return r.status();
}

Status S3Remote::remove_many(const std::string& bucket, const std::vector<std::string>& keys) {
  for (size_t start = 0; start < keys.size(); start += kDeleteBatch) {
    size_t end = std::min(keys.size(), start + kDeleteBatch);
    tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
    xml.PushHeader(false, true);
    xml.OpenElement("Delete");
    xml.OpenElement("Quiet");
    xml.PushText("true");
    xml.CloseElement();
    for (size_t i = start; i < end; ++i) {
      xml.OpenElement("Object");
      xml.OpenElement("Key");
      xml.PushText(keys[i].c_str());
      xml.CloseElement();
      xml.CloseElement();
    }
    xml.CloseElement();
    std::string body(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
    S3Call call;
    call.method = "POST";
    call.bucket = bucket;
    call.query = {{"delete", ""}};
    call.op = "delete";
    call.body = body.data();
    call.body_size = body.size();
    call.sign_body = true;
    call.headers = {{"content-md5", content_md5(body.data(), body.size())},
                    {"content-type", "application/xml"}};
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, {name(), "delete", bucket, ""}));
    tinyxml2::XMLDocument doc;
    if (doc.Parse(r.body.data(), r.body.size()) != tinyxml2::XML_SUCCESS)
      return Status{Errc::corrupt, "s3 remote '" + name() + "': malformed DeleteObjects response"};
    const auto* root = doc.FirstChildElement("DeleteResult");
    for (const auto* e = root ? root->FirstChildElement("Error") : nullptr; e;
         e = e->NextSiblingElement("Error")) {
      auto text = [&](const char* n) {
        const auto* x = e->FirstChildElement(n);
        return std::string(x && x->GetText() ? x->GetText() : "");
      };
      if (text("Code") == "NoSuchKey") continue;
      Status st{text("Code") == "AccessDenied" ? Errc::access_denied : Errc::permanent,
                "s3 remote '" + name() + "': delete '" + bucket + "/" + text("Key") +
                    "' failed: " + text("Code")};
      st.provider_code = text("Code");
      return st;
    }
  }
  return Status::OK();
}

}  // namespace cpsync::s3
