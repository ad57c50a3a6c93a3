'use strict';
// The OSS peer behaves like OSS where cpsync could go wrong: listings in UTF-8 byte order
// with correct pagination (V1 markers, V2 tokens, delimiters, encoding-type=url), OSS range
// semantics, multipart completion rules and ETags, CRC-64 on every write, copy metadata
// directives, and data that survives a restart.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const { startServer, client, raw, signV1, escapeKey } = require('./helpers');
const { crc64 } = require('../lib/crc64');

let srv;
const BUCKET = 'behave';
test.before(async () => {
  srv = await startServer();
  await client(srv).putBucket(BUCKET);
});
test.after(async () => {
  await srv.stop();
});

const c = () => client(srv, { bucket: BUCKET });
const md5hex = b => crypto.createHash('md5').update(b).digest('hex');

function byteSorted(keys) {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

test('listing: > 1000 keys in UTF-8 byte order, V1 and V2 pagination, delimiter, url encoding', async () => {
  const keys = [];
  for (let i = 0; i < 1030; i++) keys.push(`many/${String(i).padStart(4, '0')}`);
  // Keys whose UTF-16 order differs from their UTF-8 byte order, plus awkward characters.
  keys.push('odd/\uff61', 'odd/\u{1f600}', 'odd/a b', 'odd/a+b', 'odd/a%2Fb', 'odd/x&y=z?#~', 'odd/dir//double', 'odd/sub/inner', 'odd/\u00e9');
  const cl = c();
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map(k => cl.put(k, Buffer.from(k))));
  const expected = byteSorted(keys);

  // V2, 1000 per page.
  const v2 = [];
  let token;
  let pages = 0;
  do {
    const r = await cl.listV2({ 'max-keys': 1000, ...(token ? { 'continuation-token': token } : {}) });
    v2.push(...r.objects.map(o => o.name));
    token = r.nextContinuationToken;
    pages++;
    assert.strictEqual(r.isTruncated, Boolean(token));
  } while (token);
  assert.strictEqual(pages, 2);
  assert.deepStrictEqual(v2, expected);

  // V1 with markers, small pages.
  const v1 = [];
  let marker;
  do {
    const r = await cl.list({ 'max-keys': 333, ...(marker ? { marker } : {}) });
    v1.push(...r.objects.map(o => o.name));
    marker = r.isTruncated ? r.nextMarker : null;
  } while (marker);
  assert.deepStrictEqual(v1, expected);

  // Delimiter: common prefixes count against max-keys and are not repeated across pages.
  const seen = [];
  marker = null;
  do {
    const r = await cl.list({ prefix: 'odd/', delimiter: '/', 'max-keys': 2, ...(marker ? { marker } : {}) });
    seen.push(...r.objects.map(o => o.name), ...(r.prefixes || []));
    marker = r.isTruncated ? r.nextMarker : null;
  } while (marker);
  assert.deepStrictEqual(seen.sort(), ['odd/\u00e9', 'odd/\uff61', 'odd/\u{1f600}', 'odd/a b', 'odd/a%2Fb', 'odd/a+b', 'odd/dir/', 'odd/sub/', 'odd/x&y=z?#~'].sort());

  // encoding-type=url returns encoded keys and prefixes.
  const h = signV1({ method: 'GET', bucket: BUCKET });
  const r = await raw(srv, { path: `/${BUCKET}/`, query: 'prefix=odd%2F&delimiter=%2F&encoding-type=url&list-type=2', headers: h });
  const body = r.body.toString();
  assert.match(body, /<EncodingType>url<\/EncodingType>/);
  assert.match(body, /<Key>odd\/a%20b<\/Key>/);
  assert.match(body, /<Key>odd\/a%2Bb<\/Key>/);
  assert.match(body, /<Key>odd\/x%26y%3Dz%3F%23~<\/Key>/);
  assert.match(body, /<Prefix>odd\/dir\/<\/Prefix>/);
  assert.match(body, /<KeyCount>9<\/KeyCount>/);

  // start-after and max-keys limits.
  const sa = await cl.listV2({ 'start-after': 'many/1028', 'max-keys': 2 });
  assert.deepStrictEqual(sa.objects.map(o => o.name), ['many/1029', expected[1030]]);
  await assert.rejects(cl.listV2({ 'max-keys': 1001 }), e => e.status === 400 && e.code === 'InvalidArgument');
  const keys2 = await cl.deleteMulti(keys.slice(0, 1000), { quiet: true });
  assert.strictEqual(keys2.res.status, 200);
  await cl.deleteMulti(keys.slice(1000), { quiet: true });
  assert.strictEqual((await cl.listV2({})).objects.length, 0);
});

