'use strict';
// Multipart handlers of the OSS peer: InitiateMultipartUpload, UploadPart, UploadPartCopy,
// CompleteMultipartUpload (ascending parts, ETags checked, every part but the last at least
// 100 KB, OSS multipart ETag and whole-object CRC-64), AbortMultipartUpload, ListParts and
// ListMultipartUploads.

const crypto = require('crypto');
const { E } = require('./errors');
const { doc, el, parse, child, children } = require('./xml');
const { receiveBlob, readSmallBody, sliceSegments, hashSegments } = require('./body');
const { combine } = require('./crc64');
const { sourceObject } = require('./objects');
const C = require('./common');

const MIN_PART = 100 * 1024;
const MAX_PART = 5 * 1024 * 1024 * 1024;
const MAX_PARTS = 10000;

function encodingType(q) {
  const v = q.get('encoding-type');
  if (v === undefined || v === null || v === '') return null;
  if (v !== 'url') throw E.invalidArgument('encoding-type must be url.', 'encoding-type', v);
  return 'url';
}

async function initiate(ctx) {
  C.checkObjectName(ctx.key);
  const enc = encodingType(ctx.q);
  const attrs = C.objectAttrs(ctx.req.headers);
  const up = ctx.store.initUpload(ctx.bucket, ctx.key, attrs);
  const parts = [el('Bucket', ctx.bucket), el('Key', enc ? C.urlEncode(ctx.key) : ctx.key), el('UploadId', up.id)];
  if (enc) parts.unshift(el('EncodingType', enc));
  C.sendXml(ctx, 200, doc('InitiateMultipartUploadResult', parts));
}

function partNumber(ctx) {
  const v = ctx.q.get('partNumber');
  if (!/^\d+$/.test(v || '') || Number(v) < 1 || Number(v) > MAX_PARTS) {
    throw E.invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', 'partNumber', v);
  }
  return Number(v);
}

async function uploadPart(ctx) {
  const number = partNumber(ctx);
  const up = ctx.store.upload(ctx.bucket, ctx.key, ctx.q.get('uploadId'));
  const got = await receiveBlob(ctx.store, ctx.req, ctx.headers, MAX_PART);
  const part = {
    number,
    etag: C.etagOf(got.md5hex),
    md5hex: got.md5hex,
    crc64: got.crc64,
    size: got.size,
    lastModified: new Date().toISOString(),
    segments: [{ blob: got.blob, offset: 0, length: got.size }],
  };
  try {
    ctx.store.putPart(up.id, part); // aborted meanwhile -> NoSuchUpload
  } catch (err) {
    ctx.store.discardBlob(got.blob);
    throw err;
  }
  C.sendEmpty(ctx, 200, { ETag: part.etag, 'x-oss-hash-crc64ecma': part.crc64, 'Content-MD5': got.md5b64 });
}

async function uploadPartCopy(ctx) {
  const number = partNumber(ctx);
  const up = ctx.store.upload(ctx.bucket, ctx.key, ctx.q.get('uploadId'));
  const { rec } = sourceObject(ctx);
  let start = 0;
  let end = rec.size;
  const rangeHeader = ctx.req.headers['x-oss-copy-source-range'];
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || Number(m[2]) < Number(m[1]) || Number(m[2]) >= rec.size) {
      throw E.invalidArgument(`x-oss-copy-source-range must be bytes=first-last within the ${rec.size}-byte source.`, 'x-oss-copy-source-range', rangeHeader);
    }
    start = Number(m[1]);
    end = Number(m[2]) + 1;
  }
  if (end - start > MAX_PART) throw E.entityTooLarge();
  const segments = sliceSegments(rec.segments, start, end);
  const release = ctx.store.acquire({ segments });
  let h;
  try {
    h = await hashSegments(ctx.store, segments);
    const part = {
      number,
      etag: C.etagOf(h.md5hex),
      md5hex: h.md5hex,
      crc64: h.crc64,
      size: end - start,
      lastModified: new Date().toISOString(),
      segments,
    };
    ctx.store.putPart(up.id, part);
    const body = doc('CopyPartResult', [el('LastModified', C.isoTime(part.lastModified)), el('ETag', part.etag)]);
    C.sendXml(ctx, 200, body, { ETag: part.etag, 'x-oss-hash-crc64ecma': part.crc64 });
  } finally {
    release();
  }
}

