'use strict';
// CRC-64/XZ as OSS computes it: the check value, streaming in odd-sized and misaligned
// pieces, and combine() (used for multipart objects) against a direct computation.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const { Crc64, crc64, combine } = require('../lib/crc64');

test('check value and empty input', () => {
  assert.strictEqual(crc64(Buffer.from('123456789')), '11051210869376104954');
  assert.strictEqual(crc64(Buffer.alloc(0)), '0');
});

test('streaming in misaligned pieces equals one pass', () => {
  const data = crypto.randomBytes(200003);
  const whole = crc64(data);
  for (const step of [1, 3, 7, 8, 13, 4096, 65537]) {
    const c = new Crc64();
    for (let i = 0; i < data.length; i += step) c.update(data.subarray(i, i + step));
    assert.strictEqual(c.digest(), whole, `step ${step}`);
  }
  assert.strictEqual(crc64(data.subarray(1)), new Crc64().update(Buffer.from(data.subarray(1))).digest());
});

test('combine(crc(A), crc(B), |B|) = crc(A||B)', () => {
  const parts = [0, 1, 5, 100 * 1024, 12345, 0, 8].map(n => crypto.randomBytes(n));
  let acc = 0n;
  let total = 0;
  for (const p of parts) {
    acc = total === 0 ? BigInt(crc64(p)) : combine(acc, crc64(p), p.length);
    total += p.length;
  }
  assert.strictEqual(acc.toString(), crc64(Buffer.concat(parts)));
});
