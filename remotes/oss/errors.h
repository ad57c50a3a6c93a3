// remotes/oss/errors.h — maps OSS HTTP responses to Status in exactly one place, with one
// line that names the remote, the object and what to fix. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"

namespace cpsync::oss {

// `what` names the remote and object: "oss 'name:bucket/key'"; op is "stat", "put", ...
Status to_status(const HttpResponse& r, std::string_view op, std::string_view what);

// A malformed or inconsistent response (bad XML, CRC mismatch, out-of-order listing).
Status corrupt(std::string_view op, std::string_view what, std::string_view detail);

}  // namespace cpsync::oss
