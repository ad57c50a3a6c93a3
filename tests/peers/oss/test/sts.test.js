'use strict';
// The verifier (lib/auth.js) with temporary credentials (opts.sts, as server.js builds it
// from --sts-credentials-file): an issued key is accepted only with its security token and
// before it expires, refused with OSS's codes otherwise; permanent keys are unaffected.

const test = require('node:test');
const assert = require('node:assert');
const signUtils = require('ali-oss/lib/common/signUtils');
const { verify } = require('../lib/auth');

const NOW = Date.parse('2026-12-07T10:00:00Z');
const TEMP = { ak: 'STS.NTtest', secret: 'temp-secret', token: 'CAIStesttoken' };

// A V1 header-signed GET of /bkt/k with key ak/secret, carrying `token` when given.
function request(ak, secret, token) {
  const headers = { 'x-oss-date': new Date(NOW).toUTCString(), host: '127.0.0.1' };
  if (token !== undefined) headers['x-oss-security-token'] = token;
  const canonical = signUtils.buildCanonicalString('GET', '/bkt/k', { headers, parameters: {} });
  headers.authorization = `OSS ${ak}:${signUtils.computeSignature(secret, canonical)}`;
  return { method: 'GET', bucket: 'bkt', key: 'k', query: [], headers };
}

function opts(expiration) {
  return {
    credentials: new Map([['cpsync-test-ak', 'cpsync-test-secret']]),
    sts: ak => (ak === TEMP.ak ? { secret: TEMP.secret, token: TEMP.token, expiration } : undefined),
    region: 'cn-hangzhou',
    now: NOW,
  };
}

function refused(req, o, code) {
  assert.throws(() => verify(req, o), err => {
    assert.strictEqual(err.code, code, `expected ${code}, got ${err.code}: ${err.message}`);
    return true;
  });
}

test('issued keys: accepted with their token until they expire', () => {
  const o = opts(NOW + 60e3);
  assert.strictEqual(verify(request(TEMP.ak, TEMP.secret, TEMP.token), o).accessKeyId, TEMP.ak);
  refused(request(TEMP.ak, TEMP.secret), o, 'InvalidAccessKeyId');
  refused(request(TEMP.ak, TEMP.secret, 'CAISother'), o, 'InvalidSecurityToken');
  refused(request(TEMP.ak, TEMP.secret, TEMP.token), opts(NOW - 1), 'SecurityTokenExpired');
  refused(request(TEMP.ak, 'wrong', TEMP.token), o, 'SignatureDoesNotMatch');
  refused(request('STS.NTunknown', TEMP.secret, TEMP.token), o, 'InvalidAccessKeyId');
  // The expired answer carries OSS's x-oss-ec code.
  assert.throws(() => verify(request(TEMP.ak, TEMP.secret, TEMP.token), opts(NOW - 1)), err => err.ec === '0002-00000007');
});

test('permanent keys are unaffected by opts.sts', () => {
  const r = verify(request('cpsync-test-ak', 'cpsync-test-secret'), opts(NOW + 60e3));
  assert.strictEqual(r.accessKeyId, 'cpsync-test-ak');
});
