// remotes/azure/azure_errors.h — the one place Azure Blob error responses become Status:
// HTTP status plus the x-ms-error-code header (the only code a HEAD response carries) or the
// XML <Code>, into one line naming the remote and what to fix. Pure; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"

namespace cpsync::azure {

struct ErrorContext {
  std::string_view remote;     // "az"
  std::string_view auth_hint;  // "check account/key", "check sas_url", ...
  std::string_view op;         // "stat", "read", "put", "list", ...
  std::string_view container;  // may be empty
  std::string_view key;        // may be empty
};

// r must be a non-2xx response.
Status azure_status(const HttpResponse& r, const ErrorContext& ctx);

// "azureblob remote 'az'" — the prefix of every message.
std::string remote_label(std::string_view remote);

}  // namespace cpsync::azure
