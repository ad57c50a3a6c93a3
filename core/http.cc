// core/http.cc — libcurl implementation of core/http.h: one easy handle per client,
// reset (not closed) between requests so connections are reused; TLS peers are verified
// against the process's shared CA stores (core/http_ca_store.h), not a bundle parsed per
// connection.
#include "core/http.h"

#include <curl/curl.h>
#include <strings.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <vector>

#include "core/concurrency_limiter.h"
#include "core/http_ca_store.h"
#include "core/http_connections.h"

namespace cpsync {

const std::string* find_header(const Headers& h, std::string_view name) {
  for (const auto& [k, v] : h)
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return &v;
  return nullptr;
}

namespace {

TransportOptions g_options;
std::once_flag g_curl_init;

struct CounterState {
  std::mutex mu;
  std::map<std::string, uint64_t, std::less<>> counts;
  std::atomic<uint64_t> connections{0};
};
CounterState& counter_state() {
  static CounterState s;
  return s;
}

std::string host_of(std::string_view url) {
  auto p = url.find("://");
  auto start = p == std::string_view::npos ? 0 : p + 3;
  auto end = url.find_first_of("/?", start);
  return std::string(url.substr(start, end == std::string_view::npos ? url.npos : end - start));
}

std::string default_ca_bundle() {
  for (const char* var : {"CURL_CA_BUNDLE", "SSL_CERT_FILE", "AWS_CA_BUNDLE"}) {
    const char* v = std::getenv(var);
    if (v && *v) return v;
  }
  return "";
}

// libcurl's built-in CA bundle and directory (Debian's: the system bundle and /etc/ssl/certs),
// what it would load when nothing else is configured.
const CaLocation& builtin_ca() {
  static const CaLocation where = [] {
    CaLocation w;
    if (CURL* c = curl_easy_init()) {
      char* v = nullptr;
      if (curl_easy_getinfo(c, CURLINFO_CAINFO, &v) == CURLE_OK && v) w.file = v;
      v = nullptr;
      if (curl_easy_getinfo(c, CURLINFO_CAPATH, &v) == CURLE_OK && v) w.dir = v;
      curl_easy_cleanup(c);
    }
    return w;
  }();
  return where;
}

// The CA locations a request verifies its peer with: as libcurl would use them (the
// configured or environment's bundle, else its built-in one, plus its built-in directory).
CaLocation ca_location(const TransportOptions& o) {
  CaLocation w = builtin_ca();
  std::string ca = o.ca_bundle.empty() ? default_ca_bundle() : o.ca_bundle;
  if (!ca.empty()) w.file = std::move(ca);
  return w;
}

// Per-request state shared with the curl callbacks.
struct Exchange {
  CURL* curl = nullptr;
  const HttpRequest* req = nullptr;
  const BodySink* sink = nullptr;
  HttpResponse* resp = nullptr;
  size_t mem_offset = 0;  // position in req->body_data
  Status callback_error;  // set when a source or sink failed
  const CaLocation* ca = nullptr;
};

// Each new TLS connection: the process's shared store for the request's CA locations
// (libcurl's own CA loading is off), instead of parsing the bundle again.
CURLcode on_ssl_ctx(CURL*, void* ssl_ctx, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string error;
  if (install_ca_store(static_cast<SSL_CTX*>(ssl_ctx), *ex->ca, error)) return CURLE_OK;
  ex->callback_error = Status{Errc::permanent, host_of(ex->req->url) + ": " + error};
  return CURLE_SSL_CACERT_BADFILE;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new response (e.g. after 100 Continue)
    ex->resp->headers.clear();
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string_view name = line.substr(0, colon);
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
    value.remove_suffix(1);
  ex->resp->headers.emplace_back(std::string(name), std::string(value));
  return size * n;
}

size_t on_write(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t len = size * n;
  long code = 0;
  curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &code);
  if (ex->sink && *ex->sink && code >= 200 && code < 300) {
    Status s = (*ex->sink)(data, len);
    if (!s.ok()) {
      ex->callback_error = std::move(s);
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    return len;
  }
  if (ex->resp->body.size() < (4u << 20)) ex->resp->body.append(data, len);  // bounded
  return len;
}

size_t on_read(char* buf, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  size_t want = size * n;
  const HttpRequest& req = *ex->req;
  if (req.body_source) {
    Result<size_t> got = req.body_source(buf, want);
    if (!got.ok()) {
      ex->callback_error = got.status();
      return CURL_READFUNC_ABORT;
    }
    return *got;
  }
  size_t left = req.body_size - ex->mem_offset;
  size_t take = left < want ? left : want;
  if (take) std::memcpy(buf, req.body_data + ex->mem_offset, take);
  ex->mem_offset += take;
  return take;
}

int on_seek(void* user, curl_off_t offset, int origin) {
  auto* ex = static_cast<Exchange*>(user);
  // Only in-memory bodies can be rewound (curl asks when it must resend, e.g. on redirect).
  if (ex->req->body_source || origin != SEEK_SET || offset < 0 ||
      static_cast<size_t>(offset) > ex->req->body_size)
    return CURL_SEEKFUNC_CANTSEEK;
  ex->mem_offset = static_cast<size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

}  // namespace

void set_transport_options(const TransportOptions& o) {
  g_options = o;
}
const TransportOptions& transport_options() {
  return g_options;
}

struct HttpClient::Impl {
  CURL* curl = nullptr;
  // The CA locations this handle's open connections were verified with: a request with
  // other ones starts a new handle, so no connection is reused across a change of trust.
  CaLocation ca;
};

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  impl_->curl = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

Result<HttpResponse> HttpClient::send(const HttpRequest& req, const BodySink& sink) {
  const TransportOptions& o = g_options;
  CaLocation ca = ca_location(o);
  if (impl_->curl && ca != impl_->ca) {
    curl_easy_cleanup(impl_->curl);
    impl_->curl = curl_easy_init();
  }
  impl_->ca = std::move(ca);
  CURL* c = impl_->curl;
  if (!c) return Status{Errc::permanent, "HTTP client could not be created"};
  curl_easy_reset(c);  // keeps the connection cache
  request_counters().add(req.op);
  // Adaptive in-flight limit per endpoint: throttling answers cut it, successes regrow it.
  LimiterSlot slot(endpoint_limiter(host_of(req.url)));

  HttpResponse resp;
  Exchange ex{c, &req, &sink, &resp, 0, {}, &impl_->ca};

  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);  // keys may hold "." and ".." segments
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
  if (req.timeout_ms > 0) {
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req.timeout_ms);
  }
  if (req.no_proxy) curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, o.low_speed_limit);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o.low_speed_time_s);
  curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(c, CURLOPT_UPLOAD_BUFFERSIZE, 256L * 1024);
  curl_easy_setopt(c, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
  curl_easy_setopt(c, CURLOPT_CAINFO, nullptr);  // the shared store instead (on_ssl_ctx)
  curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
  if (o.verify_tls) {
    curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
    curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &ex);
  }
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);

  const bool has_body =
      req.body_source || req.body_data || req.method == "PUT" || req.method == "POST";
  if (req.method == "HEAD" || req.head_response) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (has_body) {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(c, CURLOPT_READDATA, &ex);
    curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
    curl_easy_setopt(c, CURLOPT_SEEKDATA, &ex);
    curl_off_t len = req.body_source ? static_cast<curl_off_t>(req.body_length)
                                     : static_cast<curl_off_t>(req.body_size);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, len);
  }
  if (req.method != "GET" && req.method != "HEAD")
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());

  curl_slist* list = nullptr;
  bool has_content_type = false;
  for (const auto& [k, v] : req.headers) {
    if (strcasecmp(k.c_str(), "content-type") == 0) has_content_type = true;
    // curl drops "Name:" with an empty value; "Name;" sends it empty.
    std::string line = v.empty() ? k + ";" : k + ": " + v;
    list = curl_slist_append(list, line.c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  if (!has_content_type) list = curl_slist_append(list, "Content-Type:");  // no form default
  list = curl_slist_append(list, "Accept:");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(list);
  long connects = 0;  // new connections this request opened (0 when one was reused)
  if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects) == CURLE_OK && connects > 0)
    counter_state().connections += static_cast<uint64_t>(connects);
  if (!ex.callback_error.ok()) return ex.callback_error;
  if (rc != CURLE_OK) {
    Errc e = rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ? Errc::invalid_argument
             : rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE
                 ? Errc::permanent
                 : Errc::transient;
    return Status{e,
                  std::string(req.method) + " " + host_of(req.url) + ": " + curl_easy_strerror(rc)};
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  resp.status = static_cast<int>(code);
  if (code == 429 || code == 503)
    slot.throttled();
  else
    slot.succeeded();
  return resp;
}

