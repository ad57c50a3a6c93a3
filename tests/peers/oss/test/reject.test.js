'use strict';
// The OSS peer refuses what real OSS refuses: bad or missing signatures (V1 and V4, header
// and URL), unknown keys, stale clocks, expired URLs, tampered requests, wrong or malformed
// Content-MD5; and its errors are OSS XML with a request id.

const test = require('node:test');
const assert = require('node:assert');
const crypto = require('crypto');
const signUtils = require('ali-oss/lib/common/signUtils');
const { startServer, client, raw, signV1, signV4, escapeKey, isoBasic, AK, SK } = require('./helpers');
const { parse, child } = require('../lib/xml');

let srv;
const BUCKET = 'reject-bucket';
test.before(async () => {
  srv = await startServer();
  await client(srv).putBucket(BUCKET);
  await client(srv, { bucket: BUCKET }).put('obj.txt', Buffer.from('content'));
});
test.after(async () => {
  await srv.stop();
});

function errorOf(r) {
  const root = parse(r.body.toString('utf8'));
  assert.strictEqual(root.name, 'Error');
  const get = n => (child(root, n) || { text: undefined }).text;
  return { status: r.status, code: get('Code'), message: get('Message'), requestId: get('RequestId'), hostId: get('HostId'), root };
}

function expectError(r, status, code) {
  const e = errorOf(r);
  assert.strictEqual(r.status, status, `status ${r.status} (${e.code}: ${e.message})`);
  assert.strictEqual(e.code, code, e.message);
  assert.ok(r.headers['x-oss-request-id'], 'x-oss-request-id header');
  assert.strictEqual(e.requestId, r.headers['x-oss-request-id']);
  assert.ok(e.hostId);
  return e;
}

const objPath = `/${BUCKET}/obj.txt`;

