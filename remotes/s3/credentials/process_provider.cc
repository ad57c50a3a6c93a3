// remotes/s3/credentials/process_provider.cc — credential_process (see process_provider.h).
#include "remotes/s3/credentials/process_provider.h"

#include <sys/wait.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace cpsync::s3 {

Result<AwsCredentials> ProcessProvider::fetch() {
  const std::string what = name();
  FILE* p = ::popen(command_.c_str(), "r");
  if (!p) return Status{Errc::access_denied, what + ": could not start the command"};
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
    if (out.size() > (1u << 20)) break;  // a credential document is small
  }
  int rc = ::pclose(p);
  if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) != 0) {
    int code = rc != -1 && WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return Status{Errc::access_denied,
                  what + ": the command failed (exit status " + std::to_string(code) + ")"};
  }
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_object()) {
    auto v = j.find("Version");
    if (v == j.end() || !v->is_number_integer() || v->get<int>() != 1)
      return Status{Errc::access_denied, what + ": malformed reply: Version must be 1"};
  }
  auto c = credentials_from_json(out, what);
  if (!c.ok()) return c;
  c->source = "credential_process of profile '" + profile_ + "'";
  return c;
}

}  // namespace cpsync::s3
