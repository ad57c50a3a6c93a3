'use strict';
// The real ali-oss client against the OSS peer, V1 and V4, path style and virtual-hosted:
// buckets, put/get/head/list/copy/delete, ranges, multipart with ListParts and
// UploadPartCopy, signed URLs. What the SDK sends must be accepted.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const { startServer, client, raw } = require('./helpers');
const { crc64 } = require('../lib/crc64');

let srv;
test.before(async () => {
  srv = await startServer();
});
test.after(async () => {
  await srv.stop();
});

const MODES = [
  { name: 'v1 path', v4: false, style: 'path' },
  { name: 'v4 path', v4: true, style: 'path' },
  { name: 'v1 vhost', v4: false, style: 'vhost' },
  { name: 'v4 vhost', v4: true, style: 'vhost' },
];

for (const [i, mode] of MODES.entries()) {
  test(`ali-oss ${mode.name}: objects`, async () => {
    const bucket = `sdk-bucket-${i}`;
    await client(srv, mode).putBucket(bucket);
    const c = client(srv, Object.assign({ bucket }, mode));
    const data = Buffer.from('hello, oss peer');
    const put = await c.put('dir/hello world+ü.txt', data, { meta: { mtime: '1700000000.5' } });
    assert.strictEqual(put.res.status, 200);
    assert.strictEqual(put.res.headers['x-oss-hash-crc64ecma'], crc64(data));
    assert.strictEqual(put.res.headers.etag, `"${crypto.createHash('md5').update(data).digest('hex').toUpperCase()}"`);
    const got = await c.get('dir/hello world+ü.txt');
    assert.deepStrictEqual(got.content, data);
    const head = await c.head('dir/hello world+ü.txt');
    assert.strictEqual(head.meta.mtime, '1700000000.5');
    assert.strictEqual(head.res.headers['content-length'], String(data.length));
    assert.strictEqual(head.res.headers['content-md5'], crypto.createHash('md5').update(data).digest('base64'));
    const part = await c.get('dir/hello world+ü.txt', { headers: { Range: 'bytes=7-9' } });
    assert.strictEqual(part.res.status, 206);
    assert.strictEqual(part.content.toString(), 'oss');
    for (const k of ['a', 'b/1', 'b/2', 'c d', '\u00e9', 'z']) await c.put(k, Buffer.from(k));
    const l1 = await c.list({ delimiter: '/', 'max-keys': 3 });
    assert.deepStrictEqual(l1.objects.map(o => o.name), ['a', 'c d']);
    assert.deepStrictEqual(l1.prefixes, ['b/']);
    assert.strictEqual(l1.isTruncated, true);
    const l1b = await c.list({ delimiter: '/', 'max-keys': 3, marker: l1.nextMarker });
    assert.deepStrictEqual(l1b.prefixes, ['dir/']);
    assert.deepStrictEqual(l1b.objects.map(o => o.name), ['z', '\u00e9']);
    const l2 = await c.listV2({ 'max-keys': 2 });
    assert.strictEqual(l2.isTruncated, true);
    const l3 = await c.listV2({ 'max-keys': 100, 'continuation-token': l2.nextContinuationToken });
    assert.deepStrictEqual(
      [...l2.objects, ...l3.objects].map(o => o.name),
      ['a', 'b/1', 'b/2', 'c d', 'dir/hello world+ü.txt', 'z', '\u00e9']
    );
    const cp = await c.copy('copied', 'a');
    assert.strictEqual(cp.res.status, 200);
    assert.strictEqual((await c.get('copied')).content.toString(), 'a');
    const del = await c.deleteMulti(['a', 'copied', 'missing'], { quiet: false });
    assert.strictEqual(del.deleted.length, 3);
    await c.delete('z');
    await assert.rejects(c.get('z'), e => e.code === 'NoSuchKey' && e.status === 404);
  });

  test(`ali-oss ${mode.name}: multipart`, async () => {
    const bucket = `sdk-mp-${i}`;
    await client(srv, mode).putBucket(bucket);
    const c = client(srv, Object.assign({ bucket }, mode));
    const data = crypto.randomBytes(350 * 1024 + 17);
    const init = await c.initMultipartUpload('big.bin');
    const id = init.uploadId;
    const p1 = await c.uploadPart('big.bin', id, 1, data.subarray(0, 150 * 1024), 0, 150 * 1024);
    await c.put('source.bin', data.subarray(150 * 1024));
    const p2 = await c.uploadPartCopy('big.bin', id, 2, `0-${150 * 1024 - 1}`, { sourceKey: 'source.bin', sourceBucketName: bucket });
    const p3 = await c.uploadPart('big.bin', id, 3, data.subarray(300 * 1024), 0, data.length - 300 * 1024);
    const lp = await c.listParts('big.bin', id);
    assert.deepStrictEqual(lp.parts.map(p => Number(p.PartNumber)), [1, 2, 3]);
    const ups = await c.listUploads({});
    assert.strictEqual(ups.uploads.length, 1);
    const done = await c.completeMultipartUpload('big.bin', id, [
      { number: 1, etag: p1.etag },
      { number: 2, etag: p2.etag },
      { number: 3, etag: p3.etag },
    ]);
    assert.strictEqual(done.res.status, 200);
    const whole = await c.get('big.bin');
    assert.deepStrictEqual(whole.content, data);
    assert.strictEqual(whole.res.headers['x-oss-hash-crc64ecma'], crc64(data));
    assert.match(whole.res.headers.etag, /^"[0-9A-F]{32}-3"$/);
  });
}

test('signed URLs (V1 and V4) fetched with plain http', async () => {
  const c = client(srv, { style: 'path' });
  await c.putBucket('sdk-url');
  const cb = client(srv, { style: 'path', bucket: 'sdk-url' });
  await cb.put('u/file name.txt', Buffer.from('signed'));
  const url1 = cb.signatureUrl('u/file name.txt', { expires: 60 });
  const u1 = new URL(url1);
  const r1 = await raw(srv, { path: u1.pathname, query: u1.search.slice(1) });
  assert.strictEqual(r1.status, 200);
  assert.strictEqual(r1.body.toString(), 'signed');
  const c4 = client(srv, { style: 'path', bucket: 'sdk-url', v4: true });
  const url4 = await c4.signatureUrlV4('GET', 60, {}, 'u/file name.txt');
  const u4 = new URL(url4);
  const r4 = await raw(srv, { path: u4.pathname, query: u4.search.slice(1) });
  assert.strictEqual(r4.status, 200, r4.body.toString());
  assert.strictEqual(r4.body.toString(), 'signed');
});
