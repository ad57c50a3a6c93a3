// core/status.cc — names and formatting for Status.
#include "core/status.h"

namespace cpsync {

const char* errc_name(Errc e) {
  switch (e) {
    case Errc::ok:
      return "ok";
    case Errc::not_found:
      return "not found";
    case Errc::access_denied:
      return "access denied";
    case Errc::invalid_argument:
      return "invalid argument";
    case Errc::not_supported:
      return "not supported";
    case Errc::conflict:
      return "conflict";
    case Errc::throttled:
      return "throttled";
    case Errc::transient:
      return "transient error";
    case Errc::corrupt:
      return "corrupt";
    case Errc::permanent:
      return "error";
    case Errc::cancelled:
      return "cancelled";
  }
  return "error";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string s = message;
  if (!provider_code.empty() || http_status != 0) {
    s += " (";
    if (!provider_code.empty()) s += provider_code;
    if (http_status != 0) {
      if (!provider_code.empty()) s += ", ";
      s += "HTTP " + std::to_string(http_status);
    }
    if (!request_id.empty()) s += ", request id " + request_id;
    s += ")";
  }
  return s;
}

Status Status::with_context(const std::string& context) const {
  if (ok()) return *this;
  Status s = *this;
  s.message = context + ": " + message;
  return s;
}

}  // namespace cpsync
