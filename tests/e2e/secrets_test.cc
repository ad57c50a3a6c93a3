// tests/e2e/secrets_test.cc — runs every cpsync command at -vv (plain and --json) against the
// emulators with known secrets in the config (S3 secret key, Azure account key, an Azure SAS
// token, OSS secret, session tokens), succeeding and failing (wrong secrets), and asserts that
// no secret — raw, URL-encoded or base64 — nor any SAS sig= or presigned signature appears in
// stdout or stderr. `link` prints a signed URL on stdout: that is its product, so only its
// stderr is checked, and its signature must not show up in any other output.
#include <catch2/catch.hpp>

#include <cctype>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/encoding.h"
#include "remotes/azure/sas.h"
#include "tests/e2e/cli_objects_suite.h"

namespace {

using namespace cpsync;
using namespace cpsync::testing;

struct Secret {
  std::string what, value;
};

// The value and the forms it could leak in.
std::vector<std::string> forms(const std::string& v) {
  std::vector<std::string> f = {v, uri_encode(v), base64_encode(v)};
  std::string decoded;
  if (uri_decode(v, decoded) && decoded != v) f.push_back(decoded);
  return f;
}

// The value of name=... in a URL's query ("" when absent), case-insensitive name.
std::string query_value(const std::string& url, const std::string& name) {
  std::string lower = url;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (char sep : {'?', '&'}) {
    size_t p = lower.find(sep + name + "=");
    if (p == std::string::npos) continue;
    p += name.size() + 2;
    return url.substr(p, url.find('&', p) - p);
  }
  return "";
}

class LeakCheck {
 public:
  void add(const std::string& what, const std::string& value) {
    REQUIRE(value.size() >= 8);  // short values could match by chance
    secrets_.push_back({what, value});
  }
  void check(const std::string& label, const std::string& text) const {
    // Whatever the value: a signature, token or Authorization header shows only as ***.
    std::string lower = text;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* marker : {"sig=", "signature=", "security-token=", "authorization:",
                               "authorization=", "sharedkey ", "aws4-hmac-sha256 "}) {
      for (size_t p = lower.find(marker); p != std::string::npos; p = lower.find(marker, p + 1)) {
        size_t v = p + std::strlen(marker);
        while (v < text.size() && text[v] == ' ') ++v;
        INFO(label << ": '" << marker << "' not followed by ***\n" << text);
        CHECK((text.compare(v, 3, "***") == 0 || v == text.size() || text[v] == '&' ||
               text[v] == '\n'));
      }
    }
    for (const auto& s : secrets_) {
      for (const auto& f : forms(s.value)) {
        INFO(label << " must not contain the " << s.what << "\n" << text);
        CHECK(text.find(f) == std::string::npos);
      }
    }
  }
  void check(const std::string& cmd, const RunResult& r, bool stdout_is_product = false) const {
    if (!stdout_is_product) check(cmd + " stdout", r.out);
    check(cmd + " stderr", r.err);
  }

 private:
  std::vector<Secret> secrets_;
};

const char* kWrongS3Secret = "WrongS3SecretKey/4711+abcdefghijklmnopq";
const char* kWrongAzureKey = "V3JvbmdBenVyZUtleVdyb25nQXp1cmVLZXlXcm9uZ0F6dXJlS2V5IQ==";
const char* kWrongOssSecret = "WrongOssSecret-9c2e41";
const char* kSessionToken = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN/abc+def==";

// The signature in link's URL (its product, on stdout) is not repeated on stderr.
void check_link_stderr(const std::string& url, const RunResult& r) {
  std::string sig;
  for (const char* name : {"x-amz-signature", "signature", "x-oss-signature", "sig"}) {
    sig = query_value(url, name);
    if (!sig.empty()) break;
  }
  INFO(url);
  REQUIRE(sig.size() >= 8);
  for (const auto& f : forms(sig)) CHECK(r.err.find(f) == std::string::npos);
}

}  // namespace

