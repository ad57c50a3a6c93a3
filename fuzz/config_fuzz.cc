// fuzz/config_fuzz.cc — libFuzzer target: the INI config parser with the built-in backends'
// schemas, then every remote built through its factory (option parsing). A config that
// loads has only valid remote names, each with a type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conf/config_file.h"
#include "remotes/registry.h"
#include "remotes/resolve.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const cpsync::Environment env;
  auto cfg = cpsync::parse_config(text, "fuzz.conf", env, cpsync::builtin_remotes().schemas());
  if (!cfg.ok()) return 0;
  for (const auto& r : cfg->remotes) {
    if (!cpsync::valid_remote_name(r.name) || r.type.empty()) __builtin_trap();
    (void)cpsync::resolve_remote(r.name + ":bucket/key", *cfg, cpsync::builtin_remotes());
  }
  return 0;
}
