// tests/e2e/bad_input_test.cc — every kind of bad input through the cpsync binary: empty and
// malformed configs, unknown remotes, bad specs, invalid flag values, wrong credentials on
// each emulator, an expired SAS and presigned links, missing buckets, source keys that cannot
// be local file names and a full local disk. Each must give exactly one error line naming
// what to fix, the exit code docs/usage.md documents, and nothing partial at the destination.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "remotes/azure/sas.h"
#include "tests/e2e/cli_objects_suite.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

namespace {

using namespace cpsync;
using namespace cpsync::testing;
namespace fs = std::filesystem;

bool has(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

// The lines of stderr that are errors ("cpsync: error: ...").
std::vector<std::string> error_lines(const std::string& err) {
  std::vector<std::string> out;
  for (const auto& l : split_lines(err))
    if (l.starts_with("cpsync: error: ")) out.push_back(l);
  return out;
}

// Exactly one error line, containing every part of `mentions`; the exit code as documented.
void expect_error(const RunResult& r, int code, const std::vector<std::string>& mentions) {
  INFO("stderr: " << r.err << "\nstdout: " << r.out);
  CHECK(r.code == code);
  auto lines = error_lines(r.err);
  REQUIRE(lines.size() == 1);
  for (const auto& m : mentions) {
    INFO("expected in the error line: " << m);
    CHECK(has(lines[0], m));
  }
  CHECK_FALSE(has(r.err, "internal error"));
}

// Every file below dir (relative), hidden ones included.
std::vector<std::string> tree_of(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    files.push_back(fs::relative(e.path(), dir).string() + (e.is_directory() ? "/" : ""));
  std::sort(files.begin(), files.end());
  return files;
}

std::string peer_config(const TempDir& tmp, const std::string& extra = "") {
  return write_config(tmp, local_section("disk") + s3_section("s3") + azure_section("az") +
                               oss_section("oss") + extra);
}

}  // namespace

TEST_CASE("bad configs: one line, exit 7 (unknown remote in an empty config: 1)", "[e2e]") {
  TempDir tmp;
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string p = tmp / name;
    write_file_text(p, text);
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
    return p;
  };

  const std::string empty = write("empty.conf", "");
  expect_error(run_cpsync(empty, {"ls", "aws:bucket"}), 1,
               {"unknown remote 'aws'", "no remotes configured in " + empty});
  // An empty config still serves local paths.
  const std::string dir = tmp / "d";
  write_file_text(dir + "/f", "x");
  CHECK(run_cpsync(empty, {"ls", dir}).code == 0);

  const std::string noeq = write("noeq.conf", "[a]\ntype = local\njustaword\n");
  expect_error(run_cpsync(noeq, {"ls", "a:"}), 7, {noeq + ":3: syntax error"});

  const std::string notype = write("notype.conf", "[a]\nregion = x\n");
  expect_error(run_cpsync(notype, {"ls", "a:"}), 7,
               {"remote 'a' (" + notype + ":1): missing key 'type'", "s3"});

  const std::string nosection = write("nosection.conf", "type = s3\n");
  expect_error(run_cpsync(nosection, {"listremotes"}), 7, {"outside any [remote] section"});

  const std::string binary = write("binary.conf", std::string("\0\x01\xff[junk", 8) + "\n");
  expect_error(run_cpsync(binary, {"listremotes"}), 7, {binary + ":1: syntax error"});

  // Option values are checked when a remote is used: still the config's fault, exit 7.
  const std::string endpoint =
      write("endpoint.conf", "[s]\ntype = s3\nendpoint = ftp://127.0.0.1:1\n");
  expect_error(run_cpsync(endpoint, {"ls", "s:bucket"}), 7,
               {"remote 's' (" + endpoint + ":3)", "endpoint"});
  expect_error(run_cpsync(endpoint, {"copy", tmp / "d", "s:bucket"}), 7, {"endpoint"});
  const std::string boolean =
      write("bool.conf",
            "[s]\ntype = s3\nendpoint = http://127.0.0.1:1\nforce_path_style = yes "
            "please\n");
  expect_error(run_cpsync(boolean, {"lsd", "s:"}), 7, {"force_path_style"});

  expect_error(run_cpsync(tmp.path(), {"listremotes"}), 7, {"is a directory"});
}

