'use strict';
// Test helpers: start the OSS peer on a free port with a fresh data dir, make ali-oss
// clients for it (V1 and V4, virtual-hosted through an IP endpoint or path style through
// localhost), and sign raw requests with the SDK's own signUtils.

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const OSS = require('ali-oss');
const signUtils = require('ali-oss/lib/common/signUtils');

const AK = 'cpsync-test-ak';
const SK = 'cpsync-test-secret';
const REGION = 'cn-hangzhou';

async function startServer({ args = [], dir: given } = {}) {
  const dir = given || fs.mkdtempSync(path.join(os.tmpdir(), 'oss-peer-test-'));
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'server.js'), '--port', '0', '--data', dir, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', d => {
      buf += d;
      const m = /listening (\d+)/.exec(buf);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', code => reject(new Error(`server exited ${code}`)));
  });
  return {
    port,
    dir,
    endpoint: `http://127.0.0.1:${port}`,
    async stop({ keep = false } = {}) {
      child.kill('SIGTERM');
      await new Promise(r => child.once('exit', r));
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// style 'vhost': endpoint is the IP, ali-oss sends Host: bucket.oss-cn-hangzhou.aliyuncs.com.
// style 'path': endpoint http://localhost:PORT with sldEnable (path-style /bucket/key).
function client(srv, { bucket, v4 = false, style = 'path', secret = SK, ak = AK } = {}) {
  const endpoint = style === 'path' ? `http://localhost:${srv.port}` : srv.endpoint;
  return new OSS({
    accessKeyId: ak,
    accessKeySecret: secret,
    endpoint,
    bucket,
    region: `oss-${REGION}`,
    authorizationV4: v4,
    sldEnable: style === 'path',
    timeout: 60000,
  });
}

// A raw request: {method, path (already escaped, e.g. /bucket/key), query (raw string),
// headers, body}. Resolves {status, headers, body (Buffer)}.
function raw(srv, { method = 'GET', path: p = '/', query = '', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: srv.port, method, path: p + (query ? `?${query}` : ''), headers },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      }
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

// Signs headers for a path-style V1 request the way ali-oss does (x-oss-date + buildCanonicalString).
function signV1({ method, bucket, key = '', subres = {}, headers = {}, date = new Date(), secret = SK, ak = AK }) {
  const h = Object.assign({ 'x-oss-date': date.toUTCString() }, headers);
  const resource = bucket ? `/${bucket}/${key}` : '/';
  const canonical = signUtils.buildCanonicalString(method, resource, { headers: h, parameters: subres });
  h.authorization = signUtils.authorization(ak, secret, canonical);
  return h;
}

function isoBasic(d) {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// Signs headers for a V4 request the way ali-oss does (authorizationV4).
function signV4({ method, bucket, key = '', queries = {}, headers = {}, date = new Date(), secret = SK, ak = AK, region = REGION, additional }) {
  const h = Object.assign({ 'x-oss-date': isoBasic(date), 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' }, headers);
  h.authorization = signUtils.authorizationV4(ak, secret, region, method, { headers: h, queries }, bucket, key, additional);
  return h;
}

function escapeKey(key) {
  return encodeURIComponent(key).replace(/%2F/g, '/');
}

module.exports = { AK, SK, REGION, startServer, client, raw, signV1, signV4, escapeKey, isoBasic };
