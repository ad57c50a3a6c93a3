// core/crc64.cc — slicing-by-16 CRC-64/XZ and zlib-style combination.
#include "core/crc64.h"

#include <charconv>
#include <cstring>

namespace cpsync {
namespace {

constexpr uint64_t kPoly = 0xC96C5795D7870F42ULL;  // ECMA-182, reflected

struct Tables {
  uint64_t t[16][256];
  Tables() {
    for (uint32_t i = 0; i < 256; ++i) {
      uint64_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kPoly : c >> 1;
      t[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; ++i)
      for (int s = 1; s < 16; ++s) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
  }
};

const Tables& tables() {
  static const Tables kTables;
  return kTables;
}

uint64_t load_le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

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
  const Tables& tb = tables();
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t c = ~crc;
  while (len && (reinterpret_cast<uintptr_t>(p) & 7)) {
    c = tb.t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    --len;
  }
  while (len >= 16) {
    const uint64_t a = c ^ load_le64(p), b = load_le64(p + 8);
    c = tb.t[15][a & 0xff] ^ tb.t[14][(a >> 8) & 0xff] ^ tb.t[13][(a >> 16) & 0xff] ^
        tb.t[12][(a >> 24) & 0xff] ^ tb.t[11][(a >> 32) & 0xff] ^ tb.t[10][(a >> 40) & 0xff] ^
        tb.t[9][(a >> 48) & 0xff] ^ tb.t[8][a >> 56] ^ tb.t[7][b & 0xff] ^
        tb.t[6][(b >> 8) & 0xff] ^ tb.t[5][(b >> 16) & 0xff] ^ tb.t[4][(b >> 24) & 0xff] ^
        tb.t[3][(b >> 32) & 0xff] ^ tb.t[2][(b >> 40) & 0xff] ^ tb.t[1][(b >> 48) & 0xff] ^
        tb.t[0][b >> 56];
    p += 16;
    len -= 16;
  }
  while (len >= 8) {
    c ^= load_le64(p);
    c = tb.t[7][c & 0xff] ^ tb.t[6][(c >> 8) & 0xff] ^ tb.t[5][(c >> 16) & 0xff] ^
        tb.t[4][(c >> 24) & 0xff] ^ tb.t[3][(c >> 32) & 0xff] ^ tb.t[2][(c >> 40) & 0xff] ^
        tb.t[1][(c >> 48) & 0xff] ^ tb.t[0][c >> 56];
    p += 8;
    len -= 8;
  }
  while (len--) c = tb.t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
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
