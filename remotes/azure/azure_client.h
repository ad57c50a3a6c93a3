// remotes/azure/azure_client.h — builds, authorises (SharedKey or SAS) and sends Azure Blob
// REST requests on the calling thread's HTTP client, retrying throttled and transient
// failures, and maps error responses through azure_errors. Immutable after construction:
// one AzureClient may be used from many threads at once.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http.h"
#include "core/status.h"
#include "remotes/azure/azure_errors.h"
#include "remotes/azure/azure_options.h"

namespace cpsync::azure {

using QueryParams = std::vector<std::pair<std::string, std::string>>;  // raw values

struct AzureCall {
  std::string method = "GET";
  std::string container;  // "" for service-level requests
  std::string blob;       // raw key; "" for container-level requests
  QueryParams query;
  Headers headers;             // besides x-ms-version, x-ms-date, Authorization, Content-Length
  const char* body = nullptr;  // not owned
  size_t body_size = 0;
  std::string_view op = "other";  // request counter label and message verb
};

class AzureClient {
 public:
  explicit AzureClient(AzureOptions o) : o_(std::move(o)) {}
  const AzureOptions& options() const { return o_; }

  // scheme://host/[account/]container/escaped-key (no query).
  std::string resource_url(std::string_view container, std::string_view blob) const;
  // resource_url + query (values escaped) + the SAS token in SAS mode.
  std::string url(std::string_view container, std::string_view blob,
                  const QueryParams& query) const;

  // Sends the call, retrying throttled/transient failures (default retry policy). A non-2xx
  // response becomes a Status (see azure_errors). With a sink, a 2xx body streams into it
  // and the call is not retried once any byte reached the sink (*delivered counts them).
  Result<HttpResponse> send(const AzureCall& c, const BodySink& sink = nullptr,
                            uint64_t* delivered = nullptr) const;

  // One attempt, no retry, no error mapping (the raw response).
  Result<HttpResponse> send_once(const AzureCall& c, const BodySink& sink = nullptr) const;

  ErrorContext error_context(const AzureCall& c) const;
  std::string auth_hint() const;

 private:
  AzureOptions o_;
};

}  // namespace cpsync::azure