test('a correctly signed raw V1 and V4 request is accepted', async () => {
  const r1 = await raw(srv, { path: objPath, headers: signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt' }) });
  assert.strictEqual(r1.status, 200);
  assert.strictEqual(r1.body.toString(), 'content');
  const r4 = await raw(srv, { path: objPath, headers: signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt' }) });
  assert.strictEqual(r4.status, 200);
  // A request signed with the Date header instead of x-oss-date (V1).
  const date = new Date().toUTCString();
  const canonical = signUtils.buildCanonicalString('GET', `/${BUCKET}/obj.txt`, { headers: {}, parameters: {} }, date);
  const r5 = await raw(srv, { path: objPath, headers: { Date: date, Authorization: signUtils.authorization(AK, SK, canonical) } });
  assert.strictEqual(r5.status, 200);
});

test('anonymous requests are refused with AccessDenied', async () => {
  expectError(await raw(srv, { path: objPath }), 403, 'AccessDenied');
  expectError(await raw(srv, { path: '/' }), 403, 'AccessDenied');
  expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/new`, body: 'x' }), 403, 'AccessDenied');
});

test('wrong secret: SignatureDoesNotMatch with the string to sign', async () => {
  for (const v4 of [false, true]) {
    await assert.rejects(client(srv, { bucket: BUCKET, v4, secret: 'wrong' }).get('obj.txt'), e => e.status === 403 && e.code === 'SignatureDoesNotMatch');
    const headers = v4 ? signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt', secret: 'nope' }) : signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt', secret: 'nope' });
    const e = expectError(await raw(srv, { path: objPath, headers }), 403, 'SignatureDoesNotMatch');
    assert.ok(child(e.root, 'StringToSign'), 'StringToSign in the error');
    if (v4) assert.ok(child(e.root, 'CanonicalRequest'), 'CanonicalRequest in the error');
    assert.ok(!r_includesSecret(e), 'no secret in the error');
  }
});

function r_includesSecret(e) {
  return JSON.stringify(e.root).includes(SK);
}

test('unknown access key: InvalidAccessKeyId', async () => {
  for (const v4 of [false, true]) {
    await assert.rejects(client(srv, { bucket: BUCKET, v4, ak: 'nobody' }).get('obj.txt'), e => e.status === 403 && e.code === 'InvalidAccessKeyId');
  }
});

test('tampering after signing is detected', async () => {
  for (const sign of [signV1, signV4]) {
    // other key
    let h = sign({ method: 'GET', bucket: BUCKET, key: 'obj.txt' });
    expectError(await raw(srv, { path: `/${BUCKET}/obj.txT`, headers: h }), 403, 'SignatureDoesNotMatch');
    // other method
    expectError(await raw(srv, { method: 'DELETE', path: objPath, headers: h }), 403, 'SignatureDoesNotMatch');
    // altered signed header
    h = sign({ method: 'PUT', bucket: BUCKET, key: 'meta.txt', headers: { 'x-oss-meta-mtime': '1', 'Content-Type': 'text/plain' } });
    h['x-oss-meta-mtime'] = '2';
    expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/meta.txt`, headers: h, body: 'x' }), 403, 'SignatureDoesNotMatch');
    // added x-oss- header
    h = sign({ method: 'GET', bucket: BUCKET, key: 'obj.txt' });
    h['x-oss-meta-extra'] = 'y';
    expectError(await raw(srv, { path: objPath, headers: h }), 403, 'SignatureDoesNotMatch');
    // changed Content-Type
    h = sign({ method: 'PUT', bucket: BUCKET, key: 'ct.txt', headers: { 'Content-Type': 'text/plain' } });
    h['Content-Type'] = 'text/html';
    expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/ct.txt`, headers: h, body: 'x' }), 403, 'SignatureDoesNotMatch');
  }
  // V1 signs sub-resources: partNumber / uploadId changed
  const h = signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt', subres: { uploadId: 'A' } });
  expectError(await raw(srv, { path: objPath, query: 'uploadId=B', headers: h }), 403, 'SignatureDoesNotMatch');
  // V4 signs every query parameter
  const h4 = signV4({ method: 'GET', bucket: BUCKET, queries: { prefix: 'a' } });
  expectError(await raw(srv, { path: `/${BUCKET}/`, query: 'prefix=b', headers: h4 }), 403, 'SignatureDoesNotMatch');
  const ok4 = await raw(srv, { path: `/${BUCKET}/`, query: 'prefix=a', headers: signV4({ method: 'GET', bucket: BUCKET, queries: { prefix: 'a' } }) });
  assert.strictEqual(ok4.status, 200);
});

test('V4: wrong region, mismatched dates, missing additional header, no content-sha256', async () => {
  let h = signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt', region: 'cn-beijing' });
  expectError(await raw(srv, { path: objPath, headers: h }), 403, 'SignatureDoesNotMatch');
  h = signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt', headers: { Range: 'bytes=0-1' }, additional: ['range'] });
  assert.strictEqual((await raw(srv, { path: objPath, headers: h })).status, 206);
  delete h.Range;
  expectError(await raw(srv, { path: objPath, headers: h }), 403, 'SignatureDoesNotMatch');
  h = signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt' });
  delete h['x-oss-content-sha256'];
  expectError(await raw(srv, { path: objPath, headers: h }), 400, 'InvalidArgument');
  h = signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt' });
  h.authorization = h.authorization.replace(/\/\d{8}\//, '/20200101/');
  expectError(await raw(srv, { path: objPath, headers: h }), 403, 'SignatureDoesNotMatch');
});

test('stale or future request time: RequestTimeTooSkewed', async () => {
  const old = new Date(Date.now() - 16 * 60 * 1000);
  const future = new Date(Date.now() + 16 * 60 * 1000);
  for (const date of [old, future]) {
    expectError(await raw(srv, { path: objPath, headers: signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt', date }) }), 403, 'RequestTimeTooSkewed');
    expectError(await raw(srv, { path: objPath, headers: signV4({ method: 'GET', bucket: BUCKET, key: 'obj.txt', date }) }), 403, 'RequestTimeTooSkewed');
  }
  // V1 dates must be RFC 1123 GMT.
  const iso = signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt', headers: { 'x-oss-date': new Date().toISOString() } });
  expectError(await raw(srv, { path: objPath, headers: iso }), 403, 'AccessDenied');
  // 10 minutes off is still accepted.
  const near = new Date(Date.now() - 10 * 60 * 1000);
  assert.strictEqual((await raw(srv, { path: objPath, headers: signV1({ method: 'GET', bucket: BUCKET, key: 'obj.txt', date: near }) })).status, 200);
});

test('signed URLs: expired, tampered and wrong key are refused', async () => {
  // V1, signed 'by hand' with the SDK's URL signer and an Expires in the past.
  const resource = `/${BUCKET}/obj.txt`;
  const sign1 = expires => signUtils._signatureForURL(SK, { method: 'GET' }, resource, expires).Signature;
  const past = Math.floor(Date.now() / 1000) - 5;
  const r = await raw(srv, { path: objPath, query: `OSSAccessKeyId=${AK}&Expires=${past}&Signature=${encodeURIComponent(sign1(past))}` });
  const e = expectError(r, 403, 'AccessDenied');
  assert.match(e.message, /expired/);
  const future = Math.floor(Date.now() / 1000) + 60;
  const good = `OSSAccessKeyId=${AK}&Expires=${future}&Signature=${encodeURIComponent(sign1(future))}`;
  assert.strictEqual((await raw(srv, { path: objPath, query: good })).status, 200);
  expectError(await raw(srv, { path: objPath, query: good.replace(`Expires=${future}`, `Expires=${future + 1}`) }), 403, 'SignatureDoesNotMatch');
  expectError(await raw(srv, { path: `/${BUCKET}/other.txt`, query: good }), 403, 'SignatureDoesNotMatch');
  expectError(await raw(srv, { method: 'DELETE', path: objPath, query: good }), 403, 'SignatureDoesNotMatch');

  // V4 URL from the SDK, then the same one after its lifetime (signed 2 minutes ago for 60 s).
  const c4 = client(srv, { bucket: BUCKET, v4: true });
  const u = new URL(await c4.signatureUrlV4('GET', 60, {}, 'obj.txt'));
  assert.strictEqual((await raw(srv, { path: u.pathname, query: u.search.slice(1) })).status, 200);
  expectError(await raw(srv, { path: u.pathname.replace('obj', 'obJ'), query: u.search.slice(1) }), 403, 'SignatureDoesNotMatch');
  const then = new Date(Date.now() - 120 * 1000);
  const date = isoBasic(then);
  const queries = {
    'x-oss-credential': `${AK}/${date.slice(0, 8)}/cn-hangzhou/oss/aliyun_v4_request`,
    'x-oss-date': date,
    'x-oss-expires': 60,
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
  };
  const canonical = signUtils.getCanonicalRequest('GET', { headers: {}, queries }, BUCKET, 'obj.txt', []);
  const sts = signUtils.getStringToSign('cn-hangzhou', date, canonical);
  queries['x-oss-signature'] = signUtils.getSignatureV4(SK, date.slice(0, 8), 'cn-hangzhou', sts);
  const qs = Object.entries(queries).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  const e4 = expectError(await raw(srv, { path: objPath, query: qs }), 403, 'AccessDenied');
  assert.match(e4.message, /expired/);
});

test('Content-MD5: malformed -> InvalidDigest, wrong -> BadDigest, nothing stored', async () => {
  const body = Buffer.from('some body');
  const good = crypto.createHash('md5').update(body).digest('base64');
  const wrong = crypto.createHash('md5').update('other').digest('base64');
  for (const sign of [signV1, signV4]) {
    const key = `md5-${sign.name}.txt`;
    let h = sign({ method: 'PUT', bucket: BUCKET, key, headers: { 'Content-MD5': 'not-base64' } });
    expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/${key}`, headers: h, body }), 400, 'InvalidDigest');
    h = sign({ method: 'PUT', bucket: BUCKET, key, headers: { 'Content-MD5': wrong } });
    expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/${key}`, headers: h, body }), 400, 'BadDigest');
    const head = await raw(srv, { method: 'HEAD', path: `/${BUCKET}/${key}`, headers: sign({ method: 'HEAD', bucket: BUCKET, key }) });
    assert.strictEqual(head.status, 404);
    assert.ok(head.headers['x-oss-request-id']);
    h = sign({ method: 'PUT', bucket: BUCKET, key, headers: { 'Content-MD5': good } });
    const ok = await raw(srv, { method: 'PUT', path: `/${BUCKET}/${key}`, headers: h, body });
    assert.strictEqual(ok.status, 200);
    assert.strictEqual(ok.headers['content-md5'], good);
  }
  // UploadPart checks it too.
  const c = client(srv, { bucket: BUCKET });
  const { uploadId } = await c.initMultipartUpload('mp-md5');
  const h = signV1({ method: 'PUT', bucket: BUCKET, key: 'mp-md5', subres: { partNumber: '1', uploadId }, headers: { 'Content-MD5': wrong } });
  expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/mp-md5`, query: `partNumber=1&uploadId=${uploadId}`, headers: h, body }), 400, 'BadDigest');
  await c.abortMultipartUpload('mp-md5', uploadId);
});

