// tests/e2e/cli_config_test.cc — the cpsync binary with a temporary config: listremotes,
// config show (secrets never printed, also when they come from the environment), config
// path, --help on every command, and one-line errors with the documented exit codes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Run {
  int rc = -1;
  std::string out, err;
};

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/cpsync-e2e-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    std::string p = path + "/" + name;
    std::ofstream(p) << text;
    chmod(p.c_str(), mode);
    return p;
  }
};

// Runs `env_prefix cpsync args` through the shell; stdout and stderr kept apart.
Run cpsync(const TempDir& dir, const std::string& args, const std::string& env_prefix = "") {
  std::string err_file = dir.path + "/stderr.txt";
  std::string cmd = env_prefix + " " CPSYNC_BINARY " " + args + " 2>'" + err_file + "'";
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream ss;
  ss << in.rdbuf();
  r.err = ss.str();
  return r;
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

size_t count_lines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

const char* kOssSecret = "OssSecretValue-4f8a1c";
const char* kAzureKey = "QXp1cmVLZXlWYWx1ZS1kZWFkYmVlZg==";
const char* kEnvSecret = "EnvProvidedSecret-77e1";

std::string good_config() {
  std::ostringstream c;
  c << "# test remotes\n"
    << "[ossy]\ntype = oss\naccess_key_id = LTAIvisibleid\n"
    << "access_key_secret = " << kOssSecret << "\n"
    << "endpoint = http://127.0.0.1:9\n\n"
    << "[az]\ntype = azureblob\naccount = devstoreaccount1\n"
    << "key = " << kAzureKey << "\n"
    << "endpoint = http://127.0.0.1:10000/devstoreaccount1\n\n"
    << "[disk]\ntype = local\n";
  return c.str();
}

}  // namespace

TEST_CASE("cpsync listremotes lists names and types", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config());
  auto r = cpsync(dir, "--config '" + conf + "' listremotes");
  CHECK(r.rc == 0);
  CHECK(r.out == "ossy:\naz:\ndisk:\n");
  CHECK(r.err.empty());

  auto l = cpsync(dir, "listremotes --long", "CPSYNC_CONFIG='" + conf + "'");
  CHECK(l.rc == 0);
  CHECK(contains(l.out, "ossy:  oss\n"));
  CHECK(contains(l.out, "az:    azureblob\n"));
  CHECK(contains(l.out, "disk:  local\n"));

  auto j = cpsync(dir, "listremotes --json --config '" + conf + "'");
  CHECK(j.rc == 0);
  CHECK(contains(j.out, R"({"name":"az","origin":")"));
  CHECK(contains(j.out, R"("type":"azureblob")"));
}

TEST_CASE("cpsync config show never prints a secret", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config());
  std::ostringstream env_text;
  env_text << "CPSYNC_CONFIG_AZ_SAS_URL='https://a/c?sig=" << kEnvSecret
           << "' CPSYNC_CONFIG_ENVY_TYPE=oss CPSYNC_CONFIG_ENVY_ENDPOINT=http://e "
           << "CPSYNC_CONFIG_ENVY_ACCESS_KEY_SECRET=" << kEnvSecret;
  const std::string env = env_text.str();
  for (const std::string args : {"config show", "config show az", "config show ossy:",
                                 "config show envy", "config show --json", "-vv config show"}) {
    INFO(args);
    auto r = cpsync(dir, "--config '" + conf + "' " + args, env);
    CHECK(r.rc == 0);
    for (const char* secret : {kOssSecret, kAzureKey, kEnvSecret}) {
      CHECK_FALSE(contains(r.out, secret));
      CHECK_FALSE(contains(r.err, secret));
    }
  }
  auto all = cpsync(dir, "--config '" + conf + "' config show", env);
  CHECK(contains(all.out,
                 "[ossy]\ntype = oss\naccess_key_id = LTAIvisibleid\n"
                 "access_key_secret = ***\nendpoint = http://127.0.0.1:9\n"));
  CHECK(contains(all.out, "key = ***\n"));
  CHECK(contains(all.out, "sas_url = ***  ; from CPSYNC_CONFIG_AZ_SAS_URL\n"));
  CHECK(contains(all.out, "[envy]\ntype = oss  ; from CPSYNC_CONFIG_ENVY_TYPE\n"));

  // Where each remote's credentials would come from, without a request or a secret; a
  // remote that cannot be used says why.
  CHECK(contains(all.out,
                 "endpoint = http://127.0.0.1:9\n; credentials: not usable: remote "
                 "'ossy' (" +
                     conf + ":2): region is required"));
  CHECK(contains(all.out,
                 "; credentials: not usable: remote 'az' (env "
                 "CPSYNC_CONFIG_AZ_SAS_URL): set either key or sas_url, not both\n"));
  auto json = cpsync(dir, "--config '" + conf + "' config show az --json");
  CHECK(contains(json.out, R"x("credential_source": "shared key (account/key)")x"));

  auto one = cpsync(dir, "--config '" + conf + "' config show disk");
  CHECK(one.out == "[disk]\ntype = local\n");
}

