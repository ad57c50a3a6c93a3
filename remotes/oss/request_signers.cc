// remotes/oss/request_signers.cc — see request_signers.h.
#include "remotes/oss/request_signers.h"

#include "remotes/oss/errors.h"
#include "remotes/oss/signer_v1.h"

namespace cpsync::oss {
namespace {

SignRequest sign_request(const http::Request& req, const HttpRequest& out) {
  SignRequest sr;
  sr.method = req.method;
  sr.bucket = req.bucket;
  sr.key = req.key;
  sr.query = req.query;
  sr.headers = out.headers;
  return sr;
}

}  // namespace

Result<http::SignedWith> OssV1Signer::sign(const http::Request& req, HttpRequest& out,
                                           TimePoint now) const {
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot used, creds_->current());
  SignRequest sr = sign_request(req, out);
  sign_v1_header(sr, used.creds->keys, now);
  out.headers = std::move(sr.headers);
  return http::SignedWith{used.generation, used.creds->temporary()};
}

Result<http::SignedWith> OssV4Signer::sign(const http::Request& req, HttpRequest& out,
                                           TimePoint now) const {
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot used, creds_->current());
  SignRequest sr = sign_request(req, out);
  sign_v4_header(sr, used.creds->keys, V4Scope{region_, "oss"}, {}, now);
  out.headers = std::move(sr.headers);
  return http::SignedWith{used.generation, used.creds->temporary()};
}

Result<bool> OssSigner::renew_after_refusal(const http::SignedWith& used, const http::Request& req,
                                            const Status& refused) const {
  if (refused.http_status < 400 || refused.http_status >= 500) return false;
  const std::string& code = refused.provider_code;
  Result<CredentialCache::Snapshot> fresh = Status{Errc::permanent, ""};
  if (rejected_as_expired(refused.http_status, code, used.temporary)) {
    fresh = creds_->refresh_after_rejection(used.generation);
  } else if (used.temporary && req.method == "HEAD" && refused.http_status == 403 &&
             (code.empty() || code == "Forbidden")) {
    // A HEAD answer has no body to say why: fetch again if the provider has other keys now.
    fresh = creds_->recheck_after_denial(used.generation);
  } else {
    return false;
  }
  if (!fresh.ok()) return fresh.status();
  return fresh->generation != used.generation;
}

std::string describe(std::string_view remote, std::string_view bucket, std::string_view key) {
  std::string s = "oss '" + std::string(remote) + ":";
  s += bucket;
  if (!key.empty()) {
    s += "/";
    s += key;
  }
  return s + "'";
}

Status OssErrorMapper::map(const HttpResponse& r, const http::Request& req) const {
  Status s = to_status(r, req.what(), describe(remote_, req.bucket, req.key));
  if (s.code == Errc::not_found && s.provider_code != "NoSuchUpload")
    s.missing =
        s.provider_code == "NoSuchBucket" || req.key.empty() ? Missing::bucket : Missing::object;
  return s;
}

Status OssErrorMapper::transport(const Status& s, const http::Request& req) const {
  // A sink's own failure already names the remote.
  if (s.http_status != 0 || s.message.rfind("oss '", 0) == 0) return s;
  Status out = s;
  out.message =
      describe(remote_, req.bucket, req.key) + ": " + std::string(req.what()) + ": " + s.message;
  return out;
}

}  // namespace cpsync::oss
