// remotes/http/fetch_http.h — the one HTTP helper the credential providers of every backend share:
// sends a request on the calling thread's client, retrying refused/reset/timed-out
// connections and 5xx answers a few times with a short pause. Safe from any thread.
#pragma once

#include <string>

#include "core/http.h"

namespace cpsync::http {

// attempts >= 1. A transport failure after the last attempt is Errc::transient with the
// message "<what>: cannot reach <host>: <curl's reason>".
Result<HttpResponse> fetch_http(const HttpRequest& req, int attempts, std::string_view what);

// scheme://host[:port] of a URL (its path and query dropped), "" when not a URL.
std::string url_origin(std::string_view url);
// host[:port] of a URL.
std::string url_host(std::string_view url);

}  // namespace cpsync::http
