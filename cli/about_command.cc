// cli/about_command.cc — `about REMOTE:`: the space the storage reports, in rclone's form
// (Total/Used/Free lines; --full in bytes; --json). Only a filesystem reports it (statvfs of
// a local path); S3, Azure Blob and OSS have no request that answers it (rclone has no
// `about` for them either), so there it is an unsupported operation, exit 2.
#include <sys/statvfs.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/remote_args.h"

namespace cpsync {
namespace {

struct AboutArgs {
  std::string location;
  bool full = false;
};

int run_about(AppContext& ctx, const AboutArgs& a) {
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  if (!loc->local()) {
    return ctx.fail(Status{Errc::not_supported,
                           "about: remote '" + loc->remote().name() +
                               "' does not report its usage (object stores have no such "
                               "request); `cpsync size` counts a bucket's objects and bytes"});
  }
  struct statvfs vfs;
  if (::statvfs(loc->r.prefix.c_str(), &vfs) != 0) {
    const int err = errno;
    Status s{err == ENOENT || err == ENOTDIR ? Errc::not_found : Errc::permanent,
             loc->text() + ": " + std::strerror(err)};
    return ctx.fail(s, err == ENOENT || err == ENOTDIR ? kExitDirNotFound : -1);
  }
  const uint64_t unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
  const uint64_t total = unit * vfs.f_blocks;
  const uint64_t used = unit * (vfs.f_blocks - vfs.f_bfree);
  const uint64_t free = unit * vfs.f_bavail;  // what an unprivileged writer may still use
  if (ctx.flags.json) {
    ctx.out << nlohmann::ordered_json{{"total", total}, {"used", used}, {"free", free}}.dump()
            << "\n";
    return kExitOk;
  }
  char line[96];
  for (const auto& [what, v] : {std::pair{"Total:", total}, {"Used:", used}, {"Free:", free}}) {
    const std::string value = a.full ? std::to_string(v) : human_size(v);
    std::snprintf(line, sizeof line, "%-9s%s\n", what, value.c_str());
    ctx.out << line;
  }
  return kExitOk;
}

}  // namespace

void add_about_command(CLI::App& app, AppContext& ctx) {
  auto a = std::make_shared<AboutArgs>();
  auto* cmd = app.add_subcommand(
      "about", "Total, used and free space of the storage (local filesystems; --json)");
  cmd->add_option("remote", a->location, "A local path or remote:")->required();
  cmd->add_flag("--full", a->full, "Sizes in bytes, not 1.819 TiB");
  on_run(cmd, ctx, [&ctx, a] { return run_about(ctx, *a); });
}

}  // namespace cpsync
