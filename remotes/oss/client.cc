// remotes/oss/client.cc — OSS request building and signing (see client.h).
#include "remotes/oss/client.h"

#include <chrono>

#include "core/encoding.h"
#include "remotes/oss/signer_v1.h"
#include "remotes/oss/signer_v4.h"

namespace cpsync::oss {
namespace {

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace

std::string escape_key_path(std::string_view key) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t slash = key.find('/', start);
    std::string_view seg =
        key.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (seg == ".")
      out += "%2E";
    else if (seg == "..")
      out += "%2E%2E";
    else
      out += uri_encode(seg);
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    start = slash + 1;
  }
  return out;
}

std::string OssClient::base_url(std::string_view bucket) const {
  if (bucket.empty()) return o_.scheme + "://" + o_.host;
  if (o_.path_style) return o_.scheme + "://" + o_.host + "/" + std::string(bucket);
  return o_.scheme + "://" + std::string(bucket) + "." + o_.host;
}

std::string OssClient::url(const OssCall& c) const {
  std::string u = base_url(c.bucket) + "/";
  if (!c.bucket.empty()) u += escape_key_path(c.key);
  char sep = '?';
  for (const auto& p : c.query) {
    u.push_back(sep);
    sep = '&';
    u += uri_encode(p.name);
    if (p.value) u += "=" + uri_encode(*p.value);
  }
  return u;
}

Result<HttpResponse> OssClient::send(const OssCall& c, const BodySink& sink) const {
  SignRequest sr;
  sr.method = c.method;
  sr.bucket = c.bucket;
  sr.key = c.key;
  sr.query = c.query;
  sr.headers = c.headers;
  if (o_.signature == SignatureVersion::v1)
    sign_v1_header(sr, o_.credentials, now());
  else
    sign_v4_header(sr, o_.credentials, V4Scope{o_.region, "oss"}, {}, now());
  HttpRequest req;
  req.method = c.method;
  req.url = url(c);
  req.headers = std::move(sr.headers);
  req.body_data = c.body;
  req.body_size = c.body_size;
  if (c.method == "PUT" || c.method == "POST") {
    static const char kEmpty[1] = {0};
    if (!req.body_data) req.body_data = kEmpty;  // an explicit empty body
  }
  req.op = c.op;
  req.head_response = c.method == "HEAD";
  Result<HttpResponse> r = http_client().send(req, sink);
  if (!r.ok() && r.status().http_status == 0 && r.status().message.rfind("oss '", 0) != 0) {
    // A transport failure: name the remote (sink errors already do).
    Status s = r.status();
    s.message = describe(c.bucket, c.key) + ": " + std::string(c.op) + ": " + s.message;
    return s;
  }
  return r;
}

std::string OssClient::describe(std::string_view bucket, std::string_view key) const {
  std::string s = "oss '" + o_.remote_name + ":";
  s += bucket;
  if (!key.empty()) {
    s += "/";
    s += key;
  }
  return s + "'";
}

std::string OssClient::presign(std::string_view method, std::string_view bucket,
                               std::string_view key, int64_t expires) const {
  if (o_.signature == SignatureVersion::v1) {
    V1UrlRequest r;
    r.method = std::string(method);
    r.bucket = std::string(bucket);
    r.key = std::string(key);
    r.base_url = base_url(bucket);
    r.expires_epoch = unix_seconds(now()) + expires;
    return presign_v1(r, o_.credentials).url;
  }
  V4UrlRequest r;
  r.method = std::string(method);
  r.bucket = std::string(bucket);
  r.key = std::string(key);
  r.base_url = base_url(bucket);
  r.expires = expires;
  return presign_v4(r, o_.credentials, V4Scope{o_.region, "oss"}, now()).url;
}

}  // namespace cpsync::oss
