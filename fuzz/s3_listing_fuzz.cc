// fuzz/s3_listing_fuzz.cc — libFuzzer target: S3 ListObjectsV2 and ListAllMyBuckets bodies.
// The first byte picks the parser and encoding-type=url; the rest is the body. A parse that
// succeeds must keep its contract: entries in byte order, no key twice.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "remotes/s3/listing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string_view xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode & 4) {
    auto buckets = cpsync::s3::parse_list_buckets(xml, "fuzz");
    if (buckets.ok()) {
      for (size_t i = 1; i < buckets->size(); ++i)
        if ((*buckets)[i - 1].key > (*buckets)[i].key) __builtin_trap();
    }
    return 0;
  }
  auto page = cpsync::s3::parse_list_v2(xml, mode & 1, "fuzz");
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
