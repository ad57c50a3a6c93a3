// remotes/azure/azure_client.cc — request building and authorisation for Azure Blob.
#include "remotes/azure/azure_client.h"

#include "core/encoding.h"
#include "remotes/azure/request_signers.h"
#include "remotes/azure/sas.h"
#include "remotes/azure/shared_key.h"

namespace cpsync::azure {

namespace {

std::string resource_url_of(const std::string& endpoint, std::string_view container,
                            std::string_view blob) {
  std::string u = endpoint;
  if (!container.empty()) {
    u += "/" + uri_encode(container);
    if (!blob.empty()) u += "/" + uri_encode(blob, /*keep_slash=*/true);
  } else {
    u += "/";
  }
  return u;
}

std::string with_query(std::string u, const QueryParams& query) {
  char sep = '?';
  for (const auto& p : query) {
    u.push_back(sep);
    sep = '&';
    u += uri_encode(p.name) + "=" + uri_encode(p.value.value_or(""));
  }
  return u;
}

std::shared_ptr<const http::Signer> signer_for(const AzureOptions& o) {
  switch (o.mode) {
    case AuthMode::shared_key:
      return std::make_shared<SharedKeySigner>(o.creds);
    case AuthMode::sas:
      return std::make_shared<SasSigner>(o.sas_token, o.sas_container, o.remote_name);
    case AuthMode::bearer:
      return std::make_shared<BearerSigner>(std::make_shared<TokenCache>(
          make_token_provider(o.identity), remote_label(o.remote_name), kTokenRefreshAhead));
    case AuthMode::anonymous:
      break;
  }
  return std::make_shared<SasSigner>("", "", o.remote_name);
}

}  // namespace

std::string AzureClient::resource_url(std::string_view container, std::string_view blob) const {
  return resource_url_of(o_.endpoint, container, blob);
}

AzureClient::AzureClient(AzureOptions o) : o_(std::move(o)) {
  auto address = [endpoint = o_.endpoint](const http::Request& r) {
    return with_query(resource_url_of(endpoint, r.bucket, r.key), r.query);
  };
  pipeline_ = std::make_shared<const http::Pipeline>(std::move(address), signer_for(o_),
                                                     std::make_shared<AzureErrorMapper>(o_));
}

std::string AzureClient::url(std::string_view container, std::string_view blob,
                             const QueryParams& query) const {
  std::string u = with_query(resource_url(container, blob), query);
  if (o_.mode == AuthMode::sas) u = append_sas_token(u, o_.sas_token);
  return u;
}

AzureCall AzureClient::with_service_headers(const AzureCall& c) const {
  AzureCall out = c;
  if (!find_header(out.headers, "x-ms-version"))  // a request may need a newer version
    out.headers.emplace_back("x-ms-version", kApiVersion);
  if (c.method == "PUT" || c.method == "POST")
    out.headers.emplace_back("Content-Length", std::to_string(c.body_size));
  return out;
}

Result<HttpResponse> AzureClient::send_once(const AzureCall& c, const BodySink& sink) const {
  return pipeline_->send_once(with_service_headers(c), sink);
}

Result<HttpResponse> AzureClient::send(const AzureCall& c, const BodySink& sink) const {
  return pipeline_->send(with_service_headers(c), sink);
}

Result<HttpResponse> AzureClient::get_range(const AzureCall& c, uint64_t offset,
                                            std::optional<uint64_t> length, const BodySink& sink,
                                            uint64_t* delivered) const {
  return pipeline_->get_range(with_service_headers(c),
                              http::RangeSpec{offset, length, "x-ms-range"}, sink, delivered);
}

}  // namespace cpsync::azure
