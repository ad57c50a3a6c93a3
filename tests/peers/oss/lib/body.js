'use strict';
// Receiving and sending object bytes. receiveBlob() streams a request body into a new blob
// file while computing MD5, CRC-64 and (when the V4 signature pinned one) SHA-256, checks
// Content-Length, Content-MD5 and x-oss-content-sha256, and never holds more than one
// chunk in memory. readRange() streams a byte range of a record's segments. hashRange()
// computes MD5 and CRC-64 of a range without copying it. One call per request; no shared
// state besides the Store passed in.

const fs = require('fs');
const crypto = require('crypto');
const { once } = require('events');
const { Crc64 } = require('./crc64');
const { E, OssError } = require('./errors');

const MAX_OBJECT = 5 * 1024 * 1024 * 1024; // PutObject and UploadPart limit: 5 GB

// Validates a Content-MD5 header before any byte is read; returns base64 or undefined.
function contentMd5(headers) {
  const v = headers['content-md5'];
  if (v === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(v)) throw E.invalidDigest(v);
  return v;
}

function declaredLength(headers) {
  const v = headers['content-length'];
  if (v === undefined) return undefined;
  return Number(v);
}

// Returns {blob, size, md5hex (lowercase), md5b64, crc64 (decimal string)}.
async function receiveBlob(store, req, headers, limit = MAX_OBJECT) {
  const md5b64 = contentMd5(headers);
  const len = declaredLength(headers);
  if (len === undefined && headers['transfer-encoding'] === undefined) throw E.missingContentLength();
  if (len !== undefined && len > limit) throw E.entityTooLarge();
  const sha = headers['x-oss-content-sha256'];
  const wantSha = sha && /^[0-9a-f]{64}$/.test(sha) ? sha : undefined;
  const blob = store.newBlob();
  const ws = fs.createWriteStream(blob.path, { flags: 'wx' });
  const md5 = crypto.createHash('md5');
  const sha256 = wantSha ? crypto.createHash('sha256') : null;
  const crc = new Crc64();
  let size = 0;
  try {
    for await (const chunk of req) {
      size += chunk.length;
      if (size > limit) throw E.entityTooLarge();
      md5.update(chunk);
      crc.update(chunk);
      if (sha256) sha256.update(chunk);
      if (!ws.write(chunk)) await once(ws, 'drain');
    }
    if (!req.complete) throw E.incompleteBody();
    ws.end();
    await once(ws, 'finish');
  } catch (err) {
    // A write still in flight fails once the stream is destroyed (ERR_STREAM_DESTROYED);
    // without a listener that 'error' event would crash the server.
    ws.on('error', () => {});
    ws.destroy();
    store.discardBlob(blob.id);
    if (err instanceof OssError) throw err;
    throw E.incompleteBody(); // the client went away mid-body
  }
  const digest = md5.digest();
  const fail = err => {
    store.discardBlob(blob.id);
    throw err;
  };
  if (len !== undefined && size !== len) fail(E.invalidArgument('The body length does not match Content-Length.'));
  if (md5b64 !== undefined && digest.toString('base64') !== md5b64) fail(E.badDigest(md5b64, digest.toString('base64')));
  if (wantSha && sha256.digest('hex') !== wantSha) {
    fail(E.invalidArgument('The x-oss-content-sha256 you specified did not match what we received.', 'x-oss-content-sha256', wantSha));
  }
  return { blob: blob.id, size, md5hex: digest.toString('hex'), md5b64: digest.toString('base64'), crc64: crc.digest() };
}

// Reads a small request body (XML) fully, up to `max` bytes.
async function readSmallBody(req, max) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > max) throw E.invalidArgument(`The request body is larger than ${max} bytes.`);
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

// Segments of [start, end) out of a record's segment list.
function sliceSegments(segments, start, end) {
  const out = [];
  let pos = 0;
  for (const s of segments) {
    const sEnd = pos + s.length;
    const a = Math.max(start, pos);
    const b = Math.min(end, sEnd);
    if (a < b) out.push({ blob: s.blob, offset: s.offset + (a - pos), length: b - a });
    pos = sEnd;
    if (pos >= end) break;
  }
  return out;
}

// Async iterator over the bytes of segments.
async function* segmentBytes(store, segments) {
  for (const s of segments) {
    if (s.length === 0) continue;
    const rs = fs.createReadStream(store.blobPath(s.blob), { start: s.offset, end: s.offset + s.length - 1, highWaterMark: 1 << 20 });
    try {
      for await (const chunk of rs) yield chunk;
    } finally {
      rs.destroy();
    }
  }
}

// Resolves on 'drain' or 'close', whichever comes first, leaving no listener behind.
function drainOrClose(res) {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

// Streams segments to an http response; resolves when done or the client went away.
async function sendSegments(store, segments, res) {
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  for await (const chunk of segmentBytes(store, segments)) {
    if (closed) break;
    if (!res.write(chunk)) await drainOrClose(res);
  }
  res.end();
}

// MD5 and CRC-64 of segments (UploadPartCopy).
async function hashSegments(store, segments) {
  const md5 = crypto.createHash('md5');
  const crc = new Crc64();
  for await (const chunk of segmentBytes(store, segments)) {
    md5.update(chunk);
    crc.update(chunk);
  }
  const d = md5.digest();
  return { md5hex: d.toString('hex'), md5b64: d.toString('base64'), crc64: crc.digest() };
}

module.exports = { receiveBlob, readSmallBody, sliceSegments, sendSegments, hashSegments, contentMd5, MAX_OBJECT };