TEST_CASE("bad remote specs: one line, exit 1", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(
      tmp, local_section("disk") + "[aws]\ntype = s3\nendpoint = http://127.0.0.1:1\n");
  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "a");
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> mentions;
  };
  const std::vector<Case> cases = {
      {{"ls", "nosuch:bucket"}, {"unknown remote 'nosuch'", "configured remotes: disk, aws"}},
      {{"copy", src, "aws3:bucket"}, {"unknown remote 'aws3'", "did you mean 'aws'"}},
      {{"ls", ":bucket"}, {"':bucket'", "missing remote name"}},
      {{"copy", src, ":bucket"}, {"missing remote name"}},
      {{"ls", "aws:bucket/../x"}, {"'..' path segments are not allowed"}},
      {{"copy", src, "aws:bucket/../x"}, {"'..' path segments"}},
      {{"copyto", src + "/a.txt", "aws:bucket/./x"}, {"'.' path segments"}},
      {{"ls", "aws:bucket//x"}, {"empty path segment"}},
      {{"ls", "aws:/x"}, {"empty bucket name"}},
      {{"copy", src, "aws:"}, {"aws:", "name a bucket"}},
      {{"sync", "aws:", src}, {"name a bucket"}},
      {{"copyto", src + "/a.txt", "aws:"}, {"not an object path", "aws:bucket/key"}},
      {{"cat", "aws:bucket"}, {"not an object path"}},
      {{"rcat", "aws:"}, {"not an object path"}},
      {{"ls", ""}, {"empty location"}},
      {{"copy", "", src}, {"empty location"}},
      {{"ls", "aws:bucket/a\tb"}, {"control character"}},
  };
  for (const auto& c : cases) {
    INFO("cpsync " << c.args[0] << " " << c.args[1]);
    expect_error(run_cpsync(config, c.args), 1, c.mentions);
  }
}

TEST_CASE("invalid flag values: one line naming the flag, exit 1", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("disk"));
  const std::string src = tmp / "src", dst = tmp / "dst";
  write_file_text(src + "/a.txt", "a");
  struct Case {
    std::vector<std::string> args;
    std::string mention;
  };
  const std::vector<Case> cases = {
      {{"copy", src, dst, "--transfers", "0"}, "--transfers"},
      {{"copy", src, dst, "--transfers", "abc"}, "--transfers"},
      {{"copy", src, dst, "--transfers", "-4"}, "--transfers"},
      {{"sync", src, dst, "--checkers", "0"}, "--checkers"},
      {{"sync", src, dst, "--max-delete", "-2"}, "--max-delete"},
      {{"sync", src, dst, "--max-delete", "many"}, "--max-delete"},
      {{"copy", src, dst, "--modify-window", "xyz"}, "--modify-window"},
      {{"copy", src, dst, "--chunk-size", "0"}, "--chunk-size"},
      {{"copy", src, dst, "--chunk-size", "lots"}, "--chunk-size"},
      {{"copy", src, dst, "--bwlimit", "fast"}, "--bwlimit"},
      {{"copy", src, dst, "--bwlimit", "1M:x"}, "--bwlimit"},
      {{"sync", src, dst, "--backup-dir", dst + "/old"}, "--backup-dir"},
      {{"copy", src, dst, "--min-size", "big"}, "--min-size"},
      {{"copy", src, dst, "--max-age", "old"}, "--max-age"},
      {{"ls", src, "--max-depth", "x"}, "--max-depth"},
      {{"link", "disk:" + src + "/a.txt", "--expire", "0"}, "--expire"},
      {{"link", "disk:" + src + "/a.txt", "--expire", "soon"}, "--expire"},
      {{"rcat", dst + "/x", "--chunk-size", "0"}, "--chunk-size"},
      {{"rcat", dst + "/x", "--multi-thread-streams", "0"}, "--multi-thread-streams"},
      {{"copy", src, dst, "--checksum", "--size-only"}, "--checksum"},
  };
  for (const auto& c : cases) {
    INFO("cpsync " << c.args[0] << " ... " << c.args[3]);
    expect_error(run_cpsync(config, c.args), 1, {c.mention});
  }
  // Nothing ran: the destination was never created.
  CHECK_FALSE(fs::exists(dst));
  // -1 is --max-delete's documented "no limit".
  CHECK(run_cpsync(config, {"sync", src, dst, "--max-delete", "-1"}).code == 0);
}

