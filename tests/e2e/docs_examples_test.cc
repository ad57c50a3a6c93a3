// tests/e2e/docs_examples_test.cc — every cpsync command example in README.md, docs/*.md
// and docs/remotes/*.md runs against the peers (RGW, Azurite, the OSS test server) and
// must exit as documented (`# exit N`, else 0) and print the output shown after it. The
// remotes the docs use map to the peers; local absolute paths live under a temp root; each
// bucket an example names is created and each source it names is seeded first (the rules
// are in tests/README.md). Test-thread only.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "remotes/azure/sas.h"
#include "remotes/azure/shared_key.h"
#include "tests/e2e/cli_objects_suite.h"
#include "tests/e2e/docs_examples.h"

using namespace cpsync::testing;
using namespace cpsync::testing::docs;

namespace {

// The remotes the docs use, and the one of each kind that creates and seeds buckets.
const std::map<std::string, std::string> kRemotes = {
    {"aws", "aws"},  {"ceph", "aws"}, {"az", "az"},       {"azurite", "az"}, {"azlogs", "az"},
    {"azenv", "az"}, {"oss", "oss"},  {"osstest", "oss"}, {"disk", "disk"}};

// Commands whose first location is read (and so is seeded before the run).
const std::set<std::string> kReaders = {
    "ls",   "lsl",   "lsd",    "lsjson",  "size",   "cat",        "copy",    "sync",
    "move", "check", "copyto", "link",    "delete", "deletefile", "cleanup", "replicate",
    "lsf",  "tree",  "md5sum", "hashsum", "moveto", "purge"};

// Flags whose value is a location or file, not an argument of the command.
const std::set<std::string> kPathFlags = {"--backup-dir",  "--files-from",   "--files-from-raw",
                                          "--filter-from", "--include-from", "--exclude-from",
                                          "--state-dir",   "--config"};

// The tree a directory-like source is seeded with (small, and with something for each
// filter example to pick). A file-like source gets one object of 12 bytes.
const std::vector<std::pair<std::string, std::string>> kTree = {
    {"01/app.log", "hello, world"},
    {"02/app log with spaces.txt", std::string(1000, 'x')},
    {"a.jpg", "jpeg"},
    {"index.html", "<html></html>"},
    {"b.png", "png"},
    {"notes.txt", "notes"},
    {"cache/c.tmp", "tmp"},
    {"secret/s.txt", "secret"},
    {"photos/2024/p.jpg", "photo"}};

struct Location {
  std::string remote;  // creator remote ("aws", "az", "oss"); "" for local
  std::string bucket;
  std::string path;  // key prefix (cloud) or absolute path (local)
  std::string spec() const {
    if (remote.empty()) return path;
    return remote + ":" + bucket + (path.empty() ? "" : "/" + path);
  }
  bool file_like() const {
    std::string p = path;
    while (p.ends_with("/")) p.pop_back();
    const std::string last = p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
    return !last.empty() && last.find('.') != std::string::npos && last != "." && last != "..";
  }
};

// A word as a location, or nothing. root: where local paths live.
std::optional<Location> location_of(const Word& w, const std::string& root) {
  const std::string& v = w.value;
  if (v.starts_with("-") || v.find("no-such") != std::string::npos) return std::nullopt;
  if (v.starts_with("/")) return Location{"", "", root + v};
  if (v.starts_with("./") || v.starts_with("../")) return Location{"", "", root + "/" + v};
  const size_t colon = v.find(':');
  if (colon == std::string::npos || v.substr(0, colon).find('/') != std::string::npos)
    return std::nullopt;
  auto r = kRemotes.find(v.substr(0, colon));
  if (r == kRemotes.end()) return std::nullopt;
  const std::string rest = v.substr(colon + 1);
  if (r->second == "disk") return Location{"", "", root + rest};
  const size_t slash = rest.find('/');
  Location l{r->second, rest.substr(0, slash),
             slash == std::string::npos ? "" : rest.substr(slash + 1)};
  if (r->first == "azlogs" && l.bucket.empty()) return std::nullopt;
  return l;
}

// The command line with local absolute paths moved under root.
std::string rewrite_paths(const std::string& cmd, const std::string& root) {
  std::string out = cmd;
  std::vector<std::pair<size_t, std::string>> inserts;
  for (size_t at : cpsync_calls(cmd)) {
    for (const Word& w : words_from(cmd, at)) {
      if (w.quoted) continue;
      if (w.value.starts_with("/"))
        inserts.emplace_back(w.begin, root);
      else if (w.value.starts_with("disk:/"))
        inserts.emplace_back(w.begin + 5, root);
    }
  }
  std::sort(inserts.rbegin(), inserts.rend());
  for (auto& [pos, text] : inserts) out.insert(pos, text);
  return out;
}

// What one example needs before it runs: the buckets it names, and its source unless an
// earlier example wrote there (written: every location but a reading command's source,
// and mkdir's).
void plan(const Example& e, const std::string& root,
          std::set<std::pair<std::string, std::string>>& buckets, std::vector<Location>& sources,
          std::vector<std::string>& written) {
  for (size_t at : cpsync_calls(e.cmd)) {
    const std::vector<Word> words = words_from(e.cmd, at);
    std::string command;
    bool source_seen = false;
    for (size_t i = 0; i < words.size(); ++i) {
      const Word& w = words[i];
      const bool path_value = i > 0 && kPathFlags.count(words[i - 1].value);
      if (command.empty() && !w.value.starts_with("-") && !path_value) {
        command = w.value;
        continue;
      }
      auto loc = location_of(w, root);
      if (!loc) continue;
      if (!loc->remote.empty() && !loc->bucket.empty() &&
          loc->bucket.find('$') == std::string::npos)
        buckets.insert({loc->remote, loc->bucket});
      const std::string spec = loc->spec();
      if (!path_value && !source_seen && kReaders.count(command)) {
        source_seen = true;
        const bool after_write = std::any_of(written.begin(), written.end(), [&](auto& d) {
          return spec == d || spec.starts_with(d.ends_with("/") ? d : d + "/");
        });
        if (!after_write && !w.expands && (loc->remote.empty() || !loc->bucket.empty()))
          sources.push_back(*loc);
        continue;
      }
      if (!path_value) source_seen = true;
      if (command != "mkdir") written.push_back(spec);  // mkdir makes no object
    }
  }
}

std::string config_text(const std::string& root) {
  auto az = peer_env("azurite");
  auto creds = cpsync::azure::make_shared_key(az["AZURE_ACCOUNT"], az["AZURE_KEY"]);
  REQUIRE(creds.ok());
  cpsync::azure::ServiceSasValues v;
  v.container = "logs";
  v.permissions = "racwdl";
  v.expires_on = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now() + std::chrono::hours(2));
  auto sas = cpsync::azure::make_service_sas(v, *creds);
  REQUIRE(sas.ok());
  (void)root;
  return s3_section("aws") + s3_section("ceph") + azure_section("az") + azure_section("azurite") +
         oss_section("oss") + oss_section("osstest") + local_section("disk") +
         "[azlogs]\ntype = azureblob\nsas_url = " + az["AZURE_ENDPOINT"] + "/logs?" + sas->query +
         "\n\n[azenv]\ntype = azureblob\nenv_auth = true\nendpoint = " + az["AZURE_ENDPOINT"] +
         "\n\n";
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string where(const Example& e) {
  return e.file + ":" + std::to_string(e.line) + ": `" + e.cmd + "`";
}

}  // namespace

