// remotes/http/router.h — the optional hook of a backend whose servers may answer "this
// bucket lives elsewhere" (S3's wrong-region answers): the pipeline asks it once per attempt
// whether a refusal taught it a new address for the bucket, and if so signs and sends the
// request once more (its addressing and signer read the router's routes).
// Implementations are safe to call from many threads at once.
#pragma once

#include "core/http.h"
#include "core/status.h"
#include "remotes/http/request.h"

namespace cpsync::http {

class Router {
 public:
  virtual ~Router() = default;
  // `r` answered `req` (mapped to `refused`). True when it said the bucket lives in another
  // region or at another endpoint and the route for req.bucket now points there.
  virtual bool reroute(const HttpResponse& r, const Request& req, const Status& refused) const = 0;
};

}  // namespace cpsync::http