namespace {
// Clients of threads that have ended, kept with their open connections and TLS sessions:
// the part workers of each large object are new threads, and each would otherwise open
// (and TLS-handshake, loading the CA bundle) connections of its own and drop them at its end.
// Never destroyed: a thread may end after static destruction has begun.
struct IdleClients {
  std::mutex mu;
  std::vector<std::unique_ptr<HttpClient>> clients;
};
IdleClients& idle_clients() {
  static auto* idle = new IdleClients;
  return *idle;
}

// A thread's client: taken from the idle ones when there is one, given back at thread end.
struct ThreadClient {
  std::unique_ptr<HttpClient> client;
  ThreadClient() {
    auto& idle = idle_clients();
    std::lock_guard lock(idle.mu);
    if (!idle.clients.empty()) {
      client = std::move(idle.clients.back());
      idle.clients.pop_back();
    }
  }
  ~ThreadClient() {
    if (!client) return;
    auto& idle = idle_clients();
    std::lock_guard lock(idle.mu);
    idle.clients.push_back(std::move(client));
  }
};
}  // namespace

HttpClient& http_client() {
  thread_local ThreadClient mine;
  if (!mine.client) mine.client = std::make_unique<HttpClient>();
  return *mine.client;
}

void RequestCounters::add(std::string_view op) {
  auto& s = counter_state();
  std::lock_guard lock(s.mu);
  auto it = s.counts.find(op);
  if (it == s.counts.end()) it = s.counts.emplace(std::string(op), 0).first;
  ++it->second;
}

uint64_t connections_opened() {
  return counter_state().connections.load();
}

std::vector<std::pair<std::string, uint64_t>> RequestCounters::snapshot() const {
  auto& s = counter_state();
  std::lock_guard lock(s.mu);
  return {s.counts.begin(), s.counts.end()};
}

uint64_t RequestCounters::total() const {
  uint64_t n = 0;
  for (const auto& [op, c] : snapshot()) n += c;
  return n;
}

void RequestCounters::reset() {
  auto& s = counter_state();
  std::lock_guard lock(s.mu);
  s.counts.clear();
  s.connections = 0;
}

RequestCounters& request_counters() {
  static RequestCounters c;
  return c;
}

}  // namespace cpsync
