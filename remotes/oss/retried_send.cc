// remotes/oss/retried_send.cc — see retried_send.h.
#include "remotes/oss/retried_send.h"

#include "core/retry.h"
#include "remotes/oss/errors.h"

namespace cpsync::oss {

Result<HttpResponse> send_retried(const OssClient& client, const OssCall& c, std::string_view op,
                                  std::string_view what) {
  return retry_result<HttpResponse>(default_retry_policy(), [&]() -> Result<HttpResponse> {
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client.send(c));
    if (!r.success()) return to_status(r, op, what);
    return r;
  });
}

}  // namespace cpsync::oss
