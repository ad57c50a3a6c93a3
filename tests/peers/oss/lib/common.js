'use strict';
// Helpers shared by the OSS peer's handlers: response writers, name validation, object
// header sets, OSS ETag/time formats and the url encoding used by encoding-type=url.

const { E } = require('./errors');

const OWNER = { ID: '1234567890123456', DisplayName: '1234567890123456' };

function sendXml(ctx, status, body, headers) {
  const buf = Buffer.from(body, 'utf8');
  ctx.res.writeHead(status, Object.assign({ 'Content-Type': 'application/xml', 'Content-Length': buf.length }, headers || {}));
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : buf);
}

function sendEmpty(ctx, status, headers) {
  ctx.res.writeHead(status, Object.assign({ 'Content-Length': 0 }, headers || {}));
  ctx.res.end();
}

function etagOf(md5hex) {
  return `"${md5hex.toUpperCase()}"`;
}

function stripQuotes(s) {
  const t = String(s).trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

function isoTime(iso) {
  return new Date(iso).toISOString();
}

function httpTime(iso) {
  return new Date(iso).toUTCString();
}

function validBucketName(name) {
  return typeof name === 'string' && /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

function checkBucketName(name) {
  if (!validBucketName(name)) throw E.invalidBucketName(name || '');
}

// OSS object names: 1 to 1023 bytes of UTF-8, not starting with '/' or '\'.
function checkObjectName(key) {
  const n = Buffer.byteLength(key, 'utf8');
  if (n === 0) throw E.invalidObjectName('The object name must not be empty.');
  if (n > 1023) throw E.invalidObjectName(`The object name is ${n} bytes long; OSS allows at most 1023.`);
  if (key.startsWith('/') || key.startsWith('\\')) throw E.invalidObjectName('The object name must not start with / or \\.');
  if (/\uFFFD/.test(key)) throw E.invalidObjectName('The object name is not valid UTF-8.');
}

// encoding-type=url: everything but unreserved characters and '/' percent-encoded.
function urlEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/%2F/g, '/');
}

function queryMap(pairs) {
  const m = new Map();
  for (const [k, v] of pairs) if (!m.has(k)) m.set(k, v);
  return m;
}

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

// Metadata and standard headers an object keeps, taken from a PUT / Initiate / REPLACE copy.
function objectAttrs(rawHeaders) {
  const meta = {};
  let metaBytes = 0;
  for (const [k, v] of Object.entries(rawHeaders)) {
    if (k.startsWith('x-oss-meta-')) {
      meta[k] = String(v);
      metaBytes += k.length + String(v).length;
    }
  }
  if (metaBytes > 8192) throw E.invalidArgument('The user metadata (x-oss-meta-*) exceeds 8 KB.');
  const headers = {};
  for (const h of STORED_HEADERS) if (rawHeaders[h] !== undefined) headers[h] = String(rawHeaders[h]);
  return { contentType: rawHeaders['content-type'] || 'application/octet-stream', headers, meta };
}

// Headers describing an object on GET/HEAD.
function objectHeaders(rec) {
  const h = {
    'Content-Type': rec.contentType,
    ETag: rec.etag,
    'Last-Modified': httpTime(rec.lastModified),
    'x-oss-object-type': rec.type,
    'x-oss-storage-class': 'Standard',
    'x-oss-hash-crc64ecma': rec.crc64,
    'Accept-Ranges': 'bytes',
  };
  if (rec.md5) h['Content-MD5'] = rec.md5;
  for (const [k, v] of Object.entries(rec.headers || {})) h[k] = v;
  for (const [k, v] of Object.entries(rec.meta || {})) h[k] = v;
  return h;
}

module.exports = {
  OWNER,
  sendXml,
  sendEmpty,
  etagOf,
  stripQuotes,
  isoTime,
  httpTime,
  validBucketName,
  checkBucketName,
  checkObjectName,
  urlEncode,
  queryMap,
  objectAttrs,
  objectHeaders,
};
