// remotes/oss/errors.cc — OSS error mapping (see errors.h).
#include "remotes/oss/errors.h"

#include "remotes/http/error_fields.h"

namespace cpsync::oss {
namespace {

std::string hint(const std::string& code) {
  if (code == "InvalidAccessKeyId") return "the access key id is unknown: check access_key_id";
  if (code == "SecurityTokenExpired")
    return "the security token expired: temporary credentials must be refreshed";
  if (code == "InvalidSecurityToken")
    return "the security token does not belong to the access key: check session_token";
  if (code == "SignatureDoesNotMatch")
    return "the signature was refused: check access_key_secret (and region, "
           "signature_version)";
  if (code == "RequestTimeTooSkewed") return "the local clock is off: fix the system time";
  if (code == "NoSuchBucket") return "the bucket does not exist";
  if (code == "NoSuchKey") return "no such object";
  if (code == "NoSuchUpload") return "the multipart upload does not exist (aborted or completed)";
  if (code == "AccessDenied") return "access denied: check the credentials and permissions";
  if (code == "NotFound") return "not found (no such object or bucket)";
  if (code == "Forbidden")
    return "access denied: check access_key_id and access_key_secret (and region, "
           "signature_version)";
  if (code == "BucketNotEmpty") return "the bucket is not empty";
  if (code == "InvalidBucketName") return "invalid bucket name (3-63 characters of a-z, 0-9 and -)";
  if (code == "InvalidObjectName") return "invalid object name (1-1023 bytes)";
  return "";
}

// The x-oss-ec codes of refused temporary credentials, the only code a HEAD answer has.
std::string code_of_ec(std::string_view ec) {
  if (ec == "0002-00000007") return "SecurityTokenExpired";
  if (ec == "0002-00000004" || ec == "0002-00000006" || ec == "0002-00000008")
    return "InvalidSecurityToken";
  if (ec == "0002-00000002" || ec == "0002-00000003") return "InvalidAccessKeyId";
  return "";
}

}  // namespace

Status to_status(const HttpResponse& r, std::string_view op, std::string_view what) {
  // The transport parses the XML body, the request id and the Errc.
  std::string provider_text;  // the provider's one-line <Message>, redacted
  Status base = http::error_fields(r, what, http::kOssErrors, &provider_text);
  std::string code = base.provider_code;
  // A body-less answer (HEAD) has only x-oss-ec, a numeric "0003-00000001" style code.
  const bool ec_only = !code.empty() && (code[0] >= '0' && code[0] <= '9') &&
                       code.find('-') != std::string::npos &&
                       code.find_first_not_of("0123456789ABCDEFabcdef-") == std::string::npos;
  if (ec_only) code = code_of_ec(code);
  if (code.empty() && r.status == 404) code = "NotFound";
  if (code.empty() && r.status == 403) code = "Forbidden";
  Status s = base;
  // The user's input (a name, a range, a size), not a server failure.
  if (r.status == 400 &&
      (code == "InvalidObjectName" || code == "InvalidBucketName" || code == "InvalidArgument" ||
       code == "EntityTooLarge" || code == "KeyTooLong" || code == "InvalidRange"))
    s.code = Errc::invalid_argument;
  std::string msg = std::string(what) + ": " + std::string(op) + " failed: ";
  std::string h = hint(code);
  if (!h.empty()) {
    msg += h;
  } else {
    msg += errc_name(base.code);
    if (!provider_text.empty()) msg += ": " + provider_text;
  }
  msg += " (" + (code.empty() ? std::string("HTTP") : code) + " " + std::to_string(r.status) + ")";
  s.message = msg;
  s.provider_code = code;
  return s;
}

Status corrupt(std::string_view op, std::string_view what, std::string_view detail) {
  return Status{Errc::corrupt,
                std::string(what) + ": " + std::string(op) + ": " + std::string(detail)};
}

}  // namespace cpsync::oss
