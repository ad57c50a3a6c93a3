'use strict';
// Object handlers of the OSS peer: PutObject, CopyObject, GetObject (Range, OSS's default
// and "standard" range behaviour, response-* overrides, conditions), HeadObject,
// DeleteObject and DeleteObjects (POST ?delete).

const crypto = require('crypto');
const { E } = require('./errors');
const { doc, el, parse, child, children } = require('./xml');
const { receiveBlob, readSmallBody, sliceSegments, sendSegments } = require('./body');
const C = require('./common');

const COPY_LIMIT = 1024 * 1024 * 1024; // CopyObject: sources up to 1 GB; above, UploadPartCopy

async function putObject(ctx) {
  C.checkObjectName(ctx.key);
  ctx.store.bucket(ctx.bucket);
  const attrs = C.objectAttrs(ctx.req.headers);
  if (ctx.req.headers['x-oss-forbid-overwrite'] === 'true' && ctx.store.getObject(ctx.bucket, ctx.key)) throw E.fileAlreadyExists();
  const got = await receiveBlob(ctx.store, ctx.req, ctx.headers);
  const rec = Object.assign(attrs, {
    size: got.size,
    etag: C.etagOf(got.md5hex),
    md5: got.md5b64,
    crc64: got.crc64,
    type: 'Normal',
    lastModified: new Date().toISOString(),
    segments: [{ blob: got.blob, offset: 0, length: got.size }],
  });
  try {
    ctx.store.putObject(ctx.bucket, ctx.key, rec); // the bucket may have gone meanwhile
  } catch (err) {
    ctx.store.discardBlob(got.blob);
    throw err;
  }
  C.sendEmpty(ctx, 200, { ETag: rec.etag, 'x-oss-hash-crc64ecma': rec.crc64, 'Content-MD5': rec.md5 });
}

// "/bucket/url-encoded-key[?versionId=..]" -> {bucket, key}
function parseCopySource(value) {
  if (!value) throw E.invalidArgument('x-oss-copy-source is empty.', 'x-oss-copy-source', '');
  let v = value.split('?')[0];
  if (v.startsWith('/')) v = v.slice(1);
  const slash = v.indexOf('/');
  if (slash <= 0) throw E.invalidArgument('x-oss-copy-source must be /bucket/object.', 'x-oss-copy-source', value);
  let key;
  try {
    key = decodeURIComponent(v.slice(slash + 1));
  } catch (_) {
    throw E.invalidArgument('x-oss-copy-source is not correctly URL-encoded.', 'x-oss-copy-source', value);
  }
  return { bucket: decodeURIComponent(v.slice(0, slash)), key };
}

function sourceObject(ctx) {
  const src = parseCopySource(ctx.req.headers['x-oss-copy-source']);
  const rec = ctx.store.getObject(src.bucket, src.key);
  if (!rec) throw E.noSuchKey(src.key);
  const h = ctx.req.headers;
  const tag = rec.etag;
  if (h['x-oss-copy-source-if-match'] !== undefined && C.stripQuotes(h['x-oss-copy-source-if-match']) !== C.stripQuotes(tag)) throw E.preconditionFailed();
  if (h['x-oss-copy-source-if-none-match'] !== undefined && C.stripQuotes(h['x-oss-copy-source-if-none-match']) === C.stripQuotes(tag)) throw E.preconditionFailed();
  return { src, rec };
}

async function copyObject(ctx) {
  C.checkObjectName(ctx.key);
  ctx.store.bucket(ctx.bucket);
  const { rec: srcRec } = sourceObject(ctx);
  const limit = ctx.copyLimit || COPY_LIMIT;
  if (srcRec.size > limit) {
    throw E.entityTooLarge(`CopyObject copies objects up to ${limit} bytes; this one is ${srcRec.size} bytes. Use UploadPartCopy.`);
  }
  const directive = ctx.req.headers['x-oss-metadata-directive'] || 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw E.invalidArgument('x-oss-metadata-directive must be COPY or REPLACE.', 'x-oss-metadata-directive', directive);
  if (ctx.req.headers['x-oss-forbid-overwrite'] === 'true' && ctx.store.getObject(ctx.bucket, ctx.key)) throw E.fileAlreadyExists();
  const attrs = directive === 'REPLACE'
    ? C.objectAttrs(ctx.req.headers)
    : { contentType: srcRec.contentType, headers: Object.assign({}, srcRec.headers), meta: Object.assign({}, srcRec.meta) };
  const rec = Object.assign(attrs, {
    size: srcRec.size,
    etag: srcRec.etag,
    md5: srcRec.md5,
    crc64: srcRec.crc64,
    type: srcRec.type,
    lastModified: new Date().toISOString(),
    segments: srcRec.segments.map(s => Object.assign({}, s)),
  });
  ctx.store.putObject(ctx.bucket, ctx.key, rec);
  const body = doc('CopyObjectResult', [el('ETag', rec.etag), el('LastModified', C.isoTime(rec.lastModified))]);
  C.sendXml(ctx, 200, body, { ETag: rec.etag, 'x-oss-hash-crc64ecma': rec.crc64 });
}

