// core/http.h — the thin HTTP transport over libcurl that every cloud backend uses.
// An HttpClient owns one curl easy handle and reuses its connections (keep-alive, no TLS
// or DNS setup per request). It is NOT thread-safe: use http_client() to get the calling
// thread's own client. Request and response bodies stream through callbacks, so no body
// is held whole unless the caller asks for it.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cpsync {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; nullptr when absent.
const std::string* find_header(const Headers& h, std::string_view name);

// Fills buf with up to len bytes; returns bytes written, 0 at end of body.
using BodySource = std::function<Result<size_t>(char* buf, size_t len)>;
// Receives the response body in pieces; a non-ok Status aborts the request.
using BodySink = std::function<Status(const char* data, size_t len)>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // complete and already escaped
  Headers headers;  // sent as given (signers add theirs before sending)
  // Body, one of: none; in memory (body_data/body_size, not owned); or a streamed source.
  const char* body_data = nullptr;
  size_t body_size = 0;
  BodySource body_source;
  int64_t body_length = -1;  // for body_source: exact length, or -1 (chunked)
  // Label for request statistics: "list", "head", "get", "put", "part", "copy", ...
  std::string_view op = "other";
  bool head_response = false;  // HEAD: no body follows
  // Metadata endpoints (instance and container credentials): a whole-request limit in
  // milliseconds (0 = none; the connect and low-speed limits apply as always) and no proxy.
  long timeout_ms = 0;
  bool no_proxy = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;  // collected when no sink was given, and always for non-2xx responses
  const std::string* header(std::string_view name) const { return find_header(headers, name); }
  std::string header_or(std::string_view name, std::string fallback = "") const {
    const std::string* v = header(name);
    return v ? *v : fallback;
  }
  bool success() const { return status >= 200 && status < 300; }
};

struct TransportOptions {
  long connect_timeout_s = 30;
  long low_speed_time_s = 60;  // abort when below low_speed_limit for this long
  long low_speed_limit = 1;    // bytes per second
  bool verify_tls = true;      // --no-check-certificate turns it off
  std::string ca_bundle;       // empty: CURL_CA_BUNDLE, SSL_CERT_FILE, AWS_CA_BUNDLE, system
  std::string user_agent = "cpsync/" CPSYNC_VERSION;
};

// Set once at start-up, before any client exists.
void set_transport_options(const TransportOptions& o);
const TransportOptions& transport_options();

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request. A transport failure (refused, reset, timeout) is Errc::transient.
  // Any HTTP status is a successful Result: map it with the backend's own error function.
  // When sink is given, a 2xx body streams into it; other bodies are collected.
  Result<HttpResponse> send(const HttpRequest& req, const BodySink& sink = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The calling thread's client, created on first use.
HttpClient& http_client();

// Counts every request sent, by op label, for --stats and tests.
struct RequestCounters {
  void add(std::string_view op);
  // op -> count, sorted by op.
  std::vector<std::pair<std::string, uint64_t>> snapshot() const;
  uint64_t total() const;
  void reset();
};
RequestCounters& request_counters();

}  // namespace cpsync