TEST_CASE("no secret appears in any output at -vv, --json, on success and failure", "[e2e]") {
  TempDir tmp;
  auto ceph = peer_env("ceph");
  auto azurite = peer_env("azurite");
  auto oss = peer_env("oss");

  // A container SAS for the azsas remote, valid for an hour.
  const std::string container = unique_bucket("cpsync-secret-sas");
  auto creds = azure::make_shared_key(azurite["AZURE_ACCOUNT"], azurite["AZURE_KEY"]);
  REQUIRE(creds.ok());
  azure::ServiceSasValues sv;
  sv.container = container;
  sv.permissions = "racwdl";
  sv.expires_on = std::chrono::system_clock::now() + std::chrono::hours(1);
  auto sas = azure::make_service_sas(sv, *creds);
  REQUIRE(sas.ok());
  const std::string sas_url = azurite["AZURE_ENDPOINT"] + "/" + container + "?" + sas->query;

  const std::string config = write_config(
      tmp, local_section("disk") + s3_section("s3") + azure_section("az") + oss_section("oss") +
               "[azsas]\ntype = azureblob\nsas_url = " + sas_url + "\n\n" +
               "[s3bad]\ntype = s3\nprovider = Ceph\naccess_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
               "\nsecret_access_key = " + kWrongS3Secret + "\nendpoint = " + ceph["S3_ENDPOINT"] +
               "\nforce_path_style = true\n\n" +
               "[s3sts]\ntype = s3\nprovider = Ceph\naccess_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
               "\nsecret_access_key = " + ceph["S3_SECRET_ACCESS_KEY"] +
               "\nsession_token = " + kSessionToken + "\nendpoint = " + ceph["S3_ENDPOINT"] +
               "\nforce_path_style = true\n\n" +
               "[azbad]\ntype = azureblob\naccount = " + azurite["AZURE_ACCOUNT"] +
               "\nkey = " + kWrongAzureKey + "\nendpoint = " + azurite["AZURE_ENDPOINT"] + "\n\n" +
               "[ossbad]\ntype = oss\naccess_key_id = " + oss["OSS_ACCESS_KEY_ID"] +
               "\naccess_key_secret = " + kWrongOssSecret + "\nendpoint = " + oss["OSS_ENDPOINT"] +
               "\nregion = " + oss["OSS_REGION"] + "\n\n" +
               "[osssts]\ntype = oss\naccess_key_id = " + oss["OSS_ACCESS_KEY_ID"] +
               "\naccess_key_secret = " + oss["OSS_ACCESS_KEY_SECRET"] +
               "\nsession_token = " + kSessionToken + "\nendpoint = " + oss["OSS_ENDPOINT"] +
               "\nregion = " + oss["OSS_REGION"] + "\n\n");

  LeakCheck leaks;
  leaks.add("S3 secret key", ceph["S3_SECRET_ACCESS_KEY"]);
  leaks.add("wrong S3 secret key", kWrongS3Secret);
  leaks.add("Azure account key", azurite["AZURE_KEY"]);
  leaks.add("wrong Azure key", kWrongAzureKey);
  leaks.add("OSS secret", oss["OSS_ACCESS_KEY_SECRET"]);
  leaks.add("wrong OSS secret", kWrongOssSecret);
  leaks.add("session token", kSessionToken);
  leaks.add("SAS sig", query_value(sas_url, "sig"));
  leaks.add("SAS token", sas->query);

  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "alpha");
  write_file_text(src + "/sub/b.txt", "bravo");
  const std::string in = tmp / "stdin.txt";
  write_file_text(in, "from stdin");

  // Every command on one remote; returns the links it printed. fail: wrong credentials.
  auto every_command = [&](const std::string& remote, const std::string& bucket,
                           const std::vector<std::string>& flags, bool fail) {
    std::vector<std::string> links;
    const std::string root = remote + ":";
    const std::string loc = root + bucket;
    const std::string dst = tmp / ("dst-" + remote);
    const std::vector<std::vector<std::string>> cmds = {
        {"mkdir", loc},
        {"copy", src, loc + "/tree"},
        {"sync", src, loc + "/mirror"},
        {"check", src, loc + "/tree"},
        {"ls", loc},
        {"lsl", loc},
        {"lsd", root},
        {"lsd", loc},
        {"lsjson", loc, "-R"},
        {"size", loc},
        {"rcat", loc + "/rcat.txt"},
        {"cat", loc + "/tree/a.txt"},
        {"copyto", src + "/a.txt", loc + "/copied.txt"},
        {"copyto", loc + "/copied.txt", dst + "/one.txt"},
        {"link", loc + "/tree/a.txt", "--expire", "10m"},
        {"copy", loc + "/tree", dst},
        {"move", loc + "/mirror", dst + "/moved"},
        {"deletefile", loc + "/copied.txt"},
        {"delete", loc},
        {"rmdir", loc},
        {"config", "show"},
        {"config", "show", remote},
        {"listremotes", "--long"},
    };
    for (auto args : cmds) {
      const std::string label = remote + " " + args[0] + (flags.empty() ? "" : " " + flags[0]);
      args.insert(args.end(), flags.begin(), flags.end());
      auto r = run_cpsync(config, args, args[0] == "rcat" ? in : "");
      INFO(label << "\nstderr: " << r.err);
      if (fail && args[0] != "config" && args[0] != "listremotes" && args[0] != "link") {
        CHECK(r.code == 7);  // each one fails, on the credentials
      } else if (!fail) {
        CHECK(r.code == 0);
      }
      const bool is_link = args[0] == "link";
      leaks.check(label, r, is_link);
      if (is_link && r.code == 0) {
        links.push_back(split_lines(r.out).at(0));
        check_link_stderr(links.back(), r);
      }
    }
    return links;
  };

  std::vector<std::string> links;
  for (const auto& flags :
       {std::vector<std::string>{"-vv"}, std::vector<std::string>{"-vv", "--json"}}) {
    for (const std::string remote : {"s3", "az", "oss"}) {
      for (const auto& l : every_command(remote, unique_bucket("cpsync-secret"), flags, false))
        links.push_back(l);
    }
    // The SAS remote is confined to its container, which the account key makes.
    run_ok(config, {"mkdir", "az:" + container});
    {
      const std::string loc = "azsas:" + container;
      const std::string label = std::string("azsas ") + flags.back();
      for (auto args : std::vector<std::vector<std::string>>{
               {"copy", src, loc + "/tree"},
               {"ls", loc},
               {"lsjson", loc, "-R"},
               {"cat", loc + "/tree/a.txt"},
               {"rcat", loc + "/r.txt"},
               {"link", loc + "/tree/a.txt"},
               {"check", src, loc + "/tree"},
               {"delete", loc},
               {"config", "show", "azsas"},
               {"ls", "azsas:other-container"}}) {  // outside the SAS: fails
        args.insert(args.end(), flags.begin(), flags.end());
        auto r = run_cpsync(config, args, args[0] == "rcat" ? in : "");
        INFO(label << " " << args[0] << "\nstderr: " << r.err);
        // A SAS remote cannot sign links of its own (exit 2); outside its container: 7.
        CHECK(r.code == (args[1] == "azsas:other-container" ? 7 : args[0] == "link" ? 2 : 0));
        leaks.check(label + " " + args[0], r, args[0] == "link");
        if (args[0] == "link" && r.code == 0) {
          links.push_back(split_lines(r.out).at(0));
          check_link_stderr(links.back(), r);
        }
      }
    }
    run_ok(config, {"rmdir", "az:" + container});
    for (const std::string remote : {"s3bad", "azbad", "ossbad", "s3sts", "osssts"}) {
      // Wrong secrets (and session tokens the servers do not know) fail every request.
      // Neither RGW nor the OSS test server checks session tokens: those runs succeed.
      const bool rejected = !remote.ends_with("sts");
      every_command(remote, unique_bucket("cpsync-secret"), flags, rejected);
    }
  }

  // Links were made on every signing scheme (S3 and OSS presigned, Azure SAS), and a failing
  // signed request shows no signature either.
  CHECK(links.size() == 6);
  for (const std::string remote : {"s3bad", "azbad", "ossbad"}) {
    auto r = run_cpsync(config, {"cat", remote + ":nobucket/x", "-vv"});
    CHECK(r.code == 7);
    leaks.check(remote + " cat", r);
  }
}

