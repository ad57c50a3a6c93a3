// remotes/http/fetch_http.cc — see fetch_http.h.
#include "remotes/http/fetch_http.h"

#include <chrono>
#include <thread>

namespace cpsync::http {

std::string url_origin(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return "";
  auto end = url.find_first_of("/?#", p + 3);
  return std::string(url.substr(0, end));
}

std::string url_host(std::string_view url) {
  std::string o = url_origin(url);
  auto p = o.find("://");
  return p == std::string::npos ? "" : o.substr(p + 3);
}

Result<HttpResponse> fetch_http(const HttpRequest& req, int attempts, std::string_view what) {
  Status last;
  for (int i = 0; i < attempts; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100 << i));
    auto r = http_client().send(req);
    if (r.ok() && r->status < 500) return r;
    if (r.ok()) {
      last = Status{Errc::transient, std::string(what) + ": " + url_host(req.url) +
                                         " answered HTTP " + std::to_string(r->status)};
      last.http_status = r->status;
      continue;
    }
    if (r.status().code != Errc::transient) {
      Status s = r.status();
      s.message = std::string(what) + ": " + s.message;
      return s;
    }
    // The transport's message is "METHOD host: reason".
    std::string reason = r.status().message;
    if (auto c = reason.find(": "); c != std::string::npos) reason = reason.substr(c + 2);
    last = Status{Errc::transient,
                  std::string(what) + ": cannot reach " + url_host(req.url) + ": " + reason};
  }
  return last;
}

}  // namespace cpsync::http
