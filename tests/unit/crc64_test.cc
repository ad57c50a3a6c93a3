// tests/unit/crc64_test.cc — CRC-64/XZ (OSS x-oss-hash-crc64ecma) through ISA-L and CRC-64/NVME
// (Azure x-ms-content-crc64): catalogue check values, values the providers publish, a bitwise
// reference, and combine.
#include <catch2/catch.hpp>

#include <string>

#include "core/crc64.h"

using namespace cpsync;

namespace {
// Bit-at-a-time reference, independent of the table code.
uint64_t slow_crc(const std::string& s, uint64_t poly = 0xC96C5795D7870F42ULL) {
  uint64_t c = ~0ULL;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
  }
  return ~c;
}
constexpr uint64_t kNvmePolyReflected = 0x9A6C9329AC4BC9B5ULL;
std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    s[i] = static_cast<char>(seed >> 16);
  }
  return s;
}
}  // namespace

TEST_CASE("crc64 check value", "[crc64]") {
  CHECK(crc64("123456789") == 0x995DC9BBDF1939FAULL);
  CHECK(crc64("123456789") == 11051210869376104954ULL);
  CHECK(crc64("") == 0);
  CHECK(crc64_to_string(crc64("123456789")) == "11051210869376104954");
  uint64_t v = 0;
  CHECK(crc64_parse("11051210869376104954", v));
  CHECK(v == 0x995DC9BBDF1939FAULL);
  CHECK_FALSE(crc64_parse("12a", v));
  CHECK_FALSE(crc64_parse("", v));
  CHECK_FALSE(crc64_parse("99999999999999999999999", v));
}

TEST_CASE("crc64 equals the value Alibaba's OSS SDK publishes", "[crc64]") {
  // aliyun-oss-csharp-sdk's OssCrcTest.TestCrcCore: "This is a test." -> 2186167744391481992.
  CHECK(crc64("This is a test.") == 2186167744391481992ULL);
  CHECK(crc64_to_string(crc64("This is a test.")) == "2186167744391481992");
}

TEST_CASE("crc64 matches bitwise reference at every alignment and length", "[crc64]") {
  std::string data = pattern(1100, 7);  // offsets 0..8 + 1090 fit
  for (size_t off = 0; off < 9; ++off)
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 31u, 32u, 63u, 64u, 127u, 128u, 129u,
                       255u, 256u, 1000u, 1090u}) {
      std::string s = data.substr(off, len);
      INFO("off " << off << " len " << len);
      CHECK(crc64(s) == slow_crc(s));
    }
}

TEST_CASE("crc64 incremental equals one shot", "[crc64]") {
  std::string data = pattern(100000, 3);
  Crc64 c;
  size_t pos = 0, step = 1;
  while (pos < data.size()) {
    size_t n = std::min(step, data.size() - pos);
    c.update(data.data() + pos, n);
    pos += n;
    step = step * 3 + 1;
  }
  CHECK(c.value() == crc64(data));
}

TEST_CASE("crc64_combine equals the crc of the whole", "[crc64]") {
  std::string data = pattern(300001, 11);
  uint64_t whole = crc64(data);
  for (size_t cut : {0u, 1u, 8u, 100u, 65536u, 150000u, 300000u, 300001u}) {
    INFO("cut " << cut);
    uint64_t a = crc64(std::string_view(data).substr(0, cut));
    uint64_t b = crc64(std::string_view(data).substr(cut));
    CHECK(crc64_combine(a, b, data.size() - cut) == whole);
  }
  // Three parts folded left to right, as a multipart upload does.
  std::string_view v(data);
  uint64_t acc = 0;
  for (size_t off : {0u, 102400u, 204800u}) {
    std::string_view part = v.substr(off, off == 204800u ? std::string_view::npos : 102400u);
    acc = crc64_combine(acc, crc64(part), part.size());
  }
  CHECK(acc == whole);
}

TEST_CASE("crc64 nvme: the catalogue check value and what Azure returns", "[crc64]") {
  // CRC-64/NVME in the CRC catalogue (also Azurite's source comment): "123456789".
  CHECK(crc64_nvme("123456789") == 0xAE8B14860A799888ULL);
  CHECK(crc64_nvme("") == 0);
  // Real Azure's x-ms-content-crc64 for a Put Blob of "Hello World", as recorded in
  // azure-sdk-for-js (storage-blob recordings, syncuploadfromurl): YeJLfssylmU=.
  CHECK(crc64_nvme("Hello World") == 0x659632CB7E4BE261ULL);
  CHECK(crc64_nvme_header(crc64_nvme("Hello World")) == "YeJLfssylmU=");
  // ECMA (OSS) and NVMe (Azure) are different CRCs.
  CHECK(crc64_nvme("123456789") != crc64("123456789"));
}

TEST_CASE("crc64 nvme matches a bitwise reference at every alignment and length", "[crc64]") {
  // Below 256 bytes the table loop; from 256 the carry-less folding (64-byte blocks) plus
  // the table loop for the folded state and the tail.
  std::string data = pattern(5000, 5);
  for (size_t off = 0; off < 9; ++off)
    for (size_t len : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 63u, 64u, 65u, 255u, 256u, 257u, 319u,
                       320u, 383u, 511u, 512u, 1000u, 1090u, 4096u + 15u}) {
      std::string s = data.substr(off, len);
      INFO("off " << off << " len " << len);
      CHECK(crc64_nvme(s) == slow_crc(s, kNvmePolyReflected));
    }
  // Continued over pieces of odd sizes, as a part is hashed chunk by chunk.
  std::string big = pattern(200003, 9);
  uint64_t c = 0;
  for (size_t pos = 0, step = 1; pos < big.size(); pos += step, step = step * 5 + 3)
    c = crc64_nvme_update(c, big.data() + pos, std::min(step, big.size() - pos));
  CHECK(c == crc64_nvme(big));
  CHECK(c == slow_crc(big, kNvmePolyReflected));
}
