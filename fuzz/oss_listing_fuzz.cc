// fuzz/oss_listing_fuzz.cc — libFuzzer target: OSS ListObjects (V1 and V2) bodies. A parse that
// succeeds must keep its contract: entries merged in strictly increasing byte order.
#include <cstddef>
#include <cstdint>
#include <string>

#include "remotes/oss/list_page.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  auto page = cpsync::oss::parse_list_page(body, "fuzz");
  if (page.ok()) {
    for (size_t i = 1; i < page->entries.size(); ++i)
      if (!(page->entries[i - 1].key < page->entries[i].key)) __builtin_trap();
  }
  return 0;
}