async function complete(ctx) {
  const up = ctx.store.upload(ctx.bucket, ctx.key, ctx.q.get('uploadId'));
  const enc = encodingType(ctx.q);
  const md5 = ctx.headers['content-md5'];
  if (md5 !== undefined && !/^[A-Za-z0-9+/]{22}==$/.test(md5)) throw E.invalidDigest(md5);
  const body = await readSmallBody(ctx.req, 4 * 1024 * 1024);
  if (md5 !== undefined) {
    const calc = crypto.createHash('md5').update(body).digest('base64');
    if (calc !== md5) throw E.badDigest(md5, calc);
  }
  let chosen;
  if ((ctx.req.headers['x-oss-complete-all'] || '').toLowerCase() === 'yes') {
    if (body.length) throw E.invalidArgument('With x-oss-complete-all: yes the body must be empty.');
    chosen = [...up.parts.values()].sort((a, b) => a.number - b.number);
    if (chosen.length === 0) throw E.invalidPart('The upload has no parts.');
  } else {
    let root;
    try {
      root = parse(body.toString('utf8'));
    } catch (_) {
      throw E.malformedXml();
    }
    if (root.name !== 'CompleteMultipartUpload') throw E.malformedXml();
    const list = children(root, 'Part');
    if (list.length === 0) throw E.malformedXml('CompleteMultipartUpload needs at least one Part.');
    chosen = [];
    let prev = 0;
    for (const p of list) {
      const n = child(p, 'PartNumber');
      const t = child(p, 'ETag');
      if (!n || !t || !/^\d+$/.test(n.text.trim())) throw E.malformedXml();
      const number = Number(n.text.trim());
      if (number <= prev) throw E.invalidPartOrder();
      prev = number;
      const part = up.parts.get(number);
      if (!part || C.stripQuotes(t.text) !== C.stripQuotes(part.etag)) {
        throw E.invalidPart(`Part ${number} was not uploaded or its ETag ${t.text.trim()} does not match.`);
      }
      chosen.push(part);
    }
  }
  for (let i = 0; i < chosen.length - 1; i++) if (chosen[i].size < MIN_PART) throw E.entityTooSmall();
  const md5s = crypto.createHash('md5');
  let crc = 0n;
  let size = 0;
  const segments = [];
  for (const p of chosen) {
    md5s.update(Buffer.from(p.md5hex, 'hex'));
    crc = size === 0 ? BigInt(p.crc64) : combine(crc, p.crc64, p.size);
    size += p.size;
    segments.push(...p.segments.map(s => Object.assign({}, s)));
  }
  const etag = `"${md5s.digest('hex').toUpperCase()}-${chosen.length}"`;
  const rec = {
    contentType: up.contentType,
    headers: up.headers,
    meta: up.meta,
    size,
    etag,
    md5: null,
    crc64: crc.toString(10),
    type: 'Multipart',
    lastModified: new Date().toISOString(),
    segments,
  };
  ctx.store.putObject(ctx.bucket, ctx.key, rec);
  ctx.store.endUpload(up.id);
  const key = enc ? C.urlEncode(ctx.key) : ctx.key;
  const parts = [
    el('Location', `http://${ctx.req.headers.host || '127.0.0.1'}/${ctx.bucket}/${C.urlEncode(ctx.key)}`),
    el('Bucket', ctx.bucket),
    el('Key', key),
    el('ETag', etag),
  ];
  if (enc) parts.unshift(el('EncodingType', enc));
  C.sendXml(ctx, 200, doc('CompleteMultipartUploadResult', parts), { ETag: etag, 'x-oss-hash-crc64ecma': rec.crc64 });
}

async function abort(ctx) {
  const up = ctx.store.upload(ctx.bucket, ctx.key, ctx.q.get('uploadId'));
  ctx.store.endUpload(up.id);
  C.sendEmpty(ctx, 204);
}

function intParam(q, name, dflt, max) {
  const v = q.get(name);
  if (v === undefined || v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) > max) throw E.invalidArgument(`${name} must be an integer from 0 to ${max}.`, name, v);
  return Number(v);
}

