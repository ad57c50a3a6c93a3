// remotes/oss/retried_send.h — one OSS request sent until it succeeds or fails for good:
// throttling, 5xx and broken connections are retried with the default policy (the
// --low-level-retries budget, core/retry.h); any other failure becomes its Status through
// to_status (errors.h), whose provider_code callers may test (NoSuchKey, ...). Safe from
// any thread, as OssClient is.
#pragma once

#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/oss/client.h"

namespace cpsync::oss {

Result<HttpResponse> send_retried(const OssClient& client, const OssCall& c, std::string_view op,
                                  std::string_view what);

}  // namespace cpsync::oss
