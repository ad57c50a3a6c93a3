'use strict';
// The verifier (lib/auth.js) against the shared OSS signing vectors: every request the
// ali-oss SDK signed (V1/V4, header/URL) must be accepted at its signing time, and the same
// request with one thing changed (secret, a signed header, the key, the clock) refused.

const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { verify } = require('../lib/auth');
const { parseQuery, parseTarget } = require('../lib/request');

// Same convention as tests/unit/vectors.h: $CPSYNC_SIGNING_VECTORS, else <source>/../shared/vectors/public.
const DIR = process.env.CPSYNC_SIGNING_VECTORS || path.join(__dirname, '..', '..', '..', '..', '..', 'shared', 'vectors', 'public');

// A missing or empty file fails the test: a wrong directory must never pass silently.
function load(family) {
  const list = JSON.parse(fs.readFileSync(path.join(DIR, `${family}.json`), 'utf8'));
  assert.ok(Array.isArray(list) && list.length > 0, `no vectors in ${DIR}/${family}.json`);
  return list;
}

function opts(v, nowMs) {
  const c = v.input.credentials;
  return {
    credentials: new Map([[c.access_key_id, c.access_key_secret]]),
    region: v.input.region || 'cn-hangzhou',
    now: nowMs === undefined ? Date.parse(v.input.time) : nowMs,
  };
}

// URL + header pairs -> the request view verify() takes.
function requestFrom(method, url, headerPairs) {
  const u = new URL(url);
  const rawPath = url.slice(url.indexOf(u.host) + u.host.length).split('?')[0];
  const rawQuery = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const target = parseTarget(u.host, rawPath);
  const headers = {};
  for (const [k, v] of headerPairs) headers[k.toLowerCase()] = v;
  if (!headers.host) headers.host = u.host;
  return { method, bucket: target.bucket, key: target.key, query: parseQuery(rawQuery), headers };
}

function expectCode(fn, code) {
  assert.throws(fn, err => {
    assert.strictEqual(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

function tamperings(v, req, o) {
  const out = [];
  out.push(['wrong secret', Object.assign({}, req), Object.assign({}, o, { credentials: new Map([...o.credentials].map(([k, s]) => [k, s + 'x'])) }), 'SignatureDoesNotMatch']);
  out.push(['unknown key', Object.assign({}, req), Object.assign({}, o, { credentials: new Map([['someone-else', 'x']]) }), 'InvalidAccessKeyId']);
  out.push(['other key', Object.assign({}, req, { key: req.key + 'x' }), o, 'SignatureDoesNotMatch']);
  const signed = Object.keys(req.headers).find(h => h.startsWith('x-oss-meta-') || h === 'content-md5' || h === 'content-type');
  if (signed) {
    out.push([`altered ${signed}`, Object.assign({}, req, { headers: Object.assign({}, req.headers, { [signed]: req.headers[signed] + 'z' }) }), o, 'SignatureDoesNotMatch']);
  }
  return out;
}

for (const family of ['oss-v1-header', 'oss-v4-header']) {
  for (const v of load(family)) {
    test(`${family} ${v.name}`, () => {
      const req = requestFrom(v.input.method, v.input.url, [...v.input.headers, ['Authorization', v.expected.authorization]]);
      const o = opts(v);
      const r = verify(req, o);
      assert.strictEqual(r.accessKeyId, v.input.credentials.access_key_id);
      for (const [what, treq, topts, code] of tamperings(v, req, o)) {
        expectCode(() => verify(treq, topts), code, what);
      }
      // 16 minutes later the same request is stale.
      expectCode(() => verify(req, Object.assign({}, o, { now: o.now + 16 * 60 * 1000 })), 'RequestTimeTooSkewed');
      // Without a signature it is anonymous.
      const anon = Object.assign({}, req, { headers: Object.assign({}, req.headers) });
      delete anon.headers.authorization;
      expectCode(() => verify(anon, o), 'AccessDenied');
    });
  }
}

test('oss-v1-url vectors', () => {
  for (const v of load('oss-v1-url')) {
    const headers = [];
    for (const [k, val] of Object.entries(v.input.options)) {
      const l = k.toLowerCase();
      if (l.startsWith('x-oss-') || l === 'content-type' || l === 'content-md5') headers.push([k, val]);
    }
    const req = requestFrom(v.input.method, v.expected.signed_url, headers);
    const o = opts(v);
    assert.ok(verify(req, o), v.name);
    for (const [what, treq, topts, code] of tamperings(v, req, o)) {
      assert.throws(() => verify(treq, topts), e => e.code === code, `${v.name}: ${what}`);
    }
    const late = Object.assign({}, o, { now: v.input.expires_epoch * 1000 + 1000 });
    assert.throws(() => verify(req, late), e => e.code === 'AccessDenied' && /expired/.test(e.message), `${v.name}: expired`);
  }
});

test('oss-v4-url vectors', () => {
  for (const v of load('oss-v4-url')) {
    const req = requestFrom(v.input.method, v.expected.signed_url, v.input.headers);
    const o = opts(v);
    assert.ok(verify(req, o), v.name);
    for (const [what, treq, topts, code] of tamperings(v, req, o)) {
      assert.throws(() => verify(treq, topts), e => e.code === code, `${v.name}: ${what}`);
    }
    const late = Object.assign({}, o, { now: o.now + (v.input.expires + 1) * 1000 });
    assert.throws(() => verify(req, late), e => e.code === 'AccessDenied' && /expired/.test(e.message), `${v.name}: expired`);
    // A changed query parameter is signed in V4.
    const q = req.query.map(([k, val]) => (k === 'x-oss-expires' ? [k, String(Number(val) + 1)] : [k, val]));
    assert.throws(() => verify(Object.assign({}, req, { query: q }), o), e => e.code === 'SignatureDoesNotMatch', `${v.name}: expires changed`);
  }
});

test('V1 does not sign ordinary query parameters but does sign sub-resources', () => {
  const v = load('oss-v1-header').find(x => x.name === 'upload-part');
  const req = requestFrom(v.input.method, v.input.url, [...v.input.headers, ['Authorization', v.expected.authorization]]);
  const o = opts(v);
  verify(Object.assign({}, req, { query: [...req.query, ['max-keys', '5']] }), o);
  const q = req.query.map(([k, val]) => (k === 'partNumber' ? [k, '4'] : [k, val]));
  expectCode(() => verify(Object.assign({}, req, { query: q }), o), 'SignatureDoesNotMatch');
});
