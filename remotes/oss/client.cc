// remotes/oss/client.cc — OSS request building and signing (see client.h).
#include "remotes/oss/client.h"

#include "core/encoding.h"
#include "remotes/oss/request_signers.h"
#include "remotes/oss/signer_v1.h"
#include "remotes/oss/signer_v4.h"

namespace cpsync::oss {

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

namespace {

std::string base_url_of(const OssOptions& o, std::string_view bucket) {
  if (bucket.empty()) return o.scheme + "://" + o.host;
  if (o.path_style) return o.scheme + "://" + o.host + "/" + std::string(bucket);
  return o.scheme + "://" + std::string(bucket) + "." + o.host;
}

std::string url_of(const OssOptions& o, const OssCall& c) {
  std::string u = base_url_of(o, c.bucket) + "/";
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

std::shared_ptr<const http::Signer> signer_for(const OssOptions& o,
                                               std::shared_ptr<CredentialCache> creds) {
  if (o.signature == SignatureVersion::v1) return std::make_shared<OssV1Signer>(std::move(creds));
  return std::make_shared<OssV4Signer>(std::move(creds), o.region);
}

}  // namespace

ChainSettings chain_settings(const OssOptions& o) {
  ChainSettings c;
  c.keys = o.credentials;
  c.provider = o.credential_provider;
  c.ecs_role_name = o.ecs_role_name;
  c.sts_endpoint = o.sts_endpoint;
  c.role_arn = o.role_arn;
  c.role_session_name = o.role_session_name;
  c.external_id = o.external_id;
  return c;
}

namespace {

// PUT and POST always carry a body, empty when the call has none.
OssCall with_body(const OssCall& c) {
  static const char kEmpty[1] = {0};
  OssCall out = c;
  if ((c.method == "PUT" || c.method == "POST") && !out.body) out.body = kEmpty;
  return out;
}

}  // namespace

OssClient::OssClient(OssOptions o) : o_(std::move(o)) {
  creds_ = make_credential_cache(make_credential_provider(chain_settings(o_)), o_.remote_name);
  pipeline_ = std::make_shared<const http::Pipeline>(
      [o = o_](const http::Request& r) { return url_of(o, r); }, signer_for(o_, creds_),
      std::make_shared<OssErrorMapper>(o_.remote_name));
}

std::string OssClient::base_url(std::string_view bucket) const {
  return base_url_of(o_, bucket);
}

std::string OssClient::url(const OssCall& c) const {
  return url_of(o_, c);
}

Result<HttpResponse> OssClient::send(const OssCall& c, const BodySink& sink) const {
  return pipeline_->send_once(with_body(c), sink);
}

Result<HttpResponse> OssClient::call(const OssCall& c) const {
  return pipeline_->send(with_body(c));
}

std::string OssClient::describe(std::string_view bucket, std::string_view key) const {
  return oss::describe(o_.remote_name, bucket, key);
}

Result<std::string> OssClient::presign(std::string_view method, std::string_view bucket,
                                       std::string_view key, int64_t expires) const {
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot now, creds_->current());
  const Credentials& keys = now.creds->keys;
  if (o_.signature == SignatureVersion::v1) {
    V1UrlRequest r;
    r.method = std::string(method);
    r.bucket = std::string(bucket);
    r.key = std::string(key);
    r.base_url = base_url(bucket);
    r.expires_epoch = unix_seconds(pipeline_->now()) + expires;
    return presign_v1(r, keys).url;
  }
  V4UrlRequest r;
  r.method = std::string(method);
  r.bucket = std::string(bucket);
  r.key = std::string(key);
  r.base_url = base_url(bucket);
  r.expires = expires;
  return presign_v4(r, keys, V4Scope{o_.region, "oss"}, pipeline_->now()).url;
}

}  // namespace cpsync::oss