TEST_CASE("every command example in the docs runs as documented", "[e2e][docs]") {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string src = CPSYNC_SOURCE_DIR;
  std::vector<std::string> files = {"README.md"};
  for (const std::string dir : {"docs", "docs/remotes"}) {
    std::vector<std::string> found;
    for (auto& f : std::filesystem::directory_iterator(src + "/" + dir))
      if (f.path().extension() == ".md") found.push_back(dir + "/" + f.path().filename().string());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  std::vector<Example> examples;
  int synopses = 0;
  for (const auto& f : files) {
    auto ex = extract(src, f, &synopses);
    examples.insert(examples.end(), ex.begin(), ex.end());
  }
  const auto checked =
      std::count_if(examples.begin(), examples.end(), [](const Example& e) { return e.checked; });
  // The docs hold well over this many: finding fewer means the extraction broke.
  REQUIRE(checked >= 30);

  TempDir tmp;
  const std::string root = tmp / "root";
  std::filesystem::create_directories(root);
  const std::string config = write_config(tmp, config_text(root));

  // Create every bucket the examples name (emptied first: a failed earlier run may have
  // left objects), then seed each source.
  std::set<std::pair<std::string, std::string>> buckets;
  std::vector<Location> sources;
  std::vector<std::string> written;
  for (const Example& e : examples)
    if (e.not_run.empty()) plan(e, root, buckets, sources, written);
  for (const auto& [remote, bucket] : buckets) {
    run_cpsync(config, {"delete", remote + ":" + bucket});
    run_ok(config, {"mkdir", remote + ":" + bucket});
  }
  for (const auto& [key, data] : kTree) write_file_text(tmp / ("tree/" + key), data);
  std::set<std::string> seeded_dirs;
  for (const Location& l : sources) {
    const std::string spec = l.spec();
    if (l.file_like()) {
      run_ok(config, {"copyto", tmp / "tree/01/app.log", spec});
      continue;
    }
    if (!seeded_dirs.insert(spec).second) continue;
    run_ok(config, {"copy", tmp / "tree", spec});
  }

  int not_run = 0;
  std::string not_run_list;
  for (const Example& e : examples) {
    if (!e.not_run.empty()) {
      ++not_run;
      not_run_list += "\n  " + e.file + ":" + std::to_string(e.line) + " (" + e.not_run + ")";
      continue;
    }
    std::string script = "set -o pipefail\ncpsync() { " + shell_quote(CPSYNC_BINARY) +
                         " --config " + shell_quote(config) + " \"$@\"; }\ncd " +
                         shell_quote(root) + " || exit 99\n";
    for (const auto& x : e.exports) script += x + "\n";
    script += rewrite_paths(e.cmd, root) + "\n";
    RunResult r = run_argv({"/bin/bash", "-c", script});
    if (r.code != e.want_exit) {
      FAIL_CHECK(where(e) << " exited " << r.code << ", documented " << e.want_exit
                          << "\nstdout: " << r.out << "\nstderr: " << r.err);
      continue;
    }
    std::vector<std::string> actual = split_lines(r.out);
    for (auto& l : split_lines(r.err)) actual.push_back(l);
    if (!output_matches(e.output, actual)) {
      std::string shown;
      for (auto& l : e.output) shown += "\n  " + l;
      FAIL_CHECK(where(e) << " printed other output than documented:" << shown
                          << "\nstdout: " << r.out << "\nstderr: " << r.err);
    }
  }

  for (const auto& [remote, bucket] : buckets) {
    run_cpsync(config, {"delete", remote + ":" + bucket});
    run_cpsync(config, {"rmdir", remote + ":" + bucket});
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WARN(checked - not_run << " doc examples run from " << files.size() << " files, " << synopses
                         << " synopsis lines skipped, " << not_run << " marked not run in tests"
                         << not_run_list << "; " << buckets.size() << " buckets, " << sources.size()
                         << " sources seeded; " << secs << " s");
}