TEST_CASE("cpsync config path follows --config, CPSYNC_CONFIG and XDG", "[e2e]") {
  TempDir dir;
  CHECK(cpsync(dir, "--config /x/y.conf config path").out == "/x/y.conf\n");
  CHECK(cpsync(dir, "config path", "CPSYNC_CONFIG=/a/b.conf").out == "/a/b.conf\n");
  CHECK(cpsync(dir, "config path", "env -u CPSYNC_CONFIG XDG_CONFIG_HOME=/xdg").out ==
        "/xdg/cpsync/cpsync.conf\n");
}

TEST_CASE("config errors are one line with exit code 7", "[e2e]") {
  TempDir dir;
  std::string typo = dir.write("typo.conf", good_config() + "[more]\ntype = oss\nendpiont = x\n");
  auto r = cpsync(dir, "--config '" + typo + "' listremotes");
  CHECK(r.rc == 7);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK(r.err == "cpsync: error: remote 'more' (" + typo +
                     ":18): unknown key 'endpiont' for type oss; did you mean 'endpoint'?\n");

  std::string syntax =
      dir.write("syntax.conf", "[az]\ntype = azureblob\nkey " + std::string(kAzureKey) + "\n");
  auto s = cpsync(dir, "--config '" + syntax + "' config show");
  CHECK(s.rc == 7);
  CHECK(count_lines(s.err) == 1);
  CHECK(contains(s.err, syntax + ":3: syntax error"));
  CHECK_FALSE(contains(s.err, kAzureKey));

  auto missing = cpsync(dir, "--config '" + dir.path + "/absent.conf' listremotes");
  CHECK(missing.rc == 7);
  CHECK(missing.err ==
        "cpsync: error: config file not found: " + dir.path + "/absent.conf (from --config)\n");

  std::string badtype = dir.write("type.conf", "[x]\ntype = s4\n");
  auto t = cpsync(dir, "--config '" + badtype + "' listremotes");
  CHECK(t.rc == 7);
  CHECK(contains(t.err, "remote 'x' (" + badtype + ":2): unknown type 's4'"));
}

TEST_CASE("a config readable by others gets a warning", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("open.conf", "[disk]\ntype = local\n", 0644);
  auto r = cpsync(dir, "--config '" + conf + "' listremotes");
  CHECK(r.rc == 0);
  CHECK(r.out == "disk:\n");
  CHECK(count_lines(r.err) == 1);
  CHECK(contains(r.err, "cpsync: warning: config file " + conf + " is readable by group"));
  auto q = cpsync(dir, "-q --config '" + conf + "' listremotes");
  CHECK(q.err.empty());
}

