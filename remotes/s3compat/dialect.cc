// remotes/s3compat/dialect.cc — Endpoint's sends (see dialect.h).
#include "remotes/s3compat/dialect.h"

namespace cpsync::s3compat {
namespace {

http::Request with_body(http::Request r, const Dialect& d) {
  static const char kEmpty[1] = {0};
  if (d.body_on_writes && (r.method == "PUT" || r.method == "POST") && !r.body) r.body = kEmpty;
  return r;
}

}  // namespace

Result<HttpResponse> Endpoint::call(http::Request r) const {
  return pipeline->send(with_body(std::move(r), *dialect));
}

Result<HttpResponse> Endpoint::send_once(http::Request r) const {
  return pipeline->send_once(with_body(std::move(r), *dialect));
}

Status corrupt(std::string_view what, std::string_view detail) {
  return Status{Errc::corrupt, std::string(what) + ": " + std::string(detail)};
}

}  // namespace cpsync::s3compat
