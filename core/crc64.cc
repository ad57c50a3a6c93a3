// core/crc64.cc — CRC-64/XZ through ISA-L (crc64_ecma_refl: PCLMULQDQ folding where the CPU
// has it, ISA-L's own table code otherwise) and zlib-style combination in GF(2).
// CRC-64/NVME is in core/crc64_nvme.cc.
#include "core/crc64.h"

#include <isa-l/crc64.h>

#include <charconv>

namespace cpsync {
namespace {

constexpr uint64_t kPoly = 0xC96C5795D7870F42ULL;  // ECMA-182, reflected

// GF(2) 64x64 matrix (columns as 64-bit words) times vector.
uint64_t gf2_times(const uint64_t* mat, uint64_t vec) {
  uint64_t sum = 0;
  for (int i = 0; vec; ++i, vec >>= 1)
    if (vec & 1) sum ^= mat[i];
  return sum;
}

void gf2_square(uint64_t* square, const uint64_t* mat) {
  for (int n = 0; n < 64; ++n) square[n] = gf2_times(mat, mat[n]);
}

}  // namespace

uint64_t crc64_update(uint64_t crc, const void* data, size_t len) {
  // ISA-L takes the finished CRC so far and applies the init/xorout inversions itself.
  return crc64_ecma_refl(crc, static_cast<const unsigned char*>(data), len);
}

uint64_t crc64_combine(uint64_t crc1, uint64_t crc2, uint64_t len2) {
  // ops[k] appends 2^k zero bytes to a CRC register; built once (32 KiB).
  struct ZeroOps {
    uint64_t ops[64][64];
    ZeroOps() {
      uint64_t one_bit[64], two[64], four[64];
      one_bit[0] = kPoly;  // the operator for one zero bit
      for (int n = 1; n < 64; ++n) one_bit[n] = uint64_t{1} << (n - 1);
      gf2_square(two, one_bit);
      gf2_square(four, two);
      gf2_square(ops[0], four);  // eight bits: one byte
      for (int k = 1; k < 64; ++k) gf2_square(ops[k], ops[k - 1]);
    }
  };
  static const ZeroOps kZero;
  for (int k = 0; len2; ++k, len2 >>= 1)
    if (len2 & 1) crc1 = gf2_times(kZero.ops[k], crc1);
  return crc1 ^ crc2;
}

std::string crc64_to_string(uint64_t crc) {
  return std::to_string(crc);
}

bool crc64_parse(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace cpsync
