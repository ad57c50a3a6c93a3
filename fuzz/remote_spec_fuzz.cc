// fuzz/remote_spec_fuzz.cc — libFuzzer target: remote specs (`name:bucket/path`, local paths)
// against a config with one remote of each type. A cloud spec that parses has a bucket
// without '/' and a path without empty, '.' or '..' segments.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "conf/config_file.h"
#include "conf/remote_spec.h"
#include "remotes/registry.h"

namespace {

const cpsync::Config& config() {
  static const cpsync::Config c = [] {
    auto r = cpsync::parse_config(
        "[aws]\ntype = s3\n[az]\ntype = azureblob\naccount = a\nkey = a2V5\n"
        "[oss]\ntype = oss\nendpoint = http://127.0.0.1:1\n[disk]\ntype = local\n",
        "fuzz.conf", {}, cpsync::builtin_remotes().schemas());
    if (!r.ok()) __builtin_trap();
    return std::move(r).value();
  }();
  return c;
}

bool bad_path(std::string_view p) {
  if (p.empty()) return false;
  if (p.front() == '/' || p.back() == '/') return true;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto spec = cpsync::parse_remote_spec(text, config());
  if (!spec.ok()) {
    if (spec.status().message.find('\n') != std::string::npos) __builtin_trap();  // one line
    return 0;
  }
  if (spec->is_local) {
    if (spec->path.empty() || spec->path.front() != '/') __builtin_trap();
    return 0;
  }
  if (spec->bucket.find('/') != std::string::npos) __builtin_trap();
  if (spec->bucket == "." || spec->bucket == "..") __builtin_trap();
  if (bad_path(spec->path)) __builtin_trap();
  if (spec->bucket.empty() && !spec->path.empty()) __builtin_trap();
  return 0;
}
