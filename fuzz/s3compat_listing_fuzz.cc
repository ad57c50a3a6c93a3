// fuzz/s3compat_listing_fuzz.cc — libFuzzer target: the one S3-compatible listing parser
// (remotes/s3compat/list_xml.h) that S3 and OSS share. The first byte picks what to parse: bit 2
// ListAllMyBuckets, else ListObjects with bit 0 = encoding-type=url requested, bit 1 = V1
// markers, bit 3 = url-encoded continuation tokens (OSS). The rest is the body. A parse that
// succeeds must keep its contract: entries in byte order, no key twice, a V2 page that goes on
// says where.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "remotes/s3compat/list_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  std::string_view xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode & 4) {
    auto buckets = cpsync::s3compat::parse_list_buckets(xml, "fuzz");
    if (buckets.ok()) {
      for (size_t i = 1; i < buckets->buckets.size(); ++i)
        if (buckets->buckets[i - 1].key > buckets->buckets[i].key) __builtin_trap();
    }
    return 0;
  }
  cpsync::s3compat::ListSyntax syntax;
  syntax.url_requested = mode & 1;
  syntax.version = mode & 2 ? 1 : 2;
  syntax.token_url_encoded = mode & 8;
  auto page = cpsync::s3compat::parse_list_objects(xml, syntax, "fuzz");
  if (page.ok()) {
    for (size_t i = 1; i < page->entries.size(); ++i) {
      // An object and a prefix may share a name in a malformed body (a server cannot send
      // that: the delimiter would roll the key into the prefix); the sync skips prefixes.
      const auto& a = page->entries[i - 1];
      const auto& b = page->entries[i];
      if (a.key > b.key || (a.key == b.key && a.is_dir == b.is_dir)) __builtin_trap();
    }
    if (syntax.version == 2 && page->truncated && page->next.empty()) __builtin_trap();
  }
  return 0;
}
