// core/crc64_nvme.cc — CRC-64/NVME (Azure's x-ms-content-crc64; see core/crc64.h). On x86-64
// CPUs with PCLMULQDQ, 64-byte blocks are folded in four 128-bit lanes by carry-less
// multiplication (the method of Intel's "Fast CRC Computation for Generic Polynomials Using
// PCLMULQDQ"), and the folded 16 bytes and the tail go through the table loop; elsewhere,
// and for short inputs, a slice-by-8 table loop. The constants are x^n mod P, computed once.
#include <array>
#include <bit>
#include <cstring>

#include "core/crc64.h"
#include "core/crypto.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cpsync {
namespace {

static_assert(std::endian::native == std::endian::little, "the loops load words little-endian");

constexpr uint64_t kPolyNormal = 0xAD93D23594C93659ULL;
constexpr uint64_t kPolyReflected = 0x9A6C9329AC4BC9B5ULL;

// t[0] is the byte-at-a-time table; t[k][b] is t[0][b] advanced k more zero bytes.
struct Tables {
  std::array<std::array<uint64_t, 256>, 8> t;
  Tables() {
    for (uint64_t b = 0; b < 256; ++b) {
      uint64_t r = b;
      for (int i = 0; i < 8; ++i) r = (r >> 1) ^ ((r & 1) ? kPolyReflected : 0);
      t[0][b] = r;
    }
    for (int k = 1; k < 8; ++k)
      for (int b = 0; b < 256; ++b) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
  }
};
const Tables& tables() {
  static const Tables kTables;
  return kTables;
}

// The register r (reflected, no inversions) continued over p[0..len).
uint64_t table_update(uint64_t r, const unsigned char* p, size_t len) {
  const auto& t = tables().t;
  for (; len >= 8; len -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    r ^= w;
    r = t[7][r & 0xFF] ^ t[6][(r >> 8) & 0xFF] ^ t[5][(r >> 16) & 0xFF] ^ t[4][(r >> 24) & 0xFF] ^
        t[3][(r >> 32) & 0xFF] ^ t[2][(r >> 40) & 0xFF] ^ t[1][(r >> 48) & 0xFF] ^ t[0][r >> 56];
  }
  for (; len > 0; --len, ++p) r = (r >> 8) ^ t[0][(r ^ *p) & 0xFF];
  return r;
}

#if defined(__x86_64__)
// x^n mod P, bit-reflected (bit j holds the coefficient of x^(63-j)).
uint64_t xpow_mod_reflected(unsigned n) {
  uint64_t v = 1;  // normal form: bit i holds x^i
  for (unsigned i = 0; i < n; ++i) v = (v << 1) ^ ((v >> 63) ? kPolyNormal : 0);
  uint64_t r = 0;
  for (int i = 0; i < 64; ++i) r |= ((v >> i) & 1) << (63 - i);
  return r;
}

// Folding a 128-bit state X (low qword: the high-degree half H, high qword: L) forward by d
// bits is H * x^(d+64) + L * x^d mod P. A carry-less product of two reflected 64-bit values
// comes out one degree up (times x), hence the exponents minus one.
struct FoldKeys {
  uint64_t by512[2], by128[2];
  FoldKeys()
      : by512{xpow_mod_reflected(512 + 64 - 1), xpow_mod_reflected(512 - 1)},
        by128{xpow_mod_reflected(128 + 64 - 1), xpow_mod_reflected(128 - 1)} {}
};

__attribute__((target("pclmul,sse2"))) inline __m128i fold(__m128i x, __m128i keys, __m128i next) {
  const __m128i hi = _mm_clmulepi64_si128(x, keys, 0x00);  // H * key[0]
  const __m128i lo = _mm_clmulepi64_si128(x, keys, 0x11);  // L * key[1]
  return _mm_xor_si128(_mm_xor_si128(hi, lo), next);
}

// len >= 64. The register r goes into the first 8 bytes (continuing a reflected CRC over more
// bytes is the same as XOR-ing its register into them and starting from zero).
__attribute__((target("pclmul,sse2"))) uint64_t clmul_update(uint64_t r, const unsigned char* p,
                                                             size_t len) {
  static const FoldKeys kKeys;
  const __m128i k512 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kKeys.by512));
  const __m128i k128 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(kKeys.by128));
  auto load = [](const unsigned char* q) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
  };
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi64_si128(static_cast<long long>(r)));
  __m128i x1 = load(p + 16), x2 = load(p + 32), x3 = load(p + 48);
  p += 64;
  len -= 64;
  for (; len >= 64; len -= 64, p += 64) {
    x0 = fold(x0, k512, load(p));
    x1 = fold(x1, k512, load(p + 16));
    x2 = fold(x2, k512, load(p + 32));
    x3 = fold(x3, k512, load(p + 48));
  }
  __m128i x = fold(x0, k128, x1);
  x = fold(x, k128, x2);
  x = fold(x, k128, x3);
  unsigned char folded[16];
  _mm_storeu_si128(reinterpret_cast<__m128i*>(folded), x);
  // The 16 folded bytes are congruent to everything read so far: their CRC is its CRC.
  return table_update(table_update(0, folded, 16), p, len);
}

bool have_clmul() {
  static const bool kHave = __builtin_cpu_supports("pclmul");
  return kHave;
}
#endif

}  // namespace

uint64_t crc64_nvme_update(uint64_t crc, const void* data, size_t len) {
  const auto* p = static_cast<const unsigned char*>(data);
#if defined(__x86_64__)
  if (len >= 256 && have_clmul()) return ~clmul_update(~crc, p, len);
#endif
  return ~table_update(~crc, p, len);
}

std::string crc64_nvme_header(uint64_t crc) {
  std::string le(8, '\0');
  for (int i = 0; i < 8; ++i) le[i] = static_cast<char>((crc >> (8 * i)) & 0xFF);
  return base64_encode(le);
}

}  // namespace cpsync