// Range header -> {start, end} (end exclusive), or null to send the whole object, or throws
// 416. Without x-oss-range-behavior: standard, OSS ignores an invalid or unsatisfiable range.
function parseRange(header, size, standard) {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)(,.*)?$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start;
  let end;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return standard ? invalid() : null;
    if (n > size) return standard ? { start: 0, end: size } : null;
    start = size - n;
    end = size;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size : Number(m[2]) + 1;
    if (m[2] !== '' && end <= start) return null;
    if (start >= size) return standard ? invalid() : null;
    if (end > size) {
      if (!standard) return null;
      end = size;
    }
  }
  return { start, end };
}

function invalid() {
  throw E.invalidRange();
}

function checkConditions(ctx, rec) {
  const h = ctx.req.headers;
  const tag = C.stripQuotes(rec.etag);
  const lm = Math.floor(Date.parse(rec.lastModified) / 1000) * 1000;
  if (h['if-match'] !== undefined && C.stripQuotes(h['if-match']) !== tag) throw E.preconditionFailed();
  if (h['if-unmodified-since'] !== undefined && lm > Date.parse(h['if-unmodified-since'])) throw E.preconditionFailed();
  if (h['if-none-match'] !== undefined && C.stripQuotes(h['if-none-match']) === tag) return 304;
  if (h['if-modified-since'] !== undefined && lm <= Date.parse(h['if-modified-since'])) return 304;
  return 0;
}

const RESPONSE_OVERRIDES = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

async function getObject(ctx) {
  const rec = ctx.store.getObject(ctx.bucket, ctx.key);
  if (!rec) throw E.noSuchKey(ctx.key);
  const headers = C.objectHeaders(rec);
  const cond = checkConditions(ctx, rec);
  if (cond === 304) {
    ctx.res.writeHead(304, { ETag: rec.etag, 'Last-Modified': headers['Last-Modified'] });
    ctx.res.end();
    return;
  }
  for (const [q, h] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = ctx.q.get(q);
    if (v !== undefined && v !== null) headers[h] = v;
  }
  const standard = (ctx.req.headers['x-oss-range-behavior'] || '').toLowerCase() === 'standard';
  const range = ctx.req.method === 'GET' ? parseRange(ctx.req.headers.range, rec.size, standard) : null;
  let status = 200;
  let start = 0;
  let end = rec.size;
  if (range) {
    status = 206;
    ({ start, end } = range);
    headers['Content-Range'] = `bytes ${start}-${end - 1}/${rec.size}`;
    delete headers['Content-MD5'];
  }
  headers['Content-Length'] = end - start;
  ctx.res.writeHead(status, headers);
  if (ctx.req.method === 'HEAD' || end === start) {
    ctx.res.end();
    return;
  }
  const release = ctx.store.acquire(rec);
  try {
    await sendSegments(ctx.store, sliceSegments(rec.segments, start, end), ctx.res);
  } finally {
    release();
  }
}

async function deleteObject(ctx) {
  ctx.store.bucket(ctx.bucket);
  ctx.store.deleteObject(ctx.bucket, ctx.key);
  C.sendEmpty(ctx, 204);
}

async function deleteObjects(ctx) {
  ctx.store.bucket(ctx.bucket);
  const md5 = ctx.headers['content-md5'];
  if (md5 === undefined) throw E.invalidDigest('(missing: DeleteObjects requires Content-MD5)');
  if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw E.invalidDigest(md5);
  const body = await readSmallBody(ctx.req, 2 * 1024 * 1024);
  const calc = crypto.createHash('md5').update(body).digest('base64');
  if (calc !== md5) throw E.badDigest(md5, calc);
  let root;
  try {
    root = parse(body.toString('utf8'));
  } catch (_) {
    throw E.malformedXml();
  }
  if (root.name !== 'Delete') throw E.malformedXml();
  const quietNode = child(root, 'Quiet');
  const quiet = quietNode ? quietNode.text.trim().toLowerCase() === 'true' : false;
  const objects = children(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw E.malformedXml('DeleteObjects takes 1 to 1000 keys.');
  const keys = objects.map(o => {
    const k = child(o, 'Key');
    if (!k) throw E.malformedXml();
    return k.text;
  });
  const encode = ctx.q.get('encoding-type') === 'url';
  const deleted = [];
  for (const key of keys) {
    ctx.store.deleteObject(ctx.bucket, key);
    if (!quiet) deleted.push(el('Deleted', [el('Key', encode ? C.urlEncode(key) : key)]));
  }
  const parts = encode ? [el('EncodingType', 'url'), ...deleted] : deleted;
  C.sendXml(ctx, 200, doc('DeleteResult', parts));
}

module.exports = { putObject, copyObject, getObject, deleteObject, deleteObjects, sourceObject, parseRange, COPY_LIMIT };
