// remotes/azure/azure_errors.cc — Azure error codes to Errc and one clear line.
#include "remotes/azure/azure_errors.h"

#include <cctype>

#include "remotes/http/error_fields.h"

namespace cpsync::azure {
namespace {

std::string object_name(const ErrorContext& ctx) {
  std::string s(ctx.container);
  if (!ctx.key.empty()) s += "/" + std::string(ctx.key);
  return s;
}

}  // namespace

std::string remote_label(std::string_view remote) {
  return "azureblob remote '" + std::string(remote) + "'";
}

Status azure_status(const HttpResponse& r, const ErrorContext& ctx) {
  // The transport's parser reads <Code>/<Message> or x-ms-error-code, the request id, and
  // gives the generic Errc; the codes below refine it and the message is ours.
  std::string provider_text;  // the provider's one-line <Message>, redacted
  Status base = http::error_fields(r, remote_label(ctx.remote), http::kAzureErrors, &provider_text);
  const std::string& code = base.provider_code;
  const std::string label = remote_label(ctx.remote);
  const std::string obj = object_name(ctx);
  const std::string coded = code.empty() ? "HTTP " + std::to_string(r.status) : code;
  Errc e = base.code;
  std::string msg;

  if (r.status == 403 || r.status == 401) {
    e = Errc::access_denied;
    if (code == "AuthorizationPermissionMismatch" || code == "AuthorizationResourceTypeMismatch" ||
        code == "AuthorizationServiceMismatch")
      msg = label + ": permission denied for " + std::string(ctx.op) + " '" + obj + "' (" + coded +
            "): the credentials lack this permission";
    else if (code == "CannotVerifyCopySource")
      msg = label + ": server-side copy to '" + obj + "' could not read its source (" + coded + ")";
    else
      msg = label + ": authentication failed (" + coded + "): " + std::string(ctx.auth_hint);
  } else if (r.status == 404) {
    e = Errc::not_found;
    if (code == "ContainerNotFound" || (ctx.key.empty() && !ctx.container.empty()))
      msg = label + ": container '" + std::string(ctx.container) + "' not found";
    else
      msg = label + ": '" + obj + "' not found";
  } else if (r.status == 416) {
    e = Errc::invalid_argument;
    msg = label + ": " + std::string(ctx.op) + " '" + obj + "': range outside the object (" +
          coded + ")";
  } else {
    // Content-MD5 mismatches: Azure says Md5Mismatch/InvalidMd5; Azurite 400 InvalidOperation
    // with an MD5 message.
    std::string lower = provider_text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (code == "Md5Mismatch" || code == "InvalidMd5" || code == "Crc64Mismatch" ||
        (r.status == 400 && lower.find("md5") != std::string::npos))
      e = Errc::corrupt;
    if (code == "ContainerAlreadyExists" || code == "BlobAlreadyExists") e = Errc::conflict;
    if (code == "OperationTimedOut" || code == "InternalError") e = Errc::transient;
    if (code == "ServerBusy") e = Errc::throttled;
    if (code == "InvalidResourceName" && ctx.key.empty()) e = Errc::invalid_argument;
    msg = label + ": " + std::string(ctx.op);
    if (!obj.empty()) msg += " '" + obj + "'";
    msg += ": " + std::string(errc_name(e)) + " (" + coded + ")";
    if (!provider_text.empty()) msg += ": " + provider_text;
    if (code == "InvalidResourceName" && ctx.key.empty())
      msg += " (container names are 3-63 characters of a-z, 0-9 and '-')";
  }
  Status s{e, msg};
  if (e == Errc::not_found)
    s.missing = code == "ContainerNotFound" || ctx.key.empty() ? Missing::bucket : Missing::object;
  s.provider_code = code;
  s.request_id = base.request_id;
  s.http_status = r.status;
  s.retry_after_ms = base.retry_after_ms;
  return s;
}

}  // namespace cpsync::azure
