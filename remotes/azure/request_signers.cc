// remotes/azure/request_signers.cc — see request_signers.h.
#include "remotes/azure/request_signers.h"

#include <chrono>

#include "core/time_format.h"
#include "remotes/azure/azure_errors.h"
#include "remotes/azure/sas.h"

namespace cpsync::azure {

Result<http::SignedWith> SharedKeySigner::sign(const http::Request&, HttpRequest& out,
                                               TimePoint now) const {
  sign_shared_key(out.method, out.url, out.headers, creds_, now);
  return http::SignedWith{};
}

Result<http::SignedWith> SasSigner::sign(const http::Request& req, HttpRequest& out,
                                         TimePoint) const {
  if (!container_.empty() && req.bucket != container_) {
    return Status{Errc::access_denied,
                  remote_label(remote_) + ": sas_url is limited to container '" + container_ + "'" +
                      (req.bucket.empty() ? "" : ", not '" + req.bucket + "'")};
  }
  if (!token_.empty()) out.url = append_sas_token(out.url, token_);
  out.headers = normalize_headers(out.headers);
  return http::SignedWith{};
}

Result<http::SignedWith> BearerSigner::sign(const http::Request&, HttpRequest& out,
                                            TimePoint) const {
  CPSYNC_ASSIGN_OR_RETURN(TokenCache::Snapshot now, tokens_->current());
  out.headers.emplace_back("Authorization", "Bearer " + now.creds->token);
  out.headers = normalize_headers(out.headers);
  return http::SignedWith{now.generation, true};
}

Result<bool> BearerSigner::renew_after_refusal(const http::SignedWith& used, const http::Request&,
                                               const Status& refused) const {
  const std::string& code = refused.provider_code;
  const bool token_refused = refused.http_status == 401 ||
                             (refused.http_status == 403 && (code == "AuthenticationFailed" ||
                                                             code == "InvalidAuthenticationInfo"));
  if (!token_refused) return false;
  CPSYNC_ASSIGN_OR_RETURN(TokenCache::Snapshot fresh,
                          tokens_->refresh_after_rejection(used.generation));
  return fresh.generation != used.generation;
}

std::string auth_hint(const AzureOptions& o) {
  switch (o.mode) {
    case AuthMode::shared_key:
      return o.auth_source == "emulator" ? "check the emulator's account/key and endpoint"
             : o.auth_source.rfind("env_auth", 0) == 0
                 ? "check " + o.auth_source.substr(10, o.auth_source.size() - 11)
                 : "check account/key";
    case AuthMode::sas:
      if (auto se = sas_expiry(o.sas_token); se && *se < std::chrono::system_clock::now()) {
        return "the SAS expired at " + format_iso8601(*se) + ": make a new one and set " +
               (o.auth_source == "sas_url" ? "sas_url" : "the SAS token");
      }
      return o.auth_source == "sas_url" ? "check sas_url (permissions, expiry, signature)"
                                        : "check the SAS token (permissions, expiry)";
    case AuthMode::anonymous:
      return "the container is not public: set key or sas_url";
    case AuthMode::bearer:
      return "check that the identity (" + o.auth_source +
             ") has a Storage Blob Data role on the account";
  }
  return "check the credentials";
}

Status AzureErrorMapper::map(const HttpResponse& r, const http::Request& req) const {
  const std::string hint = r.status == 401 || r.status == 403 ? auth_hint(o_) : std::string();
  return azure_status(r, ErrorContext{o_.remote_name, hint, req.what(), req.bucket, req.key});
}

Status AzureErrorMapper::transport(const Status& s, const http::Request& req) const {
  Status out = s;
  if (out.retryable())
    out.message = remote_label(o_.remote_name) + ": " + std::string(req.what()) + ": " + s.message;
  return out;
}

bool AzureErrorMapper::clock_skewed(const HttpResponse& r, const Status& refused) const {
  // Azure names no code for it: a 403 AuthenticationFailed whose detail says the date.
  return refused.http_status == 403 && refused.provider_code == "AuthenticationFailed" &&
         r.body.find("Request date header") != std::string::npos;
}

}  // namespace cpsync::azure
