// tests/unit/conf_cli_test.cc — the CLI frame in process: global flags, exit codes and the
// Errc -> exit code mapping.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "core/http.h"
#include "core/log.h"
#include "tests/unit/conf_test_registry.h"

using namespace cpsync;

namespace {

struct Cli {
  std::ostringstream out, err;
  AppContext ctx{out, err, Environment{{"HOME", "/nonexistent-home"}},
                 cpsync::testing::fake_registry()};
  // run_cli configures the process-wide logger and transport; leave them as found.
  ~Cli() {
    set_log_options(LogOptions{});
    set_transport_options(TransportOptions{});
  }
  int run(std::vector<const char*> args) {
    args.insert(args.begin(), "cpsync");
    return run_cli(static_cast<int>(args.size()), args.data(), ctx);
  }
};

}  // namespace

TEST_CASE("global flags are parsed before and after the command", "[conf]") {
  Cli a;
  CHECK(a.run({"-vv", "--json", "--no-check-certificate", "version"}) == kExitOk);
  CHECK(a.ctx.flags.verbose == 2);
  CHECK(a.ctx.flags.json);
  CHECK(a.ctx.flags.no_check_certificate);
  CHECK_FALSE(transport_options().verify_tls);
  CHECK(log_options().level == LogLevel::debug);
  CHECK(log_options().json);
  CHECK(a.out.str() == "{\"version\":\"" CPSYNC_VERSION "\"}\n");

  Cli b;
  CHECK(b.run({"version", "-v", "-q", "--config", "/x.conf"}) == kExitOk);
  CHECK(b.ctx.flags.verbose == 1);
  CHECK(b.ctx.flags.quiet);
  CHECK(b.ctx.flags.config == "/x.conf");
  CHECK(log_options().level == LogLevel::error);  // -q wins over -v
  CHECK(b.out.str() == "cpsync " CPSYNC_VERSION "\n");
}

TEST_CASE("no command, unknown commands and bad flags exit 1 with one line", "[conf]") {
  Cli none;
  CHECK(none.run({}) == kExitUsage);
  CHECK(none.err.str().find("Usage: cpsync") != std::string::npos);

  Cli bad;
  CHECK(bad.run({"--frobnicate", "version"}) == kExitUsage);
  const std::string err = bad.err.str();
  CHECK(err.starts_with("cpsync: error: "));
  CHECK(std::count(err.begin(), err.end(), '\n') == 1);
}

TEST_CASE("a missing default config is empty, an explicit one is fatal", "[conf]") {
  Cli dflt;
  CHECK(dflt.run({"listremotes"}) == kExitOk);
  CHECK(dflt.out.str().empty());

  Cli expl;
  CHECK(expl.run({"--config", "/nonexistent/c.conf", "listremotes"}) == kExitFatal);
  CHECK(expl.err.str() ==
        "cpsync: error: config file not found: /nonexistent/c.conf (from --config)\n");
}

TEST_CASE("Errc maps to rclone's exit codes", "[conf]") {
  CHECK(exit_code_for(Errc::ok) == 0);
  CHECK(exit_code_for(Errc::invalid_argument) == 1);
  CHECK(exit_code_for(Errc::permanent) == 2);
  CHECK(exit_code_for(Errc::not_supported) == 2);
  CHECK(exit_code_for(Errc::conflict) == 2);
  CHECK(exit_code_for(Errc::corrupt) == 2);
  CHECK(exit_code_for(Errc::cancelled) == 2);
  CHECK(exit_code_for(Errc::not_found) == 3);
  CHECK(exit_code_for(Errc::throttled) == 5);
  CHECK(exit_code_for(Errc::transient) == 5);
  CHECK(exit_code_for(Errc::access_denied) == 7);

  // The error mappers say which resource is missing; the CLI never reads provider codes.
  Status key{Errc::not_found, "aws:b/k"};
  key.missing = Missing::object;
  CHECK(exit_code_for(key) == kExitFileNotFound);
  key.provider_code = "NoSuchKey";
  key.missing = Missing::none;
  CHECK(exit_code_for(key) == kExitDirNotFound);
  Status bucket{Errc::not_found, "aws:b"};
  bucket.missing = Missing::bucket;
  CHECK(exit_code_for(bucket) == kExitDirNotFound);
  Status denied{Errc::access_denied, "aws:b"};
  CHECK(exit_code_for(denied) == kExitFatal);
}

TEST_CASE("AppContext::fail prints one line and maps the code", "[conf]") {
  Cli c;
  CHECK(c.ctx.fail(Status{Errc::throttled, "aws:b: slow down"}) == kExitTemporary);
  CHECK(c.ctx.fail(Status{Errc::invalid_argument, "bad"}, kExitFatal) == kExitFatal);
  CHECK(c.err.str() == "cpsync: error: aws:b: slow down\ncpsync: error: bad\n");
}