test('ranges: 206 inside, OSS default 200 for invalid ranges, 416 with x-oss-range-behavior: standard', async () => {
  const cl = c();
  const data = Buffer.from('0123456789');
  await cl.put('range.bin', data);
  const get = async (range, standard) => {
    const headers = { Range: range };
    if (standard) headers['x-oss-range-behavior'] = 'standard';
    return raw(srv, { path: `/${BUCKET}/range.bin`, headers: signV1({ method: 'GET', bucket: BUCKET, key: 'range.bin', headers }) });
  };
  let r = await get('bytes=2-4');
  assert.strictEqual(r.status, 206);
  assert.strictEqual(r.body.toString(), '234');
  assert.strictEqual(r.headers['content-range'], 'bytes 2-4/10');
  assert.strictEqual(r.headers['x-oss-hash-crc64ecma'], crc64(data));
  r = await get('bytes=-3');
  assert.strictEqual(r.body.toString(), '789');
  r = await get('bytes=7-');
  assert.strictEqual(r.body.toString(), '789');
  r = await get('bytes=10-20');
  assert.strictEqual(r.status, 200);
  assert.strictEqual(r.body.toString(), '0123456789');
  r = await get('bytes=5-20');
  assert.strictEqual(r.status, 200);
  r = await get('bytes=10-20', true);
  assert.strictEqual(r.status, 416);
  assert.match(r.body.toString(), /<Code>InvalidRange<\/Code>/);
  r = await get('bytes=5-20', true);
  assert.strictEqual(r.status, 206);
  assert.strictEqual(r.body.toString(), '56789');
  await cl.put('empty', Buffer.alloc(0));
  const e = await raw(srv, { path: `/${BUCKET}/empty`, headers: signV1({ method: 'GET', bucket: BUCKET, key: 'empty' }) });
  assert.strictEqual(e.status, 200);
  assert.strictEqual(e.headers['content-length'], '0');
  assert.strictEqual(e.headers['x-oss-hash-crc64ecma'], '0');
  assert.strictEqual(e.headers.etag, '"D41D8CD98F00B204E9800998ECF8427E"');
});

