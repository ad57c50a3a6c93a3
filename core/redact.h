// core/redact.h — scrubs credentials out of any text before it is printed or logged:
// query signatures (sig=, Signature=, X-Amz-Signature=, x-oss-signature=), security tokens,
// Authorization header values and quoted MAC strings in provider messages. Pure.
#pragma once

#include <string>
#include <string_view>

namespace cpsync {

std::string redact_secrets(std::string_view text);

// A URL safe to show: scheme, host and path; the query string is replaced by "?…".
std::string url_for_display(std::string_view url);

}  // namespace cpsync
