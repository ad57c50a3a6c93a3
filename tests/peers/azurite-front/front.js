// tests/peers/azurite-front/front.js — a front for Azurite that serves Put Blob From URL and
// Put Block From URL the way Azure does (README.md lists each behaviour and its Azure REST
// reference), for any source: presigned RGW or OSS test server URLs, which Azurite 3.37 cannot
// fetch, and SAS URLs of Azurite's own accounts (Azurite has no Put Blob From URL, and its Put
// Block From URL refuses a source named by another host than the request's, which the front
// is). Every other request passes through unchanged.
//
// A copy request is authorised with the official SDK's SharedKey policy
// (@azure/storage-common's storageSharedKeyCredentialPolicy, fed the request's own x-ms-date),
// then the source is fetched (x-ms-copy-source, with x-ms-source-range as Range and
// x-ms-source-if-match as If-Match) and its bytes are streamed into Azurite as a Put Blob or
// Put Block of the same name, signed with the same policy; Azurite checks
// x-ms-source-content-md5 (sent as Content-MD5). Source URLs are never logged.
//
// Usage: AZURE_FRONT_ACCOUNTS='NAME:BASE64KEY[;NAME:KEY...]' node front.js
//        --target http://127.0.0.1:PORT [--port 0]
// (the accounts' keys, as Azurite's AZURITE_ACCOUNTS; the first is the default account, for
// requests without one in the path; keys go by environment so that no process list shows them)
// Prints "listening PORT". GET /__front/stats -> {"copies":N,"blocks":N,"fetched_bytes":N,
// "refused":N} (POST /__front/reset zeroes them).
'use strict';
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { createPipelineRequest, createHttpHeaders } = require('@azure/core-rest-pipeline');
const { storageSharedKeyCredentialPolicy } = require('@azure/storage-common');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const target = new URL(arg('--target'));
// Each account's SharedKey policy, by account name; the first is the default.
const policies = new Map();
for (const entry of (process.env.AZURE_FRONT_ACCOUNTS || '').split(';').filter(Boolean)) {
  const colon = entry.indexOf(':');
  const accountName = entry.slice(0, colon);
  const accountKey = Buffer.from(entry.slice(colon + 1), 'base64');
  policies.set(accountName, storageSharedKeyCredentialPolicy({ accountName, accountKey }));
}
if (policies.size === 0) throw new Error('AZURE_FRONT_ACCOUNTS names no account');
const defaultAccount = policies.keys().next().value;
// The account a path names (/account/container/blob), or the default one.
function accountOf(path) {
  const first = path.split('?')[0].split('/')[1] || '';
  return policies.has(first) ? first : defaultAccount;
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const kMaxSkewMs = 15 * 60 * 1000; // Azure refuses a SharedKey request dated further away
let stats;
function reset() {
  stats = { copies: 0, blocks: 0, fetched_bytes: 0, refused: 0 };
}
reset();

// The Authorization the SDK's policy computes for this request. The policy stamps x-ms-date
// with the current time before signing; here the request's own date must be signed instead.
async function sharedKeyFor(policy, method, url, headers) {
  const h = createHttpHeaders();
  for (const [name, value] of Object.entries(headers)) h.set(name, String(value));
  if (h.has('x-ms-date')) h.delete('date'); // Date is not signed when x-ms-date is sent
  const set = h.set.bind(h);
  h.set = (name, value) => (name.toLowerCase() === 'x-ms-date' ? undefined : set(name, value));
  const req = createPipelineRequest({ url, method, headers: h });
  await policy.sendRequest(req, async () => ({}));
  return req.headers.get('authorization');
}

// Azure's own answer for a refused request: status, x-ms-error-code, XML body.
function fail(res, status, code, message, extra = {}) {
  stats.refused++;
  const body =
    '<?xml version="1.0" encoding="utf-8"?><Error><Code>' + code + '</Code><Message>' +
    message + '\nRequestId:' + crypto.randomUUID() + '\nTime:' + new Date().toISOString() +
    '</Message></Error>';
  res.writeHead(status, {
    'x-ms-error-code': code,
    'x-ms-request-id': crypto.randomUUID(),
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}

// Checks the SharedKey of a copy request (the emulator accepts the canonical resource with or
// without the account segment of the path, as Azurite does).
async function authorised(req) {
  const given = req.headers.authorization || '';
  if (!given.startsWith('SharedKey ')) return 'only SharedKey requests are served by this front';
  const date = Date.parse(req.headers['x-ms-date'] || req.headers.date || '');
  if (!Number.isFinite(date) || Math.abs(Date.now() - date) > kMaxSkewMs)
    return 'Request date header too old or missing';
  const base = 'http://' + target.host;
  const account = accountOf(req.url);
  const policy = policies.get(account);
  if ((await sharedKeyFor(policy, req.method, base + req.url, req.headers)) === given) return null;
  const prefix = '/' + account;
  if (req.url.startsWith(prefix + '/')) {
    const alt = base + req.url.slice(prefix.length);
    if ((await sharedKeyFor(policy, req.method, alt, req.headers)) === given) return null;
  }
  return 'Server failed to authenticate the request. Make sure the value of Authorization ' +
    'header is formed correctly including the signature.';
}

function pass(req, res) {
  const up = http.request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url,
      headers: req.headers, agent },
    (ur) => {
      res.writeHead(ur.statusCode, ur.headers);
      ur.pipe(res);
    });
  up.on('error', () => res.destroy());
  req.pipe(up);
}

// Headers a Put Blob From URL carries over to the stored blob.
function blobHeaders(h) {
  const out = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith('x-ms-meta-') || (name.startsWith('x-ms-blob-') && name !== 'x-ms-blob-type'))
      out[name] = value;
  }
  return out;
}