// The log file gets what stderr would: at -vv (text and JSON) it holds every request's
// debug lines, successes and failures on wrong secrets, and no secret or signature.
TEST_CASE("no secret appears in the --log-file at -vv, plain and JSON", "[e2e]") {
  TempDir tmp;
  auto ceph = peer_env("ceph");
  auto azurite = peer_env("azurite");
  auto oss = peer_env("oss");
  const std::string config = write_config(
      tmp, s3_section("s3") + azure_section("az") + oss_section("oss") +
               "[s3bad]\ntype = s3\nprovider = Ceph\naccess_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
               "\nsecret_access_key = " + kWrongS3Secret + "\nendpoint = " + ceph["S3_ENDPOINT"] +
               "\nforce_path_style = true\n\n" +
               "[azbad]\ntype = azureblob\naccount = " + azurite["AZURE_ACCOUNT"] +
               "\nkey = " + kWrongAzureKey + "\nendpoint = " + azurite["AZURE_ENDPOINT"] + "\n\n" +
               "[ossbad]\ntype = oss\naccess_key_id = " + oss["OSS_ACCESS_KEY_ID"] +
               "\naccess_key_secret = " + kWrongOssSecret + "\nendpoint = " + oss["OSS_ENDPOINT"] +
               "\nregion = " + oss["OSS_REGION"] + "\n\n");
  LeakCheck leaks;
  leaks.add("S3 secret key", ceph["S3_SECRET_ACCESS_KEY"]);
  leaks.add("wrong S3 secret key", kWrongS3Secret);
  leaks.add("Azure account key", azurite["AZURE_KEY"]);
  leaks.add("wrong Azure key", kWrongAzureKey);
  leaks.add("OSS secret", oss["OSS_ACCESS_KEY_SECRET"]);
  leaks.add("wrong OSS secret", kWrongOssSecret);

  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "alpha");
  write_file_text(src + "/sub/b.txt", "bravo");
  for (const std::string format : {"text", "json"}) {
    const std::string log = tmp / ("cpsync-" + format + ".log");
    std::vector<std::string> flags = {"-vv", "--log-file", log};
    if (format == "json") flags.push_back("--use-json-log");
    auto run = [&](std::vector<std::string> args, int code) {
      args.insert(args.end(), flags.begin(), flags.end());
      auto r = run_cpsync(config, args);
      INFO(format << " " << args[0] << " " << args[1] << "\nstderr: " << r.err);
      CHECK(r.code == code);
      leaks.check(format + " " + args[0] + " (terminal)", r, args[0] == "link");
      return r;
    };
    for (const std::string remote : {"s3", "az", "oss"}) {
      const std::string loc = remote + ":" + unique_bucket("cpsync-secret-log");
      run({"mkdir", loc}, 0);
      run({"copy", src, loc + "/tree"}, 0);
      run({"cat", loc + "/tree/a.txt"}, 0);
      auto link = run({"link", loc + "/tree/a.txt", "--expire", "10m"}, 0);
      run({"sync", src, loc + "/tree"}, 0);
      run({"delete", loc}, 0);
      run({"rmdir", loc}, 0);
      run({"ls", remote + "bad:" + unique_bucket("cpsync-secret-log")}, 7);
      run({"copy", src, remote + "bad:" + unique_bucket("cpsync-secret-log")}, 7);
      // The signed URL is link's product on stdout; the log never repeats its signature.
      const std::string text = read_file_text(log);
      std::string sig;
      for (const char* name : {"x-amz-signature", "signature", "x-oss-signature", "sig"}) {
        sig = query_value(link.out, name);
        if (!sig.empty()) break;
      }
      REQUIRE(sig.size() >= 8);
      for (const auto& f : forms(sig)) CHECK(text.find(f) == std::string::npos);
    }
    const std::string text = read_file_text(log);
    leaks.check(format + " log file", text);
    // The file was written to: request debug lines and the failures' error lines.
    const auto lines = split_lines(text);
    CHECK(lines.size() > 30);
    const std::string debug = format == "json" ? "\"level\":\"debug\"" : " DEBUG : ";
    const std::string error = format == "json" ? "\"level\":\"error\"" : " ERROR : ";
    CHECK(text.find(debug) != std::string::npos);
    CHECK(text.find(error) != std::string::npos);
  }
}
