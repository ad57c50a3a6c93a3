#!/usr/bin/env node
'use strict';
// Throughput check for a running OSS peer: streams SIZE_MIB of random data up with one
// V1-signed PUT, reads it back with one GET, checks the MD5 and prints the times.
//   OSS_ENDPOINT=http://127.0.0.1:PORT node bench.js [SIZE_MIB=1024]
// (source DIR/oss.env first). Uses bucket "bench" and key "bench-object".

const http = require('http');
const crypto = require('crypto');
const signUtils = require('ali-oss/lib/common/signUtils');

const endpoint = new URL(process.env.OSS_ENDPOINT || 'http://127.0.0.1:0');
const ak = process.env.OSS_ACCESS_KEY_ID || 'cpsync-test-ak';
const sk = process.env.OSS_ACCESS_KEY_SECRET || 'cpsync-test-secret';
const size = Number(process.argv[2] || 1024) * 1024 * 1024;

function signed(method, resource, extra = {}) {
  const headers = Object.assign({ 'x-oss-date': new Date().toUTCString() }, extra);
  headers.authorization = signUtils.authorization(ak, sk, signUtils.buildCanonicalString(method, resource, { headers }));
  return headers;
}

function request(method, path, headers, writeBody) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: endpoint.hostname, port: endpoint.port, method, path, headers }, resolve);
    req.on('error', reject);
    if (writeBody) writeBody(req);
    else req.end();
  });
}

async function main() {
  const mk = await request('PUT', '/bench', signed('PUT', '/bench/'));
  mk.resume();
  const chunk = crypto.randomBytes(1 << 20);
  const md5 = crypto.createHash('md5');
  let t = Date.now();
  const put = await request('PUT', '/bench/bench-object', signed('PUT', '/bench/bench-object', { 'Content-Length': String(size) }), req => {
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        md5.update(chunk.subarray(0, n));
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
  put.resume();
  await new Promise(r => put.on('end', r));
  const putS = (Date.now() - t) / 1000;
  const want = md5.digest('hex');
  t = Date.now();
  const get = await request('GET', '/bench/bench-object', signed('GET', '/bench/bench-object'));
  const m = crypto.createHash('md5');
  let n = 0;
  get.on('data', d => {
    n += d.length;
    m.update(d);
  });
  await new Promise(r => get.on('end', r));
  const getS = (Date.now() - t) / 1000;
  const ok = put.statusCode === 200 && get.statusCode === 200 && n === size && m.digest('hex') === want;
  const mib = size / 1048576;
  console.log(`PUT ${mib} MiB: ${putS.toFixed(1)} s (${(mib / putS).toFixed(0)} MiB/s); GET: ${getS.toFixed(1)} s (${(mib / getS).toFixed(0)} MiB/s); ${ok ? 'MD5 ok' : 'MISMATCH'}`);
  const del = await request('DELETE', '/bench/bench-object', signed('DELETE', '/bench/bench-object'));
  del.resume();
  process.exit(ok ? 0 : 1);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