test('multipart: EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchUpload, ETag and CRC of the whole', async () => {
  const cl = c();
  const small = crypto.randomBytes(100 * 1024 - 1);
  const big = crypto.randomBytes(100 * 1024);
  let { uploadId } = await cl.initMultipartUpload('mp', { meta: { md5chksum: 'abc' } });
  const p1 = await cl.uploadPart('mp', uploadId, 1, small, 0, small.length);
  const p2 = await cl.uploadPart('mp', uploadId, 2, big, 0, big.length);
  assert.strictEqual(p1.res.headers['x-oss-hash-crc64ecma'], crc64(small));
  await assert.rejects(
    cl.completeMultipartUpload('mp', uploadId, [{ number: 1, etag: p1.etag }, { number: 2, etag: p2.etag }]),
    e => e.status === 400 && e.code === 'EntityTooSmall'
  );
  await assert.rejects(
    cl.completeMultipartUpload('mp', uploadId, [{ number: 2, etag: p1.etag }]),
    e => e.status === 400 && e.code === 'InvalidPart'
  );
  await assert.rejects(
    cl.completeMultipartUpload('mp', uploadId, [{ number: 3, etag: p2.etag }]),
    e => e.status === 400 && e.code === 'InvalidPart'
  );
  // Re-upload part 1 big enough; parts out of order are refused.
  const p1b = await cl.uploadPart('mp', uploadId, 1, big, 0, big.length);
  // (ali-oss sorts the list itself, so this one goes out raw.)
  const xml = `<CompleteMultipartUpload><Part><PartNumber>2</PartNumber><ETag>${p2.etag}</ETag></Part><Part><PartNumber>1</PartNumber><ETag>${p1b.etag}</ETag></Part></CompleteMultipartUpload>`;
  const ro = await raw(srv, {
    method: 'POST',
    path: `/${BUCKET}/mp`,
    query: `uploadId=${uploadId}`,
    headers: signV1({ method: 'POST', bucket: BUCKET, key: 'mp', subres: { uploadId } }),
    body: xml,
  });
  assert.strictEqual(ro.status, 400);
  assert.match(ro.body.toString(), /<Code>InvalidPartOrder<\/Code>/);
  // The last part may be small; ETag is md5 of the part md5s, uppercase, -N.
  const p3 = await cl.uploadPart('mp', uploadId, 3, small, 0, small.length);
  const parts = await cl.listParts('mp', uploadId, { 'max-parts': 2 });
  assert.strictEqual(String(parts.isTruncated), 'true');
  assert.deepStrictEqual(parts.parts.map(p => Number(p.PartNumber)), [1, 2]);
  const rest = await cl.listParts('mp', uploadId, { 'part-number-marker': parts.nextPartNumberMarker });
  assert.deepStrictEqual([].concat(rest.parts).map(p => Number(p.PartNumber)), [3]);
  const done = await cl.completeMultipartUpload('mp', uploadId, [
    { number: 1, etag: p1b.etag },
    { number: 2, etag: p2.etag },
    { number: 3, etag: p3.etag },
  ]);
  const whole = Buffer.concat([big, big, small]);
  const want = crypto.createHash('md5').update(Buffer.concat([big, big, small].map(b => crypto.createHash('md5').update(b).digest()))).digest('hex').toUpperCase();
  assert.strictEqual(done.res.headers['x-oss-hash-crc64ecma'], crc64(whole));
  const head = await cl.head('mp');
  assert.strictEqual(head.res.headers.etag, `"${want}-3"`);
  assert.strictEqual(head.res.headers['x-oss-object-type'], 'Multipart');
  assert.strictEqual(head.res.headers['content-md5'], undefined);
  assert.strictEqual(head.meta.md5chksum, 'abc');
  assert.deepStrictEqual((await cl.get('mp')).content, whole);
  // The upload is gone.
  await assert.rejects(cl.listParts('mp', uploadId), e => e.status === 404 && e.code === 'NoSuchUpload');
  // Abort leaves nothing behind.
  ({ uploadId } = await cl.initMultipartUpload('aborted'));
  await cl.uploadPart('aborted', uploadId, 1, big, 0, big.length);
  await cl.abortMultipartUpload('aborted', uploadId);
  await assert.rejects(cl.uploadPart('aborted', uploadId, 2, big, 0, big.length), e => e.code === 'NoSuchUpload');
  await assert.rejects(cl.head('aborted'), e => e.status === 404);
  assert.strictEqual((await cl.listUploads({})).uploads.length, 0);
  await assert.rejects(cl.uploadPart('mp2', 'NOPE', 1, big, 0, big.length), e => e.code === 'NoSuchUpload');
  ({ uploadId } = await cl.initMultipartUpload('badpart'));
  await assert.rejects(cl.uploadPart('badpart', uploadId, 10001, big, 0, 10), e => e.status === 400 && e.code === 'InvalidArgument');
  await cl.abortMultipartUpload('badpart', uploadId);
});