TEST_CASE("usage errors exit 1 and --help works on every command", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config());
  auto unknown = cpsync(dir, "bogus");
  CHECK(unknown.rc == 1);
  CHECK(unknown.err == "cpsync: error: unknown command 'bogus' (see cpsync --help)\n");
  auto flag = cpsync(dir, "listremotes --bogus");
  CHECK(flag.rc == 1);
  CHECK(count_lines(flag.err) == 1);
  auto remote = cpsync(dir, "--config '" + conf + "' config show nosuch");
  CHECK(remote.rc == 1);
  CHECK(remote.err ==
        "cpsync: error: unknown remote 'nosuch' (configured remotes: ossy, az, disk)\n");
  for (const std::string cmd :
       {"", "version", "listremotes", "config", "config show", "config path"}) {
    INFO(cmd);
    auto h = cpsync(dir, cmd + " --help");
    CHECK(h.rc == 0);
    CHECK(contains(h.out, "Usage: cpsync"));
  }
  auto v = cpsync(dir, "--version");
  CHECK(v.rc == 0);
  CHECK(v.out == "cpsync " CPSYNC_VERSION "\n");
}

TEST_CASE("config create, update and delete edit the file in place, atomically, mode 0600",
          "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config(), 0644);
  const std::string c = "--config '" + conf + "' ";
  const char* kNewSecret = "NewS3SecretValue-91bd";
  auto created = cpsync(dir, c +
                                 "config create my-s3 s3 provider=Ceph access_key_id=AKIDvisible "
                                 "secret_access_key=" +
                                 kNewSecret + " endpoint=http://127.0.0.1:9 force_path_style=true");
  INFO(created.err);
  CHECK(created.rc == 0);
  CHECK(created.out.empty());
  CHECK_FALSE(contains(created.err, kNewSecret));
  struct stat st {};
  REQUIRE(stat(conf.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::ifstream in(conf);
  std::stringstream text;
  text << in.rdbuf();
  // The old text is kept as it was (comment included); the new section follows it.
  CHECK(text.str() == good_config() +
                          "\n[my-s3]\ntype = s3\nprovider = Ceph\naccess_key_id = AKIDvisible\n"
                          "secret_access_key = " +
                          kNewSecret +
                          "\nendpoint = http://127.0.0.1:9\nforce_path_style = true\n");
  auto shown = cpsync(dir, c + "config show my-s3");
  CHECK(shown.rc == 0);
  CHECK(contains(shown.out, "secret_access_key = ***\n"));

  // Creating a name that exists is refused: update changes it.
  auto again = cpsync(dir, c + "config create az s3");
  CHECK(again.rc == 1);
  CHECK(count_lines(again.err) == 1);
  CHECK(contains(again.err, "remote 'az' already exists"));
  CHECK(contains(again.err, "cpsync config update az"));

  auto updated = cpsync(dir, c + "config update my-s3: region=eu-west-1 access_key_id=AKIDnew");
  CHECK(updated.rc == 0);
  std::ifstream in2(conf);
  std::stringstream text2;
  text2 << in2.rdbuf();
  CHECK(text2.str() == good_config() +
                           "\n[my-s3]\ntype = s3\nprovider = Ceph\naccess_key_id = AKIDnew\n"
                           "secret_access_key = " +
                           kNewSecret +
                           "\nendpoint = http://127.0.0.1:9\nforce_path_style = true\n"
                           "region = eu-west-1\n");
  // A section in the middle: the new key goes after its last key, before the blank line.
  CHECK(cpsync(dir, c + "config update ossy region=oss-cn-hangzhou").rc == 0);
  auto ossy = cpsync(dir, c + "config show ossy");
  CHECK(contains(ossy.out, "endpoint = http://127.0.0.1:9\nregion = oss-cn-hangzhou\n"));
  CHECK(cpsync(dir, c + "config show az").out.find("[az]") == 0);

  auto deleted = cpsync(dir, c + "config delete az");
  CHECK(deleted.rc == 0);
  auto names = cpsync(dir, c + "listremotes");
  CHECK(names.out == "ossy:\ndisk:\nmy-s3:\n");
  std::ifstream in3(conf);
  std::stringstream text3;
  text3 << in3.rdbuf();
  CHECK(contains(text3.str(), "# test remotes\n[ossy]\n"));
  CHECK_FALSE(contains(text3.str(), kAzureKey));
  CHECK(contains(text3.str(), "region = oss-cn-hangzhou\n\n[disk]\ntype = local\n"));

  // No temporary file is left next to the config.
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir.path))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"cpsync.conf", "stderr.txt"});

  // A config file named by --config that does not exist yet is created by create only.
  const std::string fresh = dir.path + "/new/dir/fresh.conf";
  CHECK(cpsync(dir, "--config '" + fresh + "' config update x region=y").rc == 7);
  CHECK(cpsync(dir, "--config '" + fresh + "' config create disk2 local").rc == 0);
  CHECK(cpsync(dir, "--config '" + fresh + "' listremotes").out == "disk2:\n");
}

