// remotes/s3/client.cc — S3 request building, signing and sending (see client.h).
#include "remotes/s3/client.h"

#include "core/crypto.h"
#include "core/retry.h"
#include "remotes/s3/credentials/chain.h"

namespace cpsync::s3 {
namespace {

bool is_ip_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;  // IPv6 literal
  auto colon = host.find(':');
  std::string_view h = host.substr(0, colon);
  if (h.empty()) return false;
  for (char c : h)
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  return true;
}

// Lower-case letters, digits, '-' and '.', 3-63 characters, as DNS labels allow.
bool dns_compatible(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return b.front() != '-' && b.front() != '.' && b.back() != '-' && b.back() != '.' &&
         b.find("..") == std::string_view::npos;
}

}  // namespace

TimePoint now_utc() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

bool S3Client::path_style_for(std::string_view bucket) const {
  if (bucket.empty()) return true;
  if (opt_.path_style || is_ip_host(opt_.host) || !dns_compatible(bucket)) return true;
  return opt_.scheme == "https" && bucket.find('.') != std::string_view::npos;
}

std::string S3Client::host_for(std::string_view bucket) const {
  if (path_style_for(bucket)) return opt_.host;
  return std::string(bucket) + "." + opt_.host;
}

std::string S3Client::path_for(std::string_view bucket, std::string_view key) const {
  if (bucket.empty()) return "/";
  return object_path(bucket, key, path_style_for(bucket));
}

S3Client::S3Client(S3Options o) : opt_(std::move(o)) {
  if (opt_.anonymous()) return;
  ChainSettings cs{opt_.name,
                   opt_.region,
                   opt_.creds,
                   opt_.profile,
                   opt_.shared_credentials_file,
                   opt_.role_arn,
                   opt_.role_session_name,
                   opt_.external_id};
  creds_ = std::make_shared<CredentialCache>(make_credential_provider(cs), opt_.name);
}

Result<HttpResponse> S3Client::send(const S3Call& c, const ErrorContext& ctx,
                                    const BodySink& sink) const {
  if (!creds_) return send_as(c, ctx, sink, nullptr);
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot used, creds_->current());
  auto r = send_as(c, ctx, sink, &used.creds->keys);
  if (!r.ok() || r->success()) return r;
  std::string code = status_from_http(*r, "s3").provider_code;
  const bool temporary = used.creds->temporary();
  Result<CredentialCache::Snapshot> fresh = used;
  if (rejected_as_expired(r->status, code, temporary)) {
    fresh = creds_->refresh_after_rejection(used.generation);
  } else if (temporary && (code == "AccessDenied" || (c.method == "HEAD" && code.empty() &&
                                                      (r->status == 400 || r->status == 403)))) {
    // A revoked temporary key may say only this (Ceph RGW; a HEAD has no body).
    fresh = creds_->recheck_after_denial(used.generation);
  }
  if (!fresh.ok()) return fresh.status();
  if (fresh->generation == used.generation) return r;
  return send_as(c, ctx, sink, &fresh->creds->keys);
}

Result<HttpResponse> S3Client::send_as(const S3Call& c, const ErrorContext& ctx,
                                       const BodySink& sink, const Credentials* creds) const {
  SigV4Request sr;
  sr.method = c.method;
  sr.path = path_for(c.bucket, c.key);
  sr.query = c.query;
  sr.headers.emplace_back("host", host_for(c.bucket));
  for (const auto& h : c.headers) sr.headers.push_back(h);

  HttpRequest req;
  req.method = c.method;
  req.op = c.op;
  req.head_response = c.method == "HEAD";
  req.body_data = c.body;
  req.body_size = c.body_size;
  std::string query;
  if (!creds) {
    req.headers = std::move(sr.headers);
    query = format_query(sr.query);
  } else {
    std::string hash;
    if (c.sign_body)
      hash = sha256_hex(std::string_view(c.body ? c.body : "", c.body_size));
    else if (c.body_size > 0)
      hash = std::string(kUnsignedPayload);
    else
      hash = std::string(kEmptySha256);
    sr.headers.emplace_back("x-amz-content-sha256", hash);
    SigV4Signed s = sign_header(sr, *creds, opt_.region, now_utc(), hash);
    req.headers = std::move(s.headers);
    query = std::move(s.query_string);
  }
  req.url = opt_.scheme + "://" + host_for(c.bucket) + sr.path;
  if (!query.empty()) req.url += "?" + query;
  auto r = http_client().send(req, sink);
  if (!r.ok()) return transport_status(r.status(), ctx);
  return r;
}

Result<HttpResponse> S3Client::call(const S3Call& c, const ErrorContext& ctx) const {
  return retry_result<HttpResponse>(default_retry_policy(), [&]() -> Result<HttpResponse> {
    auto r = send(c, ctx);
    if (!r.ok()) return r.status();
    if (!r->success() || is_error_body(r->body)) return to_status(*r, ctx);
    return r;
  });
}

Result<std::string> S3Client::presigned_url(std::string_view method, std::string_view bucket,
                                            std::string_view key,
                                            std::chrono::seconds expires) const {
  std::string path = path_for(bucket, key);
  std::string base = opt_.scheme + "://" + host_for(bucket) + path;
  if (!creds_) return base;
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot now, creds_->current());
  SigV4Request sr;
  sr.method = std::string(method);
  sr.path = path;
  sr.headers.emplace_back("host", host_for(bucket));
  auto s = presign(sr, now.creds->keys, opt_.region, now_utc(), expires.count());
  if (!s.ok()) {
    Status st = s.status();
    st.message = "s3 remote '" + opt_.name + "': " + st.message;
    return st;
  }
  return base + "?" + s->query_string;
}

}  // namespace cpsync::s3
