// cli/shard_commands.cc — `cpsync plan-shards SRC --count N` (one listing of SRC, balanced
// key-range boundaries written to a shards file) and the --shard/--shards-file flags of the
// sync commands (cli/shard_flags.h).
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <ostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/remote_args.h"
#include "cli/shard_flags.h"
#include "remotes/resolve.h"
#include "sync/entry_stream.h"

namespace cpsync {

void add_shard_flags(CLI::App& cmd, ShardFlags& f) {
  cmd.add_option("--shard", f.shard,
                 "Do only shard K of N of the job (key ranges): K/N, auto/N or auto (K from "
                 "JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or SLURM_ARRAY_TASK_ID)");
  cmd.add_option("--shards-file", f.shards_file,
                 "Shard boundaries from cpsync plan-shards (default: a fixed rule on the keys)");
}

Result<ShardChoice> choose_shard(const ShardFlags& f, const Environment& env) {
  ShardChoice c;
  if (f.shard.empty()) {
    if (!f.shards_file.empty())
      return Status{Errc::invalid_argument, "--shards-file needs --shard (e.g. --shard auto)"};
    return c;
  }
  std::optional<ShardPlan> plan;
  if (!f.shards_file.empty()) {
    auto p = read_shard_plan(f.shards_file);
    if (!p.ok()) return Status{Errc::invalid_argument, p.status().message};
    plan = std::move(p).value();
  }
  auto getenv = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  CPSYNC_ASSIGN_OR_RETURN(ShardSpec s, parse_shard_spec(f.shard, plan ? plan->count() : 0, getenv));
  c.range = plan ? planned_shard_range(s, plan->boundaries) : fixed_shard_range(s);
  c.label = "shard " + std::to_string(s.index) + "/" + std::to_string(s.count);
  return c;
}

namespace {

int plan_shards(AppContext& ctx, const std::string& src_text, int count, const std::string& out) {
  if (count < 1 || count > 100000)
    return ctx.fail({Errc::invalid_argument, "--count must be 1 to 100000"}, kExitUsage);
  auto cfg = ctx.config();
  if (!cfg.ok()) return ctx.fail(cfg.status(), kExitFatal);
  auto src = resolve_remote(src_text, **cfg, ctx.registry());
  if (!src.ok()) return ctx.fail(src.status(), resolve_exit_code(src.status()));
  if (src->bucket.empty() && src->remote->features().buckets)
    return ctx.fail(
        {Errc::invalid_argument, src_text + ": name a bucket, e.g. " + src_text + "bucket"},
        kExitUsage);
  std::string prefix = src->prefix;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  ShardPlanner planner(count);
  {
    RemoteListing listing(*src->remote, src->bucket, prefix);
    while (const ObjectInfo* e = listing.next()) planner.add(e->key, e->size);
    if (Status st = listing.status(); !st.ok()) return ctx.fail(st.with_context(src_text));
  }
  if (planner.total_objects() == 0)
    return ctx.fail({Errc::not_found, src_text + " lists no objects: nothing to plan"});
  auto text = shard_plan_json(planner.finish(src_text));
  if (!text.ok()) return ctx.fail(text.status(), kExitError);
  if (out.empty() || out == "-") {
    ctx.out << *text;
    return kExitOk;
  }
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f << *text;
  f.close();
  if (!f) return ctx.fail({Errc::permanent, out + ": cannot be written"}, kExitError);
  return kExitOk;
}

}  // namespace

void add_shard_commands(CLI::App& app, AppContext& ctx) {
  auto* cmd = app.add_subcommand(
      "plan-shards", "List SRC once and write balanced shard boundaries for --shards-file");
  struct Args {
    std::string src, out;
    int count = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("source", a->src, "Source to plan, e.g. aws:bucket/dir")->required();
  cmd->add_option("--count", a->count, "Number of shards")->required();
  cmd->add_option("-o,--output", a->out, "Write the shards file here (default: stdout)");
  on_run(cmd, ctx, [&ctx, a] { return plan_shards(ctx, a->src, a->count, a->out); });
}

}  // namespace cpsync
