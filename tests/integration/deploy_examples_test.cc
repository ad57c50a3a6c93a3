// tests/integration/deploy_examples_test.cc — the deployment examples in docs/deploy/ parse
// (the Kubernetes manifest with the `yaml` npm module from tests/peers/node_modules, the AWS
// Batch JSON with nlohmann, the Slurm script with bash -n) and run cpsync with --shard auto/N
// where N is the engine's own count: completions, the array size, the --array range; the
// Kubernetes queue example (k8s-queue.yaml) runs one planner Job and a worker Job of one job.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kDeploy = std::string(CPSYNC_SOURCE_DIR) + "/docs/deploy/";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs a shell command; returns its stdout and sets *code to its exit status.
std::string shell(const std::string& cmd, int* code) {
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int st = ::pclose(p);
  *code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

// The N of the "--shard auto/N" in a cpsync argument list.
int shard_count(const nlohmann::json& args) {
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--shard") {
      const std::string v = args[i + 1];
      REQUIRE(v.starts_with("auto/"));
      return std::stoi(v.substr(5));
    }
  FAIL("no --shard in " << args.dump());
  return -1;
}

}  // namespace

TEST_CASE("deploy: the Kubernetes Indexed Job runs --shard auto/<completions>", "[local][deploy]") {
  const std::string modules = std::string(CPSYNC_SOURCE_DIR) + "/tests/peers/node_modules";
  INFO("the yaml module comes with tests/peers' npm ci (scripts/install-deps)");
  REQUIRE(std::ifstream(modules + "/yaml/package.json").good());
  int code = 0;
  const std::string json =
      shell("NODE_PATH='" + modules + "' node -e \"process.stdout.write(JSON.stringify(" +
                "require('yaml').parse(require('fs').readFileSync(process.argv[1], 'utf8'), " +
                "{strict: true})))\" '" + kDeploy + "k8s-indexed-job.yaml'",
            &code);
  REQUIRE(code == 0);
  auto job = nlohmann::json::parse(json);
  CHECK(job["apiVersion"] == "batch/v1");
  CHECK(job["kind"] == "Job");
  const auto& spec = job["spec"];
  CHECK(spec["completionMode"] == "Indexed");
  const int completions = spec["completions"];
  CHECK(spec["parallelism"].get<int>() <= completions);
  const auto& c = spec["template"]["spec"]["containers"][0];
  CHECK(c["command"] == nlohmann::json::array({"cpsync"}));
  CHECK(shard_count(c["args"]) == completions);
  CHECK(spec["template"]["spec"]["restartPolicy"] == "Never");  // required of Indexed Jobs
  // Every mounted volume is declared.
  for (const auto& m : c["volumeMounts"]) {
    bool declared = false;
    for (const auto& v : spec["template"]["spec"]["volumes"]) declared |= v["name"] == m["name"];
    CHECK(declared);
  }
}

TEST_CASE("deploy: the AWS Batch array job runs --shard auto/<array size>", "[local][deploy]") {
  auto def = nlohmann::json::parse(read_all(kDeploy + "aws-batch-job-definition.json"));
  auto submit = nlohmann::json::parse(read_all(kDeploy + "aws-batch-submit-job.json"));
  CHECK(def["type"] == "container");
  const auto& cmd = def["containerProperties"]["command"];
  CHECK(cmd[0] == "cpsync");
  CHECK(submit["jobDefinition"] == def["jobDefinitionName"]);
  CHECK(shard_count(cmd) == submit["arrayProperties"]["size"].get<int>());
}

TEST_CASE("deploy: the Slurm array script runs --shard auto/<array length>", "[local][deploy]") {
  const std::string path = kDeploy + "slurm-array.sh";
  int code = 0;
  shell("bash -n '" + path + "' 2>&1", &code);
  CHECK(code == 0);
  const std::string text = read_all(path);
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex(R"(#SBATCH --array=(\d+)-(\d+)\n)")));
  const int tasks = std::stoi(m[2]) - std::stoi(m[1]) + 1;
  REQUIRE(std::regex_search(text, m, std::regex(R"(exec cpsync [^#]*--shard auto/(\d+))")));
  CHECK(std::stoi(m[1]) == tasks);
}

TEST_CASE("deploy: the Kubernetes queue example runs one planner and N workers of one job",
          "[local][deploy]") {
  const std::string modules = std::string(CPSYNC_SOURCE_DIR) + "/tests/peers/node_modules";
  REQUIRE(std::ifstream(modules + "/yaml/package.json").good());
  int code = 0;
  const std::string json =
      shell("NODE_PATH='" + modules + "' node -e \"process.stdout.write(JSON.stringify(" +
                "require('yaml').parseAllDocuments(require('fs').readFileSync(process.argv[1], " +
                "'utf8'), {strict: true}).map(d => { if (d.errors.length) throw d.errors[0]; " +
                "return d.toJSON(); })))\" '" + kDeploy + "k8s-queue.yaml'",
            &code);
  REQUIRE(code == 0);
  auto docs = nlohmann::json::parse(json);
  REQUIRE(docs.size() == 2);
  std::vector<nlohmann::json> args;
  for (const auto& job : docs) {
    CHECK(job["apiVersion"] == "batch/v1");
    CHECK(job["kind"] == "Job");  // workers too: they exit when the queue is drained
    const auto& c = job["spec"]["template"]["spec"]["containers"][0];
    CHECK(c["command"] == nlohmann::json::array({"cpsync"}));
    for (const auto& m : c["volumeMounts"]) {
      bool declared = false;
      for (const auto& v : job["spec"]["template"]["spec"]["volumes"])
        declared |= v["name"] == m["name"];
      CHECK(declared);
    }
    args.push_back(c["args"]);
  }
  auto flag = [](const nlohmann::json& a, const std::string& name) {
    for (size_t i = 0; i + 1 < a.size(); ++i)
      if (a[i] == name) return a[i + 1].get<std::string>();
    return std::string();
  };
  CHECK(flag(args[0], "--role") == "planner");
  CHECK(flag(args[1], "--role") == "worker");
  CHECK(docs[1]["spec"]["parallelism"].get<int>() > 1);
  // One job: the same queue, command, source and destination (workers check them).
  CHECK(flag(args[0], "--queue").starts_with("redis://"));
  CHECK(flag(args[0], "--queue") == flag(args[1], "--queue"));
  for (size_t i = 0; i < 5; ++i) CHECK(args[0][i] == args[1][i]);
}
