// remotes/http/signer.h — the one interface every way of authorising a request implements:
// AWS SigV4, OSS V1 and V4, Azure SharedKey and SAS, anonymous access (and bearer tokens
// next). A signer owns its credentials (static, or a refreshing cache shared by the
// remote's threads) and must be safe to call from many threads at once.
#pragma once

#include <cstdint>

#include "core/http.h"
#include "core/status.h"
#include "core/time_format.h"
#include "remotes/http/request.h"

namespace cpsync::http {

// Which credentials signed a request, so that a rejection refreshes exactly those.
struct SignedWith {
  uint64_t generation = 0;  // the credential cache's generation; 0 for fixed credentials
  bool temporary = false;   // STS-style keys (a session token or an expiry)
};

class Signer {
 public:
  virtual ~Signer() = default;
  // Authorises `out` (method, url with the query, and req's headers already set) for
  // `req` at time `now` (the pipeline's clock, corrected for server skew): adds headers or
  // query parameters. Failing to obtain credentials is the provider's one-line error.
  virtual Result<SignedWith> sign(const Request& req, HttpRequest& out, TimePoint now) const = 0;
  // The server refused a request signed with `used` (`refused` is the mapped status).
  // Returns true when fresh credentials are now in place and the request is worth sending
  // once more; false to give up with the refusal. Default: fixed credentials, false.
  virtual Result<bool> renew_after_refusal(const SignedWith& used, const Request& req,
                                           const Status& refused) const {
    (void)used, (void)req, (void)refused;
    return false;
  }
};

// No authorisation at all (public buckets and containers).
class AnonymousSigner : public Signer {
 public:
  Result<SignedWith> sign(const Request&, HttpRequest&, TimePoint) const override {
    return SignedWith{};
  }
};

}  // namespace cpsync::http
