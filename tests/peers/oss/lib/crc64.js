'use strict';
// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all-ones), the checksum OSS
// returns in x-oss-hash-crc64ecma as a decimal string. Check value for "123456789" is
// 11051210869376104954. The running state is kept as two unsigned 32-bit halves so the
// per-byte loop stays in fast integer arithmetic; combine() joins the CRCs of two adjacent
// byte ranges (zlib's x^(8n) mod P method) so a multipart object's CRC needs no re-read.

const POLY_HI = 0xc96c5795; // reflected ECMA-182 polynomial 0xC96C5795D7870F42
const POLY_LO = 0xd7870f42;
const POLY = 0xc96c5795d7870f42n;
const MASK = 0xffffffffffffffffn;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Slicing-by-8 tables: T[k][b] for k = 0..7, split into hi/lo halves.
const THI = [];
const TLO = [];
for (let k = 0; k < 8; k++) {
  THI.push(new Uint32Array(256));
  TLO.push(new Uint32Array(256));
}
for (let b = 0; b < 256; b++) {
  let hi = 0;
  let lo = b;
  for (let i = 0; i < 8; i++) {
    const lsb = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (lsb) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  THI[0][b] = hi;
  TLO[0][b] = lo;
}
for (let b = 0; b < 256; b++) {
  for (let k = 1; k < 8; k++) {
    const phi = THI[k - 1][b];
    const plo = TLO[k - 1][b];
    const idx = plo & 0xff;
    TLO[k][b] = (((plo >>> 8) | (phi << 24)) ^ TLO[0][idx]) >>> 0;
    THI[k][b] = ((phi >>> 8) ^ THI[0][idx]) >>> 0;
  }
}

class Crc64 {
  constructor() {
    // Internal register (pre-inverted).
    this.hi = 0xffffffff;
    this.lo = 0xffffffff;
  }

  update(buf) {
    let hi = this.hi;
    let lo = this.lo;
    const n = buf.length;
    let i = 0;
    const T0h = THI[0], T0l = TLO[0], T1h = THI[1], T1l = TLO[1], T2h = THI[2], T2l = TLO[2];
    const T3h = THI[3], T3l = TLO[3], T4h = THI[4], T4l = TLO[4], T5h = THI[5], T5l = TLO[5];
    const T6h = THI[6], T6l = TLO[6], T7h = THI[7], T7l = TLO[7];
    // Bytes one at a time until the data is 4-byte aligned, then 8 bytes per step read as
    // two little-endian 32-bit words.
    for (; i < n && (buf.byteOffset + i) % 4 !== 0; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ T0l[idx];
      hi = (hi >>> 8) ^ T0h[idx];
    }
    const words = LITTLE_ENDIAN && n - i >= 8 ? new Uint32Array(buf.buffer, buf.byteOffset + i, (n - i) >>> 2) : null;
    if (words) {
      const steps = words.length >>> 1;
      for (let w = 0; w < 2 * steps; w += 2) {
        const a = lo ^ words[w];
        const b = hi ^ words[w + 1];
        hi = T7h[a & 0xff] ^ T6h[(a >>> 8) & 0xff] ^ T5h[(a >>> 16) & 0xff] ^ T4h[a >>> 24] ^
          T3h[b & 0xff] ^ T2h[(b >>> 8) & 0xff] ^ T1h[(b >>> 16) & 0xff] ^ T0h[b >>> 24];
        lo = T7l[a & 0xff] ^ T6l[(a >>> 8) & 0xff] ^ T5l[(a >>> 16) & 0xff] ^ T4l[a >>> 24] ^
          T3l[b & 0xff] ^ T2l[(b >>> 8) & 0xff] ^ T1l[(b >>> 16) & 0xff] ^ T0l[b >>> 24];
      }
      i += steps * 8;
    }
    for (; i < n; i++) {
      const idx = (lo ^ buf[i]) & 0xff;
      lo = (lo >>> 8) | (hi << 24);
      hi = hi >>> 8;
      lo ^= T0l[idx];
      hi ^= T0h[idx];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  // The CRC as an unsigned BigInt.
  value() {
    return ((BigInt((~this.hi) >>> 0) << 32n) | BigInt((~this.lo) >>> 0)) & MASK;
  }

  digest() {
    return this.value().toString(10);
  }
}

// Multiply a(x) * b(x) mod P in the reflected representation (x^0 in bit 63).
function multmodp(a, b) {
  let m = 1n << 63n;
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return p;
}

// X2N[k] = x^(2^k) mod P.
const X2N = [];
{
  let p = 1n << 62n; // x^1
  X2N.push(p);
  for (let k = 1; k < 64; k++) {
    p = multmodp(p, p);
    X2N.push(p);
  }
}

const x8nCache = new Map();
// x^(8 * n) mod P.
function x8nmodp(n) {
  const cached = x8nCache.get(n);
  if (cached !== undefined) return cached;
  let p = 1n << 63n; // x^0
  let k = 3;
  let m = BigInt(n);
  while (m > 0n) {
    if (m & 1n) p = multmodp(X2N[k & 63], p);
    m >>= 1n;
    k++;
  }
  if (x8nCache.size < 1024) x8nCache.set(n, p);
  return p;
}

// CRC of A||B from crcA = CRC(A), crcB = CRC(B) and lenB = |B| (BigInt or decimal string in, BigInt out).
function combine(crcA, crcB, lenB) {
  const a = BigInt(crcA);
  const b = BigInt(crcB);
  if (lenB === 0) return a;
  return multmodp(x8nmodp(lenB), a) ^ b;
}

function crc64(buf) {
  return new Crc64().update(buf).digest();
}

module.exports = { Crc64, crc64, combine };