TEST_CASE("wrong credentials: one line naming the remote and the keys, exit 7, nothing written",
          "[e2e]") {
  TempDir tmp;
  auto ceph = peer_env("ceph");
  auto azurite = peer_env("azurite");
  auto oss = peer_env("oss");
  const std::string bad =
      "[s3bad]\ntype = s3\nprovider = Ceph\naccess_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
      "\nsecret_access_key = WrongSecretKey0123456789abcdefghijklmnop\nendpoint = " +
      ceph["S3_ENDPOINT"] + "\nforce_path_style = true\n\n" +
      "[s3nokey]\ntype = s3\nprovider = Ceph\naccess_key_id = NOSUCHACCESSKEY00000\n"
      "secret_access_key = whatever0123456789\nendpoint = " +
      ceph["S3_ENDPOINT"] + "\nforce_path_style = true\n\n" +
      "[azbad]\ntype = azureblob\naccount = " + azurite["AZURE_ACCOUNT"] +
      "\nkey = QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5QmFkS2V5\nendpoint = " +
      azurite["AZURE_ENDPOINT"] + "\n\n" +
      "[ossbad]\ntype = oss\naccess_key_id = " + oss["OSS_ACCESS_KEY_ID"] +
      "\naccess_key_secret = wrong-oss-secret\nendpoint = " + oss["OSS_ENDPOINT"] +
      "\nregion = " + oss["OSS_REGION"] + "\n\n";
  const std::string config = peer_config(tmp, bad);
  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "payload");

  struct Peer {
    std::string good, bad, hint;
  };
  for (const Peer& p :
       {Peer{"s3", "s3bad", "secret_access_key"}, Peer{"s3", "s3nokey", "access_key_id"},
        Peer{"az", "azbad", "key"}, Peer{"oss", "ossbad", "access_key_secret"}}) {
    INFO("remote " << p.bad);
    const std::string bucket = unique_bucket("cpsync-cred");
    run_ok(config, {"mkdir", p.good + ":" + bucket});
    const std::string loc = p.bad + ":" + bucket;
    const std::vector<std::string> mentions = {"'" + p.bad, p.hint};
    expect_error(run_cpsync(config, {"ls", loc}), 7, mentions);
    expect_error(run_cpsync(config, {"lsd", p.bad + ":"}), 7, mentions);
    expect_error(run_cpsync(config, {"copy", src, loc}), 7, mentions);
    expect_error(run_cpsync(config, {"copyto", src + "/a.txt", loc + "/a.txt"}), 7, mentions);
    expect_error(run_cpsync(config, {"rcat", loc + "/r.txt"}, src + "/a.txt"), 7, mentions);
    expect_error(run_cpsync(config, {"sync", loc, tmp / "dst"}), 7, mentions);
    expect_error(run_cpsync(config, {"mkdir", p.bad + ":" + unique_bucket("cpsync-cred")}), 7,
                 mentions);
    // Nothing reached the bucket, nothing reached the local destination.
    CHECK(run_ok(config, {"ls", p.good + ":" + bucket}).out.empty());
    CHECK_FALSE(fs::exists(tmp / "dst"));
    run_ok(config, {"rmdir", p.good + ":" + bucket});
  }
}

