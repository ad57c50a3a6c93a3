'use strict';
// Service and bucket handlers of the OSS peer: ListBuckets, PutBucket, DeleteBucket,
// GetBucketLocation, GetBucketInfo and GetBucket (ListObjects V1 and V2) with prefix,
// delimiter, markers / continuation tokens, max-keys and encoding-type=url, keys in UTF-8
// byte order.

const { E } = require('./errors');
const { doc, el } = require('./xml');
const { readSmallBody } = require('./body');
const C = require('./common');

function ownerXml() {
  return el('Owner', [el('ID', C.OWNER.ID), el('DisplayName', C.OWNER.DisplayName)]);
}

function maxKeys(q, name, dflt, max) {
  const v = q.get(name);
  if (v === undefined || v === null || v === '') return dflt;
  if (!/^\d+$/.test(v) || Number(v) > max) throw E.invalidArgument(`${name} must be an integer from 0 to ${max}.`, name, v);
  return Number(v);
}

function encodingType(q) {
  const v = q.get('encoding-type');
  if (v === undefined || v === null || v === '') return null;
  if (v !== 'url') throw E.invalidArgument('encoding-type must be url.', 'encoding-type', v);
  return 'url';
}

async function listBuckets(ctx) {
  const q = ctx.q;
  const prefix = q.get('prefix') || '';
  const marker = q.get('marker') || '';
  const max = maxKeys(q, 'max-keys', 100, 1000);
  const all = ctx.store.listBuckets().filter(b => b.name.startsWith(prefix) && b.name > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const region = ctx.region;
  const buckets = page.map(b =>
    el('Bucket', [
      el('CreationDate', C.isoTime(b.created)),
      el('ExtranetEndpoint', `oss-${region}.aliyuncs.com`),
      el('IntranetEndpoint', `oss-${region}-internal.aliyuncs.com`),
      el('Location', `oss-${region}`),
      el('Name', b.name),
      el('Region', region),
      el('StorageClass', 'Standard'),
    ])
  );
  const parts = [];
  if (q.has('prefix')) parts.push(el('Prefix', prefix));
  if (q.has('marker')) parts.push(el('Marker', marker));
  if (q.has('max-keys')) parts.push(el('MaxKeys', max));
  if (q.has('max-keys') || truncated) parts.push(el('IsTruncated', truncated));
  if (truncated) parts.push(el('NextMarker', page[page.length - 1].name));
  parts.push(ownerXml(), el('Buckets', buckets));
  C.sendXml(ctx, 200, doc('ListAllMyBucketsResult', parts));
}

async function putBucket(ctx) {
  C.checkBucketName(ctx.bucket);
  await readSmallBody(ctx.req, 64 * 1024); // CreateBucketConfiguration is accepted and ignored
  ctx.store.createBucket(ctx.bucket);
  C.sendEmpty(ctx, 200, { Location: `/${ctx.bucket}` });
}

async function deleteBucket(ctx) {
  ctx.store.deleteBucket(ctx.bucket);
  C.sendEmpty(ctx, 204);
}

async function bucketLocation(ctx) {
  ctx.store.bucket(ctx.bucket);
  C.sendXml(ctx, 200, doc('LocationConstraint', `oss-${ctx.region}`));
}

async function bucketInfo(ctx) {
  const b = ctx.store.bucket(ctx.bucket);
  const r = ctx.region;
  C.sendXml(
    ctx,
    200,
    doc('BucketInfo', [
      el('Bucket', [
        el('CreationDate', C.isoTime(b.created)),
        el('ExtranetEndpoint', `oss-${r}.aliyuncs.com`),
        el('IntranetEndpoint', `oss-${r}-internal.aliyuncs.com`),
        el('Location', `oss-${r}`),
        el('Name', b.name),
        el('StorageClass', 'Standard'),
        ownerXml(),
        el('AccessControlList', [el('Grant', 'private')]),
      ]),
    ])
  );
}

// First index in sorted whose key is > after (byte order), or >= prefix when after is ''.
function lowerBound(sorted, buf, strictlyGreater) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = Buffer.compare(sorted[mid].buf, buf);
    if (c < 0 || (strictlyGreater && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Walks keys after `after` with `prefix`, rolling up at `delimiter`, up to `max` entries.
// Returns {objects: [key], prefixes: [string], truncated, last}.
function walk(sorted, prefix, delimiter, after, max) {
  const prefixBuf = Buffer.from(prefix, 'utf8');
  const afterBuf = Buffer.from(after, 'utf8');
  let i = Buffer.compare(afterBuf, prefixBuf) >= 0 ? lowerBound(sorted, afterBuf, true) : lowerBound(sorted, prefixBuf, false);
  const objects = [];
  const prefixes = [];
  let last = null;
  let truncated = false;
  for (; i < sorted.length; i++) {
    const { key, buf } = sorted[i];
    if (!key.startsWith(prefix)) {
      if (Buffer.compare(buf, prefixBuf) > 0) break;
      continue;
    }
    let cp = null;
    if (delimiter) {
      const d = key.indexOf(delimiter, prefix.length);
      if (d >= 0) cp = key.slice(0, d + delimiter.length);
    }
    if (cp !== null) {
      if (Buffer.compare(Buffer.from(cp, 'utf8'), afterBuf) <= 0) continue; // already returned
      if (prefixes.length && prefixes[prefixes.length - 1] === cp) continue;
    }
    if (objects.length + prefixes.length >= max) {
      truncated = max > 0;
      break;
    }
    if (cp !== null) {
      prefixes.push(cp);
      last = cp;
    } else {
      objects.push(key);
      last = key;
    }
  }
  return { objects, prefixes, truncated, last };
}

function contents(ctx, bucket, keys, enc, withOwner) {
  const b = ctx.store.bucket(bucket);
  return keys.map(k => {
    const r = b.objects.get(k);
    return el('Contents', [
      el('Key', enc ? C.urlEncode(k) : k),
      el('LastModified', C.isoTime(r.lastModified)),
      el('ETag', r.etag),
      el('Type', r.type),
      el('Size', r.size),
      el('StorageClass', 'Standard'),
      withOwner ? ownerXml() : null,
    ]);
  });
}

function prefixesXml(prefixes, enc) {
  return prefixes.map(p => el('CommonPrefixes', [el('Prefix', enc ? C.urlEncode(p) : p)]));
}

async function listObjects(ctx) {
  const sorted = ctx.store.sortedKeys(ctx.bucket);
  const q = ctx.q;
  const enc = encodingType(q);
  const e = s => (enc ? C.urlEncode(s) : s);
  const prefix = q.get('prefix') || '';
  const delimiter = q.get('delimiter') || '';
  const max = maxKeys(q, 'max-keys', 100, 1000);
  if (q.get('list-type') === '2') {
    const token = q.get('continuation-token');
    let after = q.get('start-after') || '';
    if (token !== undefined && token !== null) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!token || !decoded.startsWith('k:')) throw E.invalidArgument('The continuation token is not valid.', 'continuation-token', token);
      after = decoded.slice(2);
    }
    const r = walk(sorted, prefix, delimiter, after, max);
    const fetchOwner = q.get('fetch-owner') === 'true';
    const parts = [el('Name', ctx.bucket), el('Prefix', e(prefix))];
    if (q.has('start-after')) parts.push(el('StartAfter', e(q.get('start-after') || '')));
    if (token !== undefined && token !== null) parts.push(el('ContinuationToken', token));
    parts.push(el('MaxKeys', max));
    if (delimiter) parts.push(el('Delimiter', e(delimiter)));
    if (enc) parts.push(el('EncodingType', enc));
    parts.push(el('IsTruncated', r.truncated));
    if (r.truncated) parts.push(el('NextContinuationToken', Buffer.from('k:' + r.last, 'utf8').toString('base64url')));
    parts.push(el('KeyCount', r.objects.length + r.prefixes.length));
    parts.push(...contents(ctx, ctx.bucket, r.objects, enc, fetchOwner), ...prefixesXml(r.prefixes, enc));
    C.sendXml(ctx, 200, doc('ListBucketResult', parts));
    return;
  }
  if (q.has('list-type')) throw E.invalidArgument('list-type must be 2.', 'list-type', q.get('list-type'));
  const marker = q.get('marker') || '';
  const r = walk(sorted, prefix, delimiter, marker, max);
  const parts = [el('Name', ctx.bucket), el('Prefix', e(prefix)), el('Marker', e(marker)), el('MaxKeys', max), el('Delimiter', e(delimiter))];
  if (enc) parts.push(el('EncodingType', enc));
  parts.push(el('IsTruncated', r.truncated));
  if (r.truncated) parts.push(el('NextMarker', e(r.last)));
  parts.push(...contents(ctx, ctx.bucket, r.objects, enc, true), ...prefixesXml(r.prefixes, enc));
  C.sendXml(ctx, 200, doc('ListBucketResult', parts));
}

module.exports = { listBuckets, putBucket, deleteBucket, bucketLocation, bucketInfo, listObjects, walk };