TEST_CASE("config create and update refuse bad keys and values in one line", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config());
  const std::string c = "--config '" + conf + "' ";
  struct Bad {
    std::string args, says;
  };
  for (const Bad& b : std::vector<Bad>{
           {"config create x s3 regoin=us-east-1",
            "unknown key 'regoin' for type s3; did you "
            "mean 'region'?"},
           {"config create x s3 force_path_style=maybe", "invalid boolean 'maybe'"},
           {"config create x s3 chunk_size=16MB", "invalid size '16MB'"},
           {"config create x s4", "unknown type 's4'"},
           {"config create x s3 type=oss", "key 'type' cannot be set here"},
           {"config create 'bad name' local", "invalid remote name 'bad name'"},
           {"config create x oss AKIAsecretpastedwithoutkey", "expected key=value"},
           {"config create x oss region=cn-hangzhou", "missing required key 'endpoint'"},
           {"config create x s3 region=a region=b", "key 'region' given twice"},
           {"config create x oss endpoint=http://e 'access_key_secret=abc "
            ";AKIAsecretpastedwithoutkey'",
            "key 'access_key_secret': the value cannot be stored"},
           {"config update nosuch region=x", "no remote 'nosuch'"},
           {"config update ossy endpiont=x", "did you mean 'endpoint'?"},
           {"config update ossy", "give key=value pairs"},
           {"config delete nosuch", "no remote 'nosuch'"},
       }) {
    INFO(b.args);
    auto r = cpsync(dir, c + b.args);
    INFO(r.err);
    CHECK(r.rc == 1);
    CHECK(count_lines(r.err) == 1);
    CHECK(contains(r.err, b.says));
    CHECK_FALSE(contains(r.err, "AKIAsecretpastedwithoutkey"));
  }
  // Nothing was written.
  std::ifstream in(conf);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == good_config());
}

TEST_CASE("config dump prints every remote as JSON, secrets as *** unless asked", "[e2e]") {
  TempDir dir;
  std::string conf = dir.write("cpsync.conf", good_config());
  auto r = cpsync(dir, "--config '" + conf + "' config dump");
  CHECK(r.rc == 0);
  for (const char* secret : {kOssSecret, kAzureKey}) CHECK_FALSE(contains(r.out, secret));
  CHECK(contains(r.out, "\"access_key_secret\": \"***\""));
  CHECK(contains(r.out, "\"key\": \"***\""));
  CHECK(contains(r.out, "\"access_key_id\": \"LTAIvisibleid\""));
  CHECK(contains(r.out, "\"disk\": {\n    \"type\": \"local\"\n  }"));
  auto s = cpsync(dir, "--config '" + conf + "' config dump --show-secrets");
  CHECK(s.rc == 0);
  CHECK(contains(s.out, "\"access_key_secret\": \"" + std::string(kOssSecret) + "\""));
  CHECK(contains(s.out, "\"key\": \"" + std::string(kAzureKey) + "\""));
}