TEST_CASE("an expired SAS in the config and expired links", "[e2e]") {
  TempDir tmp;
  auto azurite = peer_env("azurite");
  const std::string config0 = peer_config(tmp);
  const std::string bucket = unique_bucket("cpsync-sas");
  run_ok(config0, {"mkdir", "az:" + bucket});
  rcat(config0, tmp, "az:" + bucket + "/a.txt", "hello");

  auto creds = azure::make_shared_key(azurite["AZURE_ACCOUNT"], azurite["AZURE_KEY"]);
  REQUIRE(creds.ok());
  azure::ServiceSasValues v;
  v.container = bucket;
  v.permissions = "rwdl";
  v.expires_on = std::chrono::system_clock::now() - std::chrono::hours(2);
  auto token = azure::make_service_sas(v, *creds);
  REQUIRE(token.ok());
  const std::string sas_url = azurite["AZURE_ENDPOINT"] + "/" + bucket + "?" + token->query;
  const std::string config =
      peer_config(tmp, "[azsas]\ntype = azureblob\nsas_url = " + sas_url + "\n\n");
  for (const std::vector<std::string>& args : {std::vector<std::string>{"ls", "azsas:" + bucket},
                                               {"cat", "azsas:" + bucket + "/a.txt"},
                                               {"copy", "azsas:" + bucket, tmp / "dst"},
                                               {"copyto", config, "azsas:" + bucket + "/b.txt"}}) {
    INFO("cpsync " << args[0]);
    expect_error(run_cpsync(config, args), 7, {"'azsas'", "expired", "sas_url"});
  }
  CHECK_FALSE(fs::exists(tmp / "dst"));
  CHECK(run_ok(config, {"ls", "az:" + bucket}).out == "        5 a.txt\n");

  // Links (presigned S3/OSS URLs, Azure SAS) stop working at their expiry.
  std::vector<std::string> links;
  for (const std::string remote : {"s3", "oss", "az"}) {
    const std::string b = remote == "az" ? bucket : unique_bucket("cpsync-link");
    if (remote != "az") {
      run_ok(config, {"mkdir", remote + ":" + b});
      rcat(config, tmp, remote + ":" + b + "/a.txt", "hello");
    }
    auto link = run_ok(config, {"link", remote + ":" + b + "/a.txt", "--expire", "1s"});
    REQUIRE(split_lines(link.out).size() == 1);
    links.push_back(split_lines(link.out)[0]);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  for (const auto& url : links) {
    INFO(url);
    bool ok = true;
    curl_get(url, &ok);
    CHECK_FALSE(ok);
  }
  for (const std::string remote : {"s3", "oss"}) {
    auto lsd = run_ok(config, {"lsd", remote + ":"});
    for (const auto& l : split_lines(lsd.out)) {
      const std::string name = l.substr(l.rfind(' ') + 1);
      if (!name.starts_with("cpsync-link-")) continue;
      run_cpsync(config, {"delete", remote + ":" + name});
      run_cpsync(config, {"rmdir", remote + ":" + name});
    }
  }
  run_cpsync(config, {"delete", "az:" + bucket});
  run_cpsync(config, {"rmdir", "az:" + bucket});
}

TEST_CASE("missing buckets: source exit 3, one line; a missing destination bucket is created",
          "[e2e]") {
  TempDir tmp;
  const std::string config = peer_config(tmp);
  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "a");
  for (const std::string remote : {"s3", "az", "oss"}) {
    INFO(remote);
    const std::string name = unique_bucket("cpsync-absent");
    const std::string missing = remote + ":" + name;
    for (const std::string cmd : {"copy", "sync", "move", "check"}) {
      INFO(cmd);
      auto r = run_cpsync(config, {cmd, missing, tmp / "dst"});
      expect_error(r, 3, {name, "listing source"});
      CHECK((has(r.err, "not found") || has(r.err, "does not exist")));
    }
    expect_error(run_cpsync(config, {"ls", missing}), 3, {"not found"});
    expect_error(run_cpsync(config, {"cat", missing + "/a.txt"}), 3, {"not found"});
    expect_error(run_cpsync(config, {"copyto", missing + "/a.txt", tmp / "dst/a.txt"}), 3,
                 {"not found"});
    CHECK_FALSE(fs::exists(tmp / "dst"));
    // As in rclone, copying into a bucket that does not exist makes it.
    const std::string made = remote + ":" + unique_bucket("cpsync-made");
    run_ok(config, {"copy", src, made});
    CHECK(run_ok(config, {"ls", made}).out == "        1 a.txt\n");
    run_ok(config, {"delete", made});
    run_ok(config, {"rmdir", made});
  }
}

