// core/redact.cc — credential scrubbing for messages and logs.
#include "core/redact.h"

#include <cctype>
#include <regex>

namespace cpsync {

std::string redact_secrets(std::string_view text) {
  static const std::regex kQuerySecret(
      R"(((?:^|[?&;\s])(?:sig|signature|x-amz-signature|x-oss-signature|x-amz-security-token|security-token|x-oss-security-token|accesskeysecret|sas)=)[^&\s"'<]*)",
      std::regex::icase);
  static const std::regex kAuthHeader(
      R"(((?:authorization|x-amz-security-token|x-oss-security-token)\s*[:=]\s*)[^\r\n]*)",
      std::regex::icase);
  // A scheme followed by a credential ("OSS ak:sig", "SharedKey acct:sig", "... Credential=");
  // plain words after a scheme name ("S3, OSS or Azure") stay.
  static const std::regex kSchemeCredential(
      R"(((?:SharedKey|SharedKeyLite|OSS|OSS4-HMAC-SHA256|AWS4-HMAC-SHA256)\s+)[^\s'"]*[:=][^\s'"]*)");
  static const std::regex kQuotedMac(R"('[A-Za-z0-9+/]{40,}={0,2}')");
  std::string s(text);
  s = std::regex_replace(s, kAuthHeader, "$1***");
  s = std::regex_replace(s, kSchemeCredential, "$1***");
  s = std::regex_replace(s, kQuerySecret, "$1***");
  s = std::regex_replace(s, kQuotedMac, "'***'");
  return s;
}

std::string url_for_display(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, q)) + "?...";
}

}  // namespace cpsync
