// fuzz/oss_listing_fuzz.cc — libFuzzer target: OSS ListObjects (V1 and V2) bodies. A parse that
// succeeds must keep its contract: entries merged in byte order, no key twice.
#include <cstddef>
#include <cstdint>
#include <string>

#include "remotes/oss/list_page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto page = cpsync::oss::parse_list_page(body, "fuzz");
  if (page.ok()) {
    for (size_t i = 1; i < page->entries.size(); ++i) {
      // An object and a prefix may share a name in a malformed body (a server cannot send
      // that: the delimiter would roll the key into the prefix); the sync skips prefixes.
      const auto& a = page->entries[i - 1];
      const auto& b = page->entries[i];
      if (a.key > b.key || (a.key == b.key && a.is_dir == b.is_dir)) __builtin_trap();
    }
  }
  return 0;
}