// GET of the source with the request's conditions; resolves to the response or an error.
function fetchSource(url, range, ifMatch) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch (e) {
      return resolve({ error: 'the copy source is not a valid URL' });
    }
    const headers = {};
    if (range) headers.range = range;
    if (ifMatch) headers['if-match'] = ifMatch;
    const lib = u.protocol === 'https:' ? https : http;
    const r = lib.get(u, { headers, timeout: 30000 }, (sr) => resolve({ res: sr }));
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ error: 'the copy source could not be reached (' + e.code + ')' }));
  });
}

function drain(stream) {
  return new Promise((resolve) => {
    stream.on('data', () => {});
    stream.on('end', resolve);
    stream.on('error', resolve);
  });
}

async function copyFromUrl(req, res, q, isBlock) {
  const why = await authorised(req);
  if (why) return fail(res, 403, 'AuthenticationFailed', why);
  if (!isBlock && req.headers['x-ms-blob-type'] !== 'BlockBlob')
    return fail(res, 400, 'MissingRequiredHeader', 'An HTTP header that is mandatory for this request is not specified.');
  const source = req.headers['x-ms-copy-source'];
  const range = req.headers['x-ms-source-range'];
  let want = null; // bytes the range names
  if (range) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(range);
    if (!m || Number(m[2]) < Number(m[1]))
      return fail(res, 400, 'InvalidHeaderValue', 'The value for one of the HTTP headers is not in the correct format.');
    want = Number(m[2]) - Number(m[1]) + 1;
    if (want > 4000 * 1024 * 1024)
      return fail(res, 413, 'RequestBodyTooLarge', 'The request body is too large and exceeds the maximum permissible limit.');
  }
  const got = await fetchSource(source, range, req.headers['x-ms-source-if-match']);
  if (got.error) return fail(res, 400, 'CannotVerifyCopySource', got.error);
  const sr = got.res;
  if (sr.statusCode === 412) {
    await drain(sr);
    return fail(res, 412, 'SourceConditionNotMet', 'The source condition specified using HTTP conditional header(s) is not met.');
  }
  if (sr.statusCode < 200 || sr.statusCode > 299) {
    await drain(sr);
    // The service answers with the source's status and CannotVerifyCopySource; newer
    // versions also name the source's status and error code in headers.
    return fail(res, sr.statusCode, 'CannotVerifyCopySource',
      'The source request failed with HTTP ' + sr.statusCode + '.',
      { 'x-ms-copy-source-status-code': String(sr.statusCode),
        'x-ms-copy-source-error-code': String(sr.headers['x-amz-error-code'] || sr.headers['x-oss-ec'] || '') });
  }
  const length = Number(sr.headers['content-length']);
  if (!Number.isFinite(length) || (want !== null && length !== want)) {
    await drain(sr);
    return fail(res, 409, 'CannotVerifyCopySource', 'The source returned a length other than the range asked for.');
  }
  if (!isBlock && length > 5000 * 1024 * 1024) {
    sr.destroy();
    return fail(res, 409, 'CannotVerifyCopySource', 'The source is larger than Put Blob From URL allows (5000 MiB).');
  }
  // Store the fetched bytes through Azurite: Put Block (same block id) or Put Blob.
  const headers = {
    'x-ms-version': req.headers['x-ms-version'] || '2021-08-06',
    'content-length': String(length),
  };
  if (req.headers['x-ms-source-content-md5']) headers['content-md5'] = req.headers['x-ms-source-content-md5'];
  if (!isBlock) Object.assign(headers, { 'x-ms-blob-type': 'BlockBlob' }, blobHeaders(req.headers));
  const path = req.url;
  const url = 'http://' + target.host + path;
  headers.authorization = await (async () => {
    const h = createHttpHeaders(headers);
    const pr = createPipelineRequest({ url, method: 'PUT', headers: h });
    await policies.get(accountOf(path)).sendRequest(pr, async () => ({}));
    headers['x-ms-date'] = pr.headers.get('x-ms-date');
    return pr.headers.get('authorization');
  })();
  const up = http.request(
    { host: target.hostname, port: target.port, method: 'PUT', path, headers, agent },
    (ur) => {
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        let body = Buffer.concat(chunks);
        const out = { ...ur.headers };
        // Azurite says InvalidOperation for a Content-MD5 that is not the bytes'; Azure says
        // Md5Mismatch for x-ms-source-content-md5.
        if (ur.statusCode === 400 && /md5/i.test(body.toString())) {
          return fail(res, 400, 'Md5Mismatch',
            'The MD5 value specified in the request did not match with the MD5 value calculated by the server.');
        }
        if (ur.statusCode >= 200 && ur.statusCode < 300) {
          if (isBlock) stats.blocks++;
          else stats.copies++;
        }
        delete out['transfer-encoding'];
        out['content-length'] = String(body.length);
        res.writeHead(ur.statusCode, out);
        res.end(body);
      });
    });
  up.on('error', () => {
    if (!res.headersSent) fail(res, 500, 'InternalError', 'The server encountered an internal error.');
  });
  // A source body that breaks off or ends short must not become a stored block: the request
  // to Azurite is aborted (and answered 500, which clients retry).
  let fetched = 0;
  sr.on('data', (c) => {
    fetched += c.length;
    stats.fetched_bytes += c.length;
    if (!up.write(c)) {
      sr.pause();
      up.once('drain', () => sr.resume());
    }
  });
  sr.on('end', () => (fetched === length ? up.end() : up.destroy(new Error('short'))));
  sr.on('error', () => up.destroy(new Error('source broke off')));
  sr.on('aborted', () => up.destroy(new Error('source broke off')));
}

const server = http.createServer((req, res) => {
  if (req.url === '/__front/stats') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(stats));
  }
  if (req.url === '/__front/reset' && req.method === 'POST') {
    reset();
    return res.end('{}');
  }
  const source = req.headers['x-ms-copy-source'];
  if (req.method === 'PUT' && source) {
    const q = new URL(req.url, 'http://x').searchParams;
    const comp = q.get('comp');
    const isBlock = comp === 'block';
    // Put Blob From URL has no comp; Copy Blob (no x-ms-blob-type) and Copy Blob From URL
    // (x-ms-requires-sync) are Azurite's own.
    if (isBlock || (!comp && req.headers['x-ms-blob-type'] && !req.headers['x-ms-requires-sync'])) {
      req.resume();
      return copyFromUrl(req, res, q, isBlock).catch(() =>
        fail(res, 500, 'InternalError', 'The server encountered an internal error.'));
    }
  }
  pass(req, res);
});
server.keepAliveTimeout = 60000;
server.listen(Number(arg('--port', '0')), '127.0.0.1', () => {
  console.log('listening ' + server.address().port);
});
