// remotes/azure/azure_client.cc — request building and authorisation for Azure Blob.
#include "remotes/azure/azure_client.h"

#include <chrono>
#include <thread>

#include "core/encoding.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/azure/sas.h"
#include "remotes/azure/shared_key.h"

namespace cpsync::azure {

std::string AzureClient::resource_url(std::string_view container, std::string_view blob) const {
  std::string u = o_.endpoint;
  if (!container.empty()) {
    u += "/" + uri_encode(container);
    if (!blob.empty()) u += "/" + uri_encode(blob, /*keep_slash=*/true);
  } else {
    u += "/";
  }
  return u;
}

std::string AzureClient::url(std::string_view container, std::string_view blob,
                             const QueryParams& query) const {
  std::string u = resource_url(container, blob);
  char sep = '?';
  for (const auto& [k, v] : query) {
    u.push_back(sep);
    sep = '&';
    u += uri_encode(k) + "=" + uri_encode(v);
  }
  if (o_.mode == AuthMode::sas) u = append_sas_token(u, o_.sas_token);
  return u;
}

std::string AzureClient::auth_hint() const {
  switch (o_.mode) {
    case AuthMode::shared_key:
      return o_.auth_source == "emulator" ? "check the emulator's account/key and endpoint"
             : o_.auth_source.rfind("env_auth", 0) == 0
                 ? "check " + o_.auth_source.substr(10, o_.auth_source.size() - 11)
                 : "check account/key";
    case AuthMode::sas:
      if (auto se = sas_expiry(o_.sas_token); se && *se < std::chrono::system_clock::now()) {
        return "the SAS expired at " + format_iso8601(*se) + ": make a new one and set " +
               (o_.auth_source == "sas_url" ? "sas_url" : "the SAS token");
      }
      return o_.auth_source == "sas_url" ? "check sas_url (permissions, expiry, signature)"
                                         : "check the SAS token (permissions, expiry)";
    case AuthMode::anonymous:
      return "the container is not public: set key or sas_url";
  }
  return "check the credentials";
}

ErrorContext AzureClient::error_context(const AzureCall& c) const {
  return ErrorContext{o_.remote_name, {}, c.op, c.container, c.blob};
}

Result<HttpResponse> AzureClient::send_once(const AzureCall& c, const BodySink& sink) const {
  if (o_.mode == AuthMode::sas && !o_.sas_container.empty() && c.container != o_.sas_container) {
    return Status{Errc::access_denied,
                  remote_label(o_.remote_name) + ": sas_url is limited to container '" +
                      o_.sas_container + "'" +
                      (c.container.empty() ? "" : ", not '" + c.container + "'")};
  }
  HttpRequest req;
  req.method = c.method;
  req.url = url(c.container, c.blob, c.query);
  req.headers = c.headers;
  req.headers.emplace_back("x-ms-version", kApiVersion);
  if (c.method == "PUT" || c.method == "POST")
    req.headers.emplace_back("Content-Length", std::to_string(c.body_size));
  req.body_data = c.body;
  req.body_size = c.body_size;
  req.op = c.op;
  req.head_response = c.method == "HEAD";
  if (o_.mode == AuthMode::shared_key) {
    sign_shared_key(
        req.method, req.url, req.headers, o_.creds,
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()));
  } else {
    req.headers = normalize_headers(req.headers);
  }
  return http_client().send(req, sink);
}

Result<HttpResponse> AzureClient::send(const AzureCall& c, const BodySink& sink,
                                       uint64_t* delivered) const {
  uint64_t got = 0;
  BodySink counting;
  if (sink) {
    counting = [&](const char* data, size_t len) {
      got += len;
      if (delivered) *delivered += len;
      return sink(data, len);
    };
  }
  const RetryPolicy& policy = default_retry_policy();
  for (int attempt = 0;; ++attempt) {
    Result<HttpResponse> r = send_once(c, counting);
    Status st;
    if (!r.ok()) {
      st = r.status();
      if (st.retryable())
        st.message = remote_label(o_.remote_name) + ": " + std::string(c.op) + ": " + st.message;
    } else if (!r->success()) {
      ErrorContext ctx = error_context(c);
      std::string hint = auth_hint();
      ctx.auth_hint = hint;
      st = azure_status(*r, ctx);
    } else {
      return r;
    }
    if (!st.retryable() || got > 0 || attempt + 1 >= policy.max_attempts) return st;
    std::this_thread::sleep_for(retry_delay(policy, attempt, st));
  }
}

}  // namespace cpsync::azure
