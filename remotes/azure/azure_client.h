// remotes/azure/azure_client.h — Azure Blob addressing on the one request pipeline
// (remotes/http/pipeline.h): SharedKey or SAS signing (request_signers.h), Azure's error
// mapping (azure_errors), retries and clock-skew correction. Immutable after construction:
// one AzureClient may be used from many threads at once.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http.h"
#include "core/status.h"
#include "remotes/azure/azure_errors.h"
#include "remotes/azure/azure_options.h"
#include "remotes/http/pipeline.h"

namespace cpsync::azure {

using QueryParams = http::QueryParams;  // raw values

// One Azure Blob request (the pipeline's description: bucket is the container, key the
// raw blob name).
using AzureCall = http::Request;

class AzureClient {
 public:
  explicit AzureClient(AzureOptions o);
  const AzureOptions& options() const { return o_; }
  const http::Pipeline& pipeline() const { return *pipeline_; }

  // scheme://host/[account/]container/escaped-key (no query).
  std::string resource_url(std::string_view container, std::string_view blob) const;
  // resource_url + query (values escaped) + the SAS token in SAS mode.
  std::string url(std::string_view container, std::string_view blob,
                  const QueryParams& query) const;

  // Sends the call with x-ms-version (and Content-Length for PUT and POST) on the pipeline,
  // retrying throttled/transient failures. A non-2xx response becomes a Status (see
  // azure_errors). With a sink, a 2xx body streams into it and the call is not retried once
  // any byte reached the sink.
  Result<HttpResponse> send(const AzureCall& c, const BodySink& sink = nullptr) const;

  // A ranged GET (x-ms-range) of the call's blob streamed into sink, resumed after a broken
  // body (Pipeline::get_range); *delivered counts the bytes the sink accepted.
  Result<HttpResponse> get_range(const AzureCall& c, uint64_t offset,
                                 std::optional<uint64_t> length, const BodySink& sink,
                                 uint64_t* delivered) const;

  // One attempt, no retry, no error mapping (the raw response).
  Result<HttpResponse> send_once(const AzureCall& c, const BodySink& sink = nullptr) const;

 private:
  // The call with the headers every Azure request carries.
  AzureCall with_service_headers(const AzureCall& c) const;

  AzureOptions o_;
  std::shared_ptr<const http::Pipeline> pipeline_;  // shared by copies
};

}  // namespace cpsync::azure
