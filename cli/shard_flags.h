// cli/shard_flags.h — --shard and --shards-file of copy/sync/move/check (sync/shard.h),
// turned into the run's key range. Single-threaded, at start-up.
#pragma once

#include <string>

#include "conf/config_file.h"
#include "core/status.h"
#include "sync/shard.h"

namespace CLI {
class App;
}

namespace cpsync {

struct ShardFlags {
  std::string shard;        // "K/N", "auto/N", "auto"; empty: the whole job
  std::string shards_file;  // from cpsync plan-shards; empty: the fixed rule
};

void add_shard_flags(CLI::App& cmd, ShardFlags& f);

struct ShardChoice {
  KeyRange range;     // unbounded without --shard
  std::string label;  // "shard K/N"; empty without --shard
};

// Errc::invalid_argument (a usage error) for a bad spec or file, one line each.
Result<ShardChoice> choose_shard(const ShardFlags& f, const Environment& env);

}  // namespace cpsync
