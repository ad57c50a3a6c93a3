// remotes/s3/errors.cc — S3 error mapping (see errors.h).
#include "remotes/s3/errors.h"

#include "core/redact.h"
#include "remotes/http/error_fields.h"

namespace cpsync::s3 {
namespace {

std::string where(const ErrorContext& c) {
  if (c.bucket.empty()) return "";
  if (c.key.empty()) return "bucket '" + std::string(c.bucket) + "'";
  return "'" + std::string(c.bucket) + "/" + std::string(c.key) + "'";
}

std::string prefix(const ErrorContext& c) {
  return "s3 remote '" + std::string(c.remote) + "': ";
}

}  // namespace

bool is_error_body(std::string_view body) {
  auto p = body.find_first_not_of(" \t\r\n");
  if (p == std::string_view::npos) return false;
  body.remove_prefix(p);
  if (body.starts_with("<?xml")) {
    auto end = body.find("?>");
    if (end == std::string_view::npos) return false;
    body.remove_prefix(end + 2);
    p = body.find_first_not_of(" \t\r\n");
    if (p == std::string_view::npos) return false;
    body.remove_prefix(p);
  }
  return body.starts_with("<Error>") || body.starts_with("<Error ");
}

Status to_status(const HttpResponse& r, const ErrorContext& ctx) {
  std::string provider_text;  // <Error><Message>'s first line, redacted ("" from RGW)
  Status base = http::error_fields(r, "s3", http::kS3Errors, &provider_text);
  // A 200 carrying <Error> (CopyObject, CompleteMultipartUpload): retry-worthy per AWS.
  if (r.success() && base.code == Errc::ok) base.code = Errc::transient;
  if (r.success() && base.code == Errc::permanent) base.code = Errc::transient;
  const std::string& code = base.provider_code;
  const std::string tag = code.empty() ? "HTTP " + std::to_string(r.status) : code;
  const std::string obj = where(ctx);
  std::string msg = prefix(ctx);
  switch (base.code) {
    case Errc::access_denied: {
      msg += "access denied";
      if (!obj.empty()) msg += " for " + (ctx.key.empty() ? obj : "object " + obj);
      msg += " (" + tag + "): ";
      if (code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
          code == "InvalidToken" || code == "ExpiredToken" || code == "TokenRefreshRequired")
        msg +=
            "check access_key_id/secret_access_key" +
            std::string(code == "InvalidToken" || code == "ExpiredToken" ? "/session_token" : "");
      else if (code == "RequestTimeTooSkewed")
        msg += "the system clock is off; fix the clock";
      else if (code == "AuthorizationHeaderMalformed" ||
               code == "AuthorizationQueryParametersError")
        msg += "check region (the bucket may live in another region)";
      else
        msg += "check the credentials' permissions (and region) for this bucket";
      break;
    }
    case Errc::not_found:
      if (code == "NoSuchBucket" || (ctx.key.empty() && !ctx.bucket.empty()))
        msg += "bucket '" + std::string(ctx.bucket) + "' not found (" + tag +
               "): check the bucket name, or create it with mkdir";
      else if (code == "NoSuchUpload")
        msg += "multipart upload for " + obj + " no longer exists (NoSuchUpload)";
      else
        msg +=
            (obj.empty() ? std::string("resource") : "object " + obj) + " not found (" + tag + ")";
      break;
    default: {
      msg += std::string(ctx.op);
      if (!obj.empty()) msg += " " + obj;
      msg += " failed: " + tag;
      if (!code.empty()) msg += " (HTTP " + std::to_string(r.status) + ")";
      if (!provider_text.empty()) msg += ": " + provider_text;
      if (code == "InvalidBucketName") {  // the user's spelling, not the server's fault
        base.code = Errc::invalid_argument;
        msg += ": bucket names are 3-63 characters of a-z, 0-9, '.' and '-'";
      }
      if (code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed")
        msg += ": the bucket is in another region; set region";
      break;
    }
  }
  if (base.code == Errc::not_found && code != "NoSuchUpload")
    base.missing = code == "NoSuchBucket" || (ctx.key.empty() && !ctx.bucket.empty())
                       ? Missing::bucket
                       : Missing::object;
  base.message = msg;
  return base;
}

Status transport_status(const Status& s, const ErrorContext& ctx) {
  Status out = s;
  std::string obj = where(ctx);
  out.message =
      prefix(ctx) + std::string(ctx.op) + (obj.empty() ? "" : " " + obj) + ": " + s.message;
  return out;
}

}  // namespace cpsync::s3