TEST_CASE("S3 keys that cannot be local file names are errors; nothing escapes the destination",
          "[e2e]") {
  TempDir tmp;
  const std::string config = peer_config(tmp);
  PeerBucket b("s3");
  const TimePoint t = std::chrono::system_clock::now();
  // a/../b would land outside a/, .. outside the destination, dir/ is a non-empty object whose
  // name ends in '/', x//y has an empty segment; f and f/g need f to be a file and a directory.
  const std::vector<std::string> bad = {"a/../b", "..", "./c", "q/.", "x//y", "dir/"};
  for (const auto& k : bad) REQUIRE(put_object(*b.remote, b.bucket, k, "bad-" + k, t).ok());
  REQUIRE(put_object(*b.remote, b.bucket, "ok.txt", "fine", t).ok());
  REQUIRE(put_object(*b.remote, b.bucket, "sub/ok2.txt", "fine too", t).ok());
  REQUIRE(put_object(*b.remote, b.bucket, "empty-marker/", "", t).ok());  // a folder: skipped

  const std::string parent = tmp / "parent";
  const std::string dst = parent + "/dst";
  auto r = run_cpsync(config, {"copy", "s3:" + b.bucket, dst});
  INFO(r.err);
  CHECK(r.code == 6);  // some transfers failed, the rest succeeded
  // One line per refused key, naming it, and the final error line.
  for (const auto& k : bad) {
    INFO(k);
    CHECK(has(r.err, "copy " + k + ": "));
  }
  CHECK(has(r.err, "cannot be a local file"));
  CHECK(error_lines(r.err).size() == 1);
  // Only the good keys, no temp files, nothing next to or above the destination.
  CHECK(tree_of(parent) ==
        std::vector<std::string>{"dst/", "dst/ok.txt", "dst/sub/", "dst/sub/ok2.txt"});
  CHECK_FALSE(fs::exists(tmp / "b"));
  CHECK_FALSE(fs::exists(tmp / "c"));
}

TEST_CASE("a full local disk: one line, no temp file left", "[e2e]") {
  TempDir tmp;
  const std::string config = peer_config(tmp);
  const std::string src = tmp / "src";
  write_file_text(src + "/big.bin", random_bytes(3 << 20, 7));
  write_file_text(src + "/small.txt", "small");
  write_file_text(tmp / "big.bin", random_bytes(3 << 20, 8));
  const std::string mnt = tmp / "tiny";
  fs::create_directories(mnt);
  // One transfer at a time: big.bin fails first (its temp file removed), then small.txt fits.
  // A 1 MiB tmpfs in a private mount namespace (unshare -r maps us to root in a user
  // namespace, so no real root is needed); it vanishes with the shell. The script prints the
  // exit code and the files left, then the marker, so stdout carries both.
  auto in_tiny_fs = [&](const std::string& cpsync_args, const std::string& stdin_file = "") {
    const std::string script = tmp / "run.sh";
    write_file_text(script, "mount -t tmpfs -o size=1m none '" + mnt + "' || exit 99\n" +
                                CPSYNC_BINARY " --config '" + config + "' " + cpsync_args +
                                (stdin_file.empty() ? "" : " < '" + stdin_file + "'") +
                                "\necho \"rc=$?\" >&2\ncd '" + mnt +
                                "' && find . -mindepth 1 | sort\n");
    TempDir io;
    const std::string cmd =
        "unshare -rm sh '" + script + "' >'" + io / "out" + "' 2>'" + io / "err" + "'";
    int status = std::system(cmd.c_str());
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file_text(io / "out");
    r.err = read_file_text(io / "err");
    return r;
  };
  auto probe = in_tiny_fs("version");
  if (probe.code != 0 || !has(probe.err, "rc=0")) {
    WARN("skipped: cannot mount a tmpfs in a user namespace here (unshare -rm): " << probe.err);
    return;
  }
  struct Case {
    std::string args, stdin_file, left;
  };
  for (const Case& c :
       {Case{"copy --transfers 1 '" + src + "' '" + mnt + "/d'", "", "./d\n./d/small.txt\n"},
        Case{"copyto '" + tmp / "big.bin" + "' '" + mnt + "/x.bin'", "", ""},
        Case{"rcat '" + mnt + "/x.bin'", tmp / "big.bin", ""}}) {
    INFO(c.args);
    auto r = in_tiny_fs(c.args, c.stdin_file);
    INFO(r.err);
    CHECK(has(r.err, "rc=2\n"));
    auto lines = error_lines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(has(lines[0], "No space left on device"));
    CHECK(r.out == c.left);  // the small file, and no partial or temp file
  }
}

TEST_CASE("invalid bucket names: one line with the naming rule, exit 1", "[e2e]") {
  TempDir tmp;
  const std::string config = peer_config(tmp);
  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "a");
  for (const std::string remote : {"s3", "az", "oss"}) {
    INFO(remote);
    const std::string loc = remote + ":BAD_Bucket";
    expect_error(run_cpsync(config, {"mkdir", loc}), 1, {"BAD_Bucket", "3-63 characters"});
    expect_error(run_cpsync(config, {"copy", src, loc}), 1, {"BAD_Bucket", "3-63 characters"});
  }
}
