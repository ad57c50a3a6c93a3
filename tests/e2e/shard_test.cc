// tests/e2e/shard_test.cc — static shards through the cpsync binary: N shard runs of sync
// (fixed rule and a plan-shards file) leave the destination exactly as one unsharded run,
// deletes included, on local -> S3 (RGW) and OSS -> local; each shard lists only its range
// (keys listed and OSS list requests counted); plan-shards balances; --shard auto reads the
// Kubernetes, AWS Batch and Slurm variables; bad values are usage errors; an empty shard
// range at the source with objects in that range at the destination refuses to delete.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <list>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

namespace {

// 64 keys over digits, letters and punctuation, two under a directory, one non-ASCII.
std::vector<std::string> tree_keys() {
  std::vector<std::string> keys;
  const std::string firsts = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-";
  for (char c : firsts) keys.push_back(std::string(1, c) + "-obj.txt");
  keys.push_back("dir/sub/deep.txt");
  keys.push_back("\xc3\xa9t\xc3\xa9.txt");  // été.txt
  return keys;
}

void write_tree(const std::string& root, const std::vector<std::string>& keys, int variant) {
  for (size_t i = 0; i < keys.size(); ++i)
    write_file_text(root + "/" + keys[i],
                    std::string(10 + i % 7, static_cast<char>('a' + (i + variant) % 26)));
}

nlohmann::json stats_of(const RunResult& r) {
  auto lines = split_lines(r.out);
  REQUIRE(!lines.empty());
  return nlohmann::json::parse(lines.back());
}

uint64_t list_requests(const nlohmann::json& j) {
  return j["requests"].contains("list") ? j["requests"]["list"].get<uint64_t>() : 0;
}

// The old destination: every other source key with other content, plus extras to delete.
void seed_old(const std::string& config, const TempDir& tmp, const std::vector<std::string>& keys,
              const std::vector<std::string>& dsts) {
  const std::string old = tmp / "old";
  std::vector<std::string> half;
  for (size_t i = 0; i < keys.size(); i += 2) half.push_back(keys[i]);
  write_tree(old, half, 5);
  write_tree(old, {"0-extra", "M-extra", "z-extra", "~tilde-extra", "\xc3\xa9-extra"}, 1);
  for (const auto& d : dsts) run_ok(config, {"copy", old, d});
}

struct EnvVar {  // not copyable; sets a variable for the cpsync children of this test; restores it
                 // after
  std::string name;
  EnvVar(std::string n, const std::string& v) : name(std::move(n)) {
    ::setenv(name.c_str(), v.c_str(), 1);
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;
  ~EnvVar() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("shards: N shard runs equal one unsharded sync, deletes included (local -> S3)",
          "[e2e][shard]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3"));
  const auto keys = tree_keys();
  write_tree(tmp / "src", keys, 0);
  with_bucket(config, "s3", [&](const std::string& b) {
    const std::string one = "s3:" + b + "/one", many = "s3:" + b + "/many";
    seed_old(config, tmp, keys, {one, many});
    auto whole = stats_of(run_ok(config, {"sync", tmp / "src", one, "--json"}));
    CHECK(whole["deletes"] == 5);
    uint64_t deletes = 0, copies = 0, listed = 0;
    for (int k = 0; k < 4; ++k) {
      auto j = stats_of(run_ok(
          config, {"sync", tmp / "src", many, "--shard", std::to_string(k) + "/4", "--json"}));
      deletes += j["deletes"].get<uint64_t>();
      copies += j["transfers"].get<uint64_t>();
      listed += j["listed_src"].get<uint64_t>();
      CHECK(j["listed_src"].get<uint64_t>() < keys.size());  // a part, never the whole
    }
    CHECK(deletes == whole["deletes"].get<uint64_t>());
    CHECK(copies == whole["transfers"].get<uint64_t>());
    CHECK(listed == keys.size());
    const std::string want = run_ok(config, {"lsl", one}).out;
    CHECK(split_lines(want).size() == keys.size());
    CHECK(run_ok(config, {"lsl", many}).out == want);
    run_ok(config, {"check", tmp / "src", many});
    // A rerun of one shard finds its range done.
    auto again = stats_of(run_ok(config, {"sync", tmp / "src", many, "--shard", "2/4", "--json"}));
    CHECK(again["transfers"] == 0);
    CHECK(again["deletes"] == 0);
  });
}

TEST_CASE("shards: plan-shards balances, each shard lists only its range (OSS -> local)",
          "[e2e][shard]") {
  TempDir tmp;
  // 5 keys a page, so list requests show how much of the bucket each shard read.
  std::string section = oss_section("oss");
  section.insert(section.size() - 1, "list_chunk = 5\n");
  const std::string config = write_config(tmp, section + local_section("loc"));
  const auto keys = tree_keys();  // 66 keys
  write_tree(tmp / "src", keys, 0);
  with_bucket(config, "oss", [&](const std::string& b) {
    const std::string src = "oss:" + b + "/data";
    run_ok(config, {"copy", tmp / "src", src});
    const std::string plan = tmp / "plan.json";
    run_ok(config, {"plan-shards", src, "--count", "3", "-o", plan});
    auto p = nlohmann::json::parse(read_file_text(plan));
    REQUIRE(p["count"] == 3);
    REQUIRE(p["boundaries"].size() == 2);
    uint64_t objects = 0, bytes = 0;
    for (const auto& s : p["shards"]) {
      CHECK(s["objects"] == 22);  // 66 keys in 3 equal parts
      objects += s["objects"].get<uint64_t>();
      bytes += s["bytes"].get<uint64_t>();
    }
    CHECK(objects == keys.size());
    uint64_t want_bytes = 0;
    for (size_t i = 0; i < keys.size(); ++i) want_bytes += 10 + i % 7;
    CHECK(bytes == want_bytes);

    const std::string one = tmp / "one", many = tmp / "many";
    seed_old(config, tmp, keys, {one, many});
    auto whole = stats_of(run_ok(config, {"sync", src, one, "--json"}));
    CHECK(list_requests(whole) >= 14);  // 66 keys at 5 a page
    const std::vector<std::string> b_keys = p["boundaries"];
    uint64_t deletes = 0;
    for (int k = 0; k < 3; ++k) {
      // K from each engine's variable in turn.
      std::list<EnvVar> env;  // never copied: a copy's destructor would unset early
      std::vector<std::string> args = {"sync", src, many, "--shards-file", plan, "--json"};
      if (k == 0) {
        env.emplace_back("JOB_COMPLETION_INDEX", "0");
        args.insert(args.end(), {"--shard", "auto/3"});
      } else if (k == 1) {
        env.emplace_back("AWS_BATCH_JOB_ARRAY_INDEX", "1");
        args.insert(args.end(), {"--shard", "auto"});  // N from the shards file
      } else {
        env.emplace_back("SLURM_ARRAY_TASK_ID", "3");
        env.emplace_back("SLURM_ARRAY_TASK_MIN", "1");
        env.emplace_back("SLURM_ARRAY_TASK_COUNT", "3");
        args.insert(args.end(), {"--shard", "auto"});
      }
      auto j = stats_of(run_ok(config, args));
      deletes += j["deletes"].get<uint64_t>();
      CHECK(j["listed_src"] == 22);
      // 22 keys at 5 a page, plus at most one page that reaches past the range's end.
      CHECK(list_requests(j) <= 6);
      CHECK(list_requests(j) >= 5);
    }
    CHECK(deletes == whole["deletes"].get<uint64_t>());
    CHECK(run_ok(config, {"lsl", many}).out == run_ok(config, {"lsl", one}).out);
  });
}

TEST_CASE("shards: an empty shard range at the source never empties that range", "[e2e][shard]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_tree(tmp / "src", {"a1.txt", "b1.txt"}, 0);
  write_tree(tmp / "dst", {"a1.txt", "z1.txt", "zz.txt"}, 0);
  // Fixed rule, 4 shards: "a1.txt" and "b1.txt" fall in shard 2, "z1.txt" in shard 3.
  RunResult r = run_cpsync(config, {"sync", tmp / "src", tmp / "dst", "--shard", "3/4"});
  INFO("stderr: " << r.err);
  CHECK(r.code == 3);
  CHECK(r.err.find("lists no objects in shard 3/4") != std::string::npos);
  CHECK(split_lines(run_ok(config, {"ls", tmp / "dst"}).out).size() == 3);
  run_ok(config, {"sync", tmp / "src", tmp / "dst", "--shard", "2/4"});
  CHECK(split_lines(run_ok(config, {"ls", tmp / "dst"}).out).size() == 4);  // b1 copied
  run_ok(config, {"sync", tmp / "src", tmp / "dst", "--shard", "3/4", "--allow-empty-source"});
  CHECK(split_lines(run_ok(config, {"ls", tmp / "dst"}).out).size() == 2);
  CHECK(run_ok(config, {"ls", tmp / "dst"}).out.find("z1.txt") == std::string::npos);
}

TEST_CASE("shards: bad --shard values are usage errors", "[e2e][shard]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_tree(tmp / "src", {"a"}, 0);
  const std::string plan = tmp / "plan.json";
  run_ok(config, {"plan-shards", tmp / "src", "--count", "2", "-o", plan});
  const std::map<std::vector<std::string>, std::string> bad = {
      {{"--shard", "4/4"}, "outside 0..3"},
      {{"--shard=-1/4"}, "outside 0..3"},
      {{"--shard", "1/0"}, "N must be 1 to"},
      {{"--shard", "x/4"}, "K must be a whole number"},
      {{"--shard", "3"}, "give K/N"},
      {{"--shard", "auto/4"}, "no shard index in the environment"},
      {{"--shard", "auto"}, "no shard index in the environment"},
      {{"--shards-file", plan}, "--shards-file needs --shard"},
      {{"--shard", "1/3", "--shards-file", plan}, "the shards file has 2 shards"},
      {{"--shard", "0/2", "--shards-file", tmp / "none.json"}, "cannot be read"},
  };
  for (const auto& [flags, why] : bad) {
    std::vector<std::string> args = {"sync", tmp / "src", tmp / "dst"};
    args.insert(args.end(), flags.begin(), flags.end());
    RunResult r = run_cpsync(config, args);
    INFO(flags.front() << " " << flags.back() << "\nstderr: " << r.err);
    CHECK(r.code == 1);
    CHECK(r.err.find(why) != std::string::npos);
  }
  EnvVar batch("AWS_BATCH_JOB_ARRAY_INDEX", "7");
  RunResult r = run_cpsync(config, {"copy", tmp / "src", tmp / "dst", "--shard", "auto/4"});
  CHECK(r.code == 1);
  CHECK(r.err.find("outside 0..3") != std::string::npos);
  EnvVar slurm_count("SLURM_ARRAY_TASK_COUNT", "4");
  r = run_cpsync(config, {"copy", tmp / "src", tmp / "dst", "--shard", "auto"});
  CHECK(r.code == 1);  // Batch's index is taken first; Batch gives no count
  CHECK(r.err.find("give auto/N") != std::string::npos);
}
