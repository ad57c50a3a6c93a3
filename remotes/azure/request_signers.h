// remotes/azure/request_signers.h — Azure's ways of authorising a request as the request
// pipeline's Signers (SharedKey with the account key; a SAS token, or none for public
// containers; an Azure AD bearer token), and the Azure error mapper. Immutable: safe from many
// threads at once.
#pragma once

#include <memory>
#include <string>

#include "remotes/azure/azure_options.h"
#include "remotes/azure/identity/token.h"
#include "remotes/azure/shared_key.h"
#include "remotes/http/error_mapper.h"
#include "remotes/http/signer.h"

namespace cpsync::azure {

class SharedKeySigner : public http::Signer {
 public:
  explicit SharedKeySigner(SharedKeyCredentials creds) : creds_(std::move(creds)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;

 private:
  SharedKeyCredentials creds_;
};

// A SAS token appended to the URL (none: anonymous access to a public container). A
// sas_url made for one container refuses requests for any other before sending.
class SasSigner : public http::Signer {
 public:
  SasSigner(std::string token, std::string only_container, std::string remote)
      : token_(std::move(token)),
        container_(std::move(only_container)),
        remote_(std::move(remote)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;

 private:
  std::string token_;
  std::string container_;
  std::string remote_;
};

// An Azure AD bearer token (Authorization: Bearer), from the remote's refreshing token
// cache; a refusal of the token (401, or 403 AuthenticationFailed/InvalidAuthenticationInfo)
// refreshes it once for all threads.
class BearerSigner : public http::Signer {
 public:
  explicit BearerSigner(std::shared_ptr<TokenCache> tokens) : tokens_(std::move(tokens)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;
  Result<bool> renew_after_refusal(const http::SignedWith& used, const http::Request& req,
                                   const Status& refused) const override;

 private:
  std::shared_ptr<TokenCache> tokens_;
};

// What to check when the server refuses the credentials, by how the remote authenticates.
std::string auth_hint(const AzureOptions& o);

class AzureErrorMapper : public http::ErrorMapper {
 public:
  explicit AzureErrorMapper(AzureOptions o) : o_(std::move(o)) {}
  Status map(const HttpResponse& r, const http::Request& req) const override;
  Status transport(const Status& s, const http::Request& req) const override;
  bool clock_skewed(const HttpResponse& r, const Status& refused) const override;

 private:
  AzureOptions o_;
};

}  // namespace cpsync::azure