test('V4 x-oss-content-sha256 with a hex digest is checked against the body', async () => {
  const body = Buffer.from('sha body');
  const sha = crypto.createHash('sha256').update(body).digest('hex');
  let h = signV4({ method: 'PUT', bucket: BUCKET, key: 'sha.txt', headers: { 'x-oss-content-sha256': sha } });
  assert.strictEqual((await raw(srv, { method: 'PUT', path: `/${BUCKET}/sha.txt`, headers: h, body })).status, 200);
  h = signV4({ method: 'PUT', bucket: BUCKET, key: 'sha.txt', headers: { 'x-oss-content-sha256': sha } });
  expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/sha.txt`, headers: h, body: 'other' }), 400, 'InvalidArgument');
});

test('bucket and key errors', async () => {
  const c = client(srv);
  await assert.rejects(c.putBucket(BUCKET), e => e.status === 409 && e.code === 'BucketAlreadyExists');
  await assert.rejects(c.deleteBucket(BUCKET), e => e.status === 409 && e.code === 'BucketNotEmpty');
  await assert.rejects(c.deleteBucket('no-such-bucket'), e => e.status === 404 && e.code === 'NoSuchBucket');
  await assert.rejects(client(srv, { bucket: 'no-such-bucket' }).put('k', Buffer.from('x')), e => e.status === 404 && e.code === 'NoSuchBucket');
  await assert.rejects(client(srv, { bucket: BUCKET }).get('missing'), e => e.status === 404 && e.code === 'NoSuchKey');
  const long = 'k'.repeat(1024);
  const h = signV1({ method: 'PUT', bucket: BUCKET, key: long });
  expectError(await raw(srv, { method: 'PUT', path: `/${BUCKET}/${long}`, headers: h, body: 'x' }), 400, 'InvalidObjectName');
  const ok = 'é'.repeat(511) + 'k'; // 1023 bytes
  const h2 = signV1({ method: 'PUT', bucket: BUCKET, key: ok });
  assert.strictEqual((await raw(srv, { method: 'PUT', path: `/${BUCKET}/${escapeKey(ok)}`, headers: h2, body: 'x' })).status, 200);
  const h3 = signV1({ method: 'PUT', bucket: 'Bad_Bucket' });
  expectError(await raw(srv, { method: 'PUT', path: '/Bad_Bucket', headers: h3 }), 400, 'InvalidBucketName');
  await assert.rejects(client(srv, { bucket: BUCKET }).abortMultipartUpload('k', 'NOPE'), e => e.status === 404 && e.code === 'NoSuchUpload');
});

test('PutObject without Content-Length or chunked encoding: 411 MissingContentLength', async () => {
  // Node's client would add Transfer-Encoding: chunked, so this one goes over a bare socket.
  const h = signV1({ method: 'PUT', bucket: BUCKET, key: 'nolen' });
  const text = await new Promise((resolve, reject) => {
    const sock = require('net').connect(srv.port, '127.0.0.1', () => {
      const lines = [`PUT /${BUCKET}/nolen HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`, 'Connection: close', ...Object.entries(h).map(([k, v]) => `${k}: ${v}`)];
      sock.write(lines.join('\r\n') + '\r\n\r\n');
    });
    let buf = '';
    sock.on('data', d => (buf += d));
    sock.on('end', () => resolve(buf));
    sock.on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 411 /);
  assert.match(text, /<Code>MissingContentLength<\/Code>/);
  const h2 = signV1({ method: 'PUT', bucket: BUCKET, key: 'nolen', headers: { 'Transfer-Encoding': 'chunked' } });
  assert.strictEqual((await raw(srv, { method: 'PUT', path: `/${BUCKET}/nolen`, headers: h2, body: 'chunked body' })).status, 200);
  const h3 = signV1({ method: 'PUT', bucket: BUCKET, key: 'zero', headers: { 'Content-Length': '0' } });
  assert.strictEqual((await raw(srv, { method: 'PUT', path: `/${BUCKET}/zero`, headers: h3 })).status, 200);
});

test('DeleteObjects needs a correct Content-MD5', async () => {
  const body = '<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>obj.txt-nope</Key></Object></Delete>';
  let h = signV1({ method: 'POST', bucket: BUCKET, subres: { delete: '' } });
  expectError(await raw(srv, { method: 'POST', path: `/${BUCKET}/`, query: 'delete', headers: h, body }), 400, 'InvalidDigest');
  const wrong = crypto.createHash('md5').update(body + ' ').digest('base64');
  h = signV1({ method: 'POST', bucket: BUCKET, subres: { delete: '' }, headers: { 'Content-MD5': wrong } });
  expectError(await raw(srv, { method: 'POST', path: `/${BUCKET}/`, query: 'delete', headers: h, body }), 400, 'BadDigest');
  const good = crypto.createHash('md5').update(body).digest('base64');
  h = signV1({ method: 'POST', bucket: BUCKET, subres: { delete: '' }, headers: { 'Content-MD5': good } });
  const r = await raw(srv, { method: 'POST', path: `/${BUCKET}/`, query: 'delete', headers: h, body });
  assert.strictEqual(r.status, 200);
  assert.doesNotMatch(r.body.toString(), /<Deleted>/); // quiet
});