test('copy: COPY keeps metadata, REPLACE takes the new one, CRC and ETag follow the data', async () => {
  const cl = c();
  const data = Buffer.from('copy me');
  await cl.put('src key+%.txt', data, { meta: { mtime: '1.5' }, mime: 'text/plain' });
  const r1 = await cl.copy('dst1', 'src key+%.txt');
  assert.strictEqual(r1.res.headers['x-oss-hash-crc64ecma'], crc64(data));
  assert.strictEqual(r1.data.etag.replace(/"/g, ''), md5hex(data).toUpperCase());
  let h = await cl.head('dst1');
  assert.strictEqual(h.meta.mtime, '1.5');
  assert.strictEqual(h.res.headers['content-type'], 'text/plain');
  await cl.copy('dst2', 'src key+%.txt', { meta: { other: 'x' }, headers: { 'x-oss-metadata-directive': 'REPLACE', 'Content-Type': 'application/x-test' } });
  h = await cl.head('dst2');
  assert.strictEqual(h.meta.mtime, undefined);
  assert.strictEqual(h.meta.other, 'x');
  assert.strictEqual(h.res.headers['content-type'], 'application/x-test');
  await assert.rejects(cl.copy('dst3', 'missing'), e => e.status === 404 && e.code === 'NoSuchKey');
  // Deleting the source does not disturb the copies.
  await cl.delete('src key+%.txt');
  assert.deepStrictEqual((await cl.get('dst1')).content, data);
});

test('user metadata round trip and CRC-64 headers on every write', async () => {
  const cl = c();
  const data = Buffer.from('metadata');
  const put = await cl.put('meta', data, { meta: { mtime: '1700000000.123456789', MixedCase: 'Value With Spaces' } });
  assert.strictEqual(put.res.headers['x-oss-hash-crc64ecma'], crc64(data));
  const r = await raw(srv, { method: 'HEAD', path: `/${BUCKET}/meta`, headers: signV1({ method: 'HEAD', bucket: BUCKET, key: 'meta' }) });
  assert.strictEqual(r.headers['x-oss-meta-mtime'], '1700000000.123456789');
  assert.strictEqual(r.headers['x-oss-meta-mixedcase'], 'Value With Spaces');
  assert.strictEqual(r.headers['x-oss-hash-crc64ecma'], crc64(data));
  assert.strictEqual(r.headers['content-length'], String(data.length));
  assert.ok(r.headers['last-modified']);
  assert.strictEqual(r.body.length, 0);
  // A key with characters that need escaping, put raw.
  const key = 'raw/ü +=&?#~.txt';
  const h = signV1({ method: 'PUT', bucket: BUCKET, key, headers: { 'x-oss-meta-md5chksum': 'q' } });
  const p = await raw(srv, { method: 'PUT', path: `/${BUCKET}/${escapeKey(key)}`, headers: h, body: 'r' });
  assert.strictEqual(p.status, 200);
  assert.strictEqual((await cl.get(key)).content.toString(), 'r');
});

test('CopyObject refuses sources above the copy limit; UploadPartCopy works', async () => {
  const small = await startServer({ args: ['--copy-limit', String(150 * 1024)] });
  try {
    await client(small).putBucket('lim');
    const cl = client(small, { bucket: 'lim' });
    const data = crypto.randomBytes(200 * 1024);
    await cl.put('src', data);
    await assert.rejects(cl.copy('dst', 'src'), e => e.status === 400 && e.code === 'EntityTooLarge');
    const { uploadId } = await cl.initMultipartUpload('dst');
    const a = await cl.uploadPartCopy('dst', uploadId, 1, `0-${120 * 1024 - 1}`, { sourceKey: 'src', sourceBucketName: 'lim' });
    const b = await cl.uploadPartCopy('dst', uploadId, 2, `${120 * 1024}-${data.length - 1}`, { sourceKey: 'src', sourceBucketName: 'lim' });
    await cl.completeMultipartUpload('dst', uploadId, [{ number: 1, etag: a.etag }, { number: 2, etag: b.etag }]);
    const got = await cl.get('dst');
    assert.deepStrictEqual(got.content, data);
    assert.strictEqual(got.res.headers['x-oss-hash-crc64ecma'], crc64(data));
  } finally {
    await small.stop();
  }
});

test('an upload cut off mid-body stores nothing and leaves no blob behind', async () => {
  const fs = require('fs');
  const path = require('path');
  const net = require('net');
  const blobs = () => fs.readdirSync(path.join(srv.dir, 'blobs')).length;
  const before = blobs();
  const headers = signV1({ method: 'PUT', bucket: BUCKET, key: 'cut', headers: { 'Content-Length': '100000' } });
  await new Promise(resolve => {
    const sock = net.connect(srv.port, '127.0.0.1', () => {
      const lines = [`PUT /${BUCKET}/cut HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      sock.write(lines.join('\r\n') + '\r\n\r\n');
      sock.write(Buffer.alloc(50000, 1), () => setTimeout(() => sock.destroy(), 100));
    });
    sock.on('close', resolve);
    sock.on('error', () => {});
  });
  await new Promise(r => setTimeout(r, 300));
  await assert.rejects(c().head('cut'), e => e.status === 404);
  assert.strictEqual(blobs(), before);
});

test('objects, uploads and buckets survive a restart', async () => {
  let s = await startServer();
  const dir = s.dir;
  await client(s).putBucket('persist');
  const cl = client(s, { bucket: 'persist' });
  await cl.put('kept', Buffer.from('still here'), { meta: { mtime: '2' } });
  await cl.put('gone', Buffer.from('x'));
  await cl.delete('gone');
  const { uploadId } = await cl.initMultipartUpload('pending');
  await cl.uploadPart('pending', uploadId, 1, Buffer.from('part'), 0, 4);
  await s.stop({ keep: true });
  s = await startServer({ dir });
  try {
    const cl2 = client(s, { bucket: 'persist' });
    assert.strictEqual((await cl2.get('kept')).content.toString(), 'still here');
    assert.strictEqual((await cl2.head('kept')).meta.mtime, '2');
    await assert.rejects(cl2.get('gone'), e => e.status === 404);
    const parts = await cl2.listParts('pending', uploadId);
    assert.strictEqual([].concat(parts.parts).length, 1);
    await cl2.abortMultipartUpload('pending', uploadId);
  } finally {
    await s.stop();
  }
});
