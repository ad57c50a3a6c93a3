// remotes/http/error_fields.cc — see error_fields.h.
#include "remotes/http/error_fields.h"

#include <tinyxml2.h>

#include <chrono>

#include "core/redact.h"
#include "core/retry.h"

namespace cpsync::http {

Status error_fields(const HttpResponse& r, std::string_view what, const ErrorDialect& d,
                    std::string* provider_message) {
  std::string code, message;
  if (!r.body.empty()) {
    tinyxml2::XMLDocument doc;
    if (doc.Parse(r.body.data(), r.body.size()) == tinyxml2::XML_SUCCESS) {
      if (auto* root = doc.FirstChildElement("Error")) {
        if (auto* e = root->FirstChildElement("Code"); e && e->GetText()) code = e->GetText();
        if (auto* e = root->FirstChildElement("Message"); e && e->GetText()) message = e->GetText();
      }
    }
  }
  if (code.empty() && !d.code_header.empty())
    if (const std::string* h = r.header(d.code_header)) code = *h;
  // First line only; providers echo signatures in some messages.
  if (auto nl = message.find('\n'); nl != std::string::npos) message.resize(nl);
  message = redact_secrets(message);
  if (provider_message) *provider_message = message;

  Errc e = Errc::permanent;
  if (r.status == 404)
    e = Errc::not_found;
  else if (r.status == 401 || r.status == 403)
    e = Errc::access_denied;
  else if (r.status == 409 || r.status == 412)
    e = Errc::conflict;
  else if (r.status == 416)
    e = Errc::invalid_argument;
  else if (r.status == 429 || r.status == 503 || code == "SlowDown" || code == "ServerBusy" ||
           code == "Throttling" || code == "RequestThrottled")
    e = Errc::throttled;
  else if (r.status >= 500 || code == "RequestTimeout" || code == "InternalError")
    e = Errc::transient;
  else if (r.status == 400 && (code == "BadDigest" || code == "InvalidDigest" ||
                               code == "Md5Mismatch" || code == "InvalidMd5"))
    e = Errc::corrupt;

  std::string text(what);
  text += ": ";
  text += errc_name(e);
  if (!message.empty()) text += ": " + message;
  Status s{e, text};
  s.provider_code = code;
  s.http_status = r.status;
  if (r.status == 429 || r.status == 503)
    if (const std::string* ra = r.header("retry-after"))
      if (auto wait = parse_retry_after(*ra, std::chrono::system_clock::now()))
        s.retry_after_ms = wait->count();
  if (const std::string* v = r.header(d.request_id_header)) s.request_id = *v;
  return s;
}

}  // namespace cpsync::http