async function listParts(ctx) {
  const up = ctx.store.upload(ctx.bucket, ctx.key, ctx.q.get('uploadId'));
  const enc = encodingType(ctx.q);
  const max = intParam(ctx.q, 'max-parts', 1000, 1000);
  const marker = intParam(ctx.q, 'part-number-marker', 0, MAX_PARTS);
  const all = [...up.parts.values()].filter(p => p.number > marker).sort((a, b) => a.number - b.number);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const parts = [
    el('Bucket', ctx.bucket),
    el('Key', enc ? C.urlEncode(ctx.key) : ctx.key),
    el('UploadId', up.id),
    el('StorageClass', 'Standard'),
    el('PartNumberMarker', marker),
    el('NextPartNumberMarker', page.length ? page[page.length - 1].number : marker),
    el('MaxParts', max),
    el('IsTruncated', truncated),
  ];
  if (enc) parts.unshift(el('EncodingType', enc));
  for (const p of page) {
    parts.push(
      el('Part', [
        el('PartNumber', p.number),
        el('LastModified', C.isoTime(p.lastModified)),
        el('ETag', p.etag),
        el('HashCrc64ecma', p.crc64),
        el('Size', p.size),
      ])
    );
  }
  C.sendXml(ctx, 200, doc('ListPartsResult', parts));
}

async function listUploads(ctx) {
  ctx.store.bucket(ctx.bucket);
  const q = ctx.q;
  const enc = encodingType(q);
  const e = s => (enc ? C.urlEncode(s) : s);
  const prefix = q.get('prefix') || '';
  const delimiter = q.get('delimiter') || '';
  const keyMarker = q.get('key-marker') || '';
  const idMarker = q.get('upload-id-marker') || '';
  const max = intParam(q, 'max-uploads', 1000, 1000);
  const cmp = (a, b) => Buffer.compare(Buffer.from(a.key, 'utf8'), Buffer.from(b.key, 'utf8')) || (a.initiated < b.initiated ? -1 : a.initiated > b.initiated ? 1 : a.id < b.id ? -1 : 1);
  const all = ctx.store
    .uploadsOf(ctx.bucket)
    .filter(u => u.key.startsWith(prefix))
    .sort(cmp)
    .filter(u => {
      if (!keyMarker) return true;
      const c = Buffer.compare(Buffer.from(u.key, 'utf8'), Buffer.from(keyMarker, 'utf8'));
      if (c > 0) return true;
      return c === 0 && idMarker !== '' && u.id > idMarker;
    });
  const uploads = [];
  const prefixes = [];
  let truncated = false;
  let lastKey = '';
  let lastId = '';
  for (const u of all) {
    let cp = null;
    if (delimiter) {
      const d = u.key.indexOf(delimiter, prefix.length);
      if (d >= 0) cp = u.key.slice(0, d + delimiter.length);
    }
    if (cp !== null && (prefixes[prefixes.length - 1] === cp || (keyMarker && Buffer.compare(Buffer.from(cp, 'utf8'), Buffer.from(keyMarker, 'utf8')) <= 0))) continue;
    if (uploads.length + prefixes.length >= max) {
      truncated = max > 0;
      break;
    }
    if (cp !== null) {
      prefixes.push(cp);
      lastKey = cp;
      lastId = '';
    } else {
      uploads.push(u);
      lastKey = u.key;
      lastId = u.id;
    }
  }
  const parts = [
    el('Bucket', ctx.bucket),
    el('KeyMarker', e(keyMarker)),
    el('UploadIdMarker', idMarker),
    el('NextKeyMarker', truncated ? e(lastKey) : ''),
    el('NextUploadIdMarker', truncated ? lastId : ''),
    el('Delimiter', e(delimiter)),
    el('Prefix', e(prefix)),
    el('MaxUploads', max),
    el('IsTruncated', truncated),
  ];
  if (enc) parts.unshift(el('EncodingType', enc));
  for (const u of uploads) {
    parts.push(el('Upload', [el('Key', e(u.key)), el('UploadId', u.id), el('StorageClass', 'Standard'), el('Initiated', C.isoTime(u.initiated))]));
  }
  for (const p of prefixes) parts.push(el('CommonPrefixes', [el('Prefix', e(p))]));
  C.sendXml(ctx, 200, doc('ListMultipartUploadsResult', parts));
}

module.exports = { initiate, uploadPart, uploadPartCopy, complete, abort, listParts, listUploads, MIN_PART };
