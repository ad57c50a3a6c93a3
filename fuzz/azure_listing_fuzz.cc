// fuzz/azure_listing_fuzz.cc — libFuzzer target: Azure List Blobs and List Containers bodies
// (EnumerationResults). The first byte picks the parser; the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "remotes/azure/azure_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view xml(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    (void)cpsync::azure::parse_container_list(xml);
  } else {
    (void)cpsync::azure::parse_blob_list(xml);
  }
  return 0;
}
