'use strict';
// Request authentication for the OSS peer. Every request must carry a V1 or V4 signature,
// in the Authorization header or in a signed URL; the expected value is computed by the
// official ali-oss package's own signing functions (lib/common/signUtils.js) from the
// request as received, and any difference is refused. verify() is pure apart from reading
// the clock passed in; it throws OssError or returns {accessKeyId, scheme}.

const crypto = require('crypto');
const signUtils = require('ali-oss/lib/common/signUtils');
const { E, OssError } = require('./errors');

const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_V4_URL_EXPIRES = 7 * 24 * 3600;
const RFC1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

// The sub-resources OSS puts into the V1 canonical resource; other query parameters
// (prefix, marker, max-keys, list-type, ...) are not signed in V1.
const V1_SUBRESOURCES = new Set([
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append',
  'tagging', 'objectMeta', 'uploadId', 'partNumber', 'security-token', 'position', 'img', 'style',
  'styleName', 'replication', 'replicationProgress', 'replicationLocation', 'cname', 'bucketInfo', 'comp',
  'qos', 'live', 'status', 'vod', 'startTime', 'endTime', 'symlink', 'x-oss-process',
  'response-content-type', 'response-content-language', 'response-expires', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'udf', 'udfName', 'udfImage', 'udfId',
  'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'restore', 'callback', 'callback-var', 'qosInfo',
  'policy', 'stat', 'encryption', 'versions', 'versioning', 'versionId', 'requestPayment',
  'x-oss-request-payer', 'sequential', 'inventory', 'inventoryId', 'continuation-token', 'asyncFetch',
  'worm', 'wormId', 'wormExtend', 'withHashContext', 'x-oss-enable-md5', 'x-oss-enable-sha1',
  'x-oss-enable-sha256', 'x-oss-hash-ctx', 'x-oss-md5-ctx', 'transferAcceleration', 'regionList',
  'cloudboxes', 'x-oss-ac-source-ip', 'x-oss-ac-subnet-mask', 'x-oss-ac-vpc-id', 'x-oss-ac-forward-allow',
  'metaQuery', 'resourceGroup', 'rtc', 'x-oss-async-process', 'x-oss-traffic-limit',
]);

function safeEqual(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function queryGet(query, name) {
  for (const [k, v] of query) if (k === name) return v;
  return undefined;
}

function hasQuery(query, name) {
  return query.some(([k]) => k === name);
}

// The secret of `ak`: a permanent key of opts.credentials, or temporary credentials that
// opts.sts(ak) knows (STS-issued: {secret, token, expiration ms}), which OSS accepts only with
// their security token (`token`: the x-oss-security-token header, or the URL's
// security-token / x-oss-security-token parameter) and before they expire.
function secretFor(opts, ak, token) {
  if (ak && opts.credentials.has(ak)) return opts.credentials.get(ak);
  const sts = ak && opts.sts ? opts.sts(ak) : undefined;
  if (!sts) throw E.invalidAccessKeyId(ak || '');
  if (token === undefined || token === '') throw E.invalidAccessKeyId(ak);  // 0002-00000003
  if (!safeEqual(token, sts.token)) throw E.invalidSecurityToken();  // 0002-00000008
  if (sts.expiration <= opts.now) throw E.securityTokenExpired(token);  // 0002-00000007
  return sts.secret;
}

function v1Resource(bucket, key) {
  if (!bucket) return '/';
  return `/${bucket}/${key || ''}`;
}

function v1SubResources(query, exclude) {
  const sub = {};
  for (const [k, v] of query) {
    if (exclude && exclude.has(k)) continue;
    if (V1_SUBRESOURCES.has(k)) sub[k] = v === null ? '' : v;
  }
  return sub;
}

function rfc1123(ms) {
  return new Date(ms).toUTCString();
}

// 20240517T123456Z -> ms, or NaN.
function parseIsoBasic(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function checkSkew(reqMs, now, shown) {
  if (Math.abs(now - reqMs) > MAX_SKEW_MS) throw E.timeSkewed(shown, rfc1123(now));
}

function v1Header(req, auth, opts) {
  const m = /^OSS ([^:\s]+):(\S+)$/.exec(auth);
  if (!m) throw E.invalidArgument('Authorization header is invalid.', 'Authorization', auth.replace(/:.*/, ':...'));
  const [, ak, provided] = m;
  const secret = secretFor(opts, ak, req.headers['x-oss-security-token']);
  const h = req.headers;
  const dateValue = h['x-oss-date'] !== undefined ? h['x-oss-date'] : h.date;
  if (dateValue === undefined) throw E.accessDenied('OSS authentication requires a valid Date or x-oss-date header.');
  // RFC 1123 in GMT only, as OSS wants it (Date.parse alone would take ISO forms too).
  const reqMs = RFC1123.test(dateValue) ? Date.parse(dateValue) : NaN;
  if (Number.isNaN(reqMs)) throw E.accessDenied(`Invalid date format (want e.g. "Fri, 17 May 2024 12:34:56 GMT"): ${dateValue}`);
  checkSkew(reqMs, opts.now, dateValue);
  // The SDK puts x-oss-date in the date slot; a request without it signs its Date header.
  const canonical = signUtils.buildCanonicalString(
    req.method,
    v1Resource(req.bucket, req.key),
    { headers: h, parameters: v1SubResources(req.query) },
    h['x-oss-date'] !== undefined ? undefined : h.date
  );
  const expected = signUtils.computeSignature(secret, canonical);
  if (!safeEqual(expected, provided)) {
    throw E.signatureMismatch(undefined, { StringToSign: canonical, SignatureProvided: provided, OSSAccessKeyId: ak });
  }
  return { accessKeyId: ak, scheme: 'v1' };
}

const V1_URL_PARAMS = new Set(['OSSAccessKeyId', 'Expires', 'Signature']);

function v1Url(req, opts) {
  const ak = queryGet(req.query, 'OSSAccessKeyId');
  const expires = queryGet(req.query, 'Expires');
  const provided = queryGet(req.query, 'Signature');
  if (!ak || !expires || !provided) throw E.accessDenied('Signed URLs need OSSAccessKeyId, Expires and Signature.');
  const secret = secretFor(opts, ak, queryGet(req.query, 'security-token'));
  if (!/^\d+$/.test(expires)) throw E.accessDenied(`Invalid Expires: ${expires}`);
  if (Number(expires) * 1000 < opts.now) {
    throw E.accessDenied('Request has expired.', { Expires: new Date(Number(expires) * 1000).toISOString(), ServerTime: new Date(opts.now).toISOString() });
  }
  // _signatureForURL takes the signed headers (Content-MD5, Content-Type, x-oss-*) as options.
  const options = { method: req.method, subResource: v1SubResources(req.query, V1_URL_PARAMS) };
  for (const [k, v] of Object.entries(req.headers)) {
    if (k.startsWith('x-oss-') || k === 'content-md5' || k === 'content-type') options[k] = v;
  }
  const resource = v1Resource(req.bucket, req.key);
  const canonical = signUtils.buildCanonicalString(
    req.method,
    resource,
    { headers: pick(options), parameters: Object.assign({}, options.subResource) },
    expires
  );
  const { Signature: expected } = signUtils._signatureForURL(secret, options, resource, expires);
  if (!safeEqual(expected, provided)) {
    throw E.signatureMismatch(undefined, { StringToSign: canonical, SignatureProvided: provided, OSSAccessKeyId: ak });
  }
  return { accessKeyId: ak, scheme: 'v1-url' };
}

// For the error body only: the same header set _signatureForURL signs.
function pick(options) {
  const h = {};
  for (const [k, v] of Object.entries(options)) if (k !== 'method' && k !== 'subResource') h[k] = v;
  return h;
}

function v4Queries(query, skip) {
  const q = {};
  for (const [k, v] of query) {
    if (skip && k === skip) continue;
    q[k] = v === null || v === '' ? null : v;
  }
  return q;
}

function parseCredential(cred, opts, token) {
  const parts = (cred || '').split('/');
  if (parts.length !== 5 || parts[3] !== 'oss' || parts[4] !== 'aliyun_v4_request' || !/^\d{8}$/.test(parts[1])) {
    throw E.invalidArgument('Invalid credential in the request.', 'Credential', cred || '');
  }
  const [ak, date, region] = parts;
  const secret = secretFor(opts, ak, token);
  if (region !== opts.region) {
    throw new OssError(403, 'SignatureDoesNotMatch', `Invalid signing region in the credential: ${region} (this endpoint is ${opts.region}).`);
  }
  return { ak, date, region, secret };
}

function parseAdditional(list) {
  if (list === undefined || list === null) return [];
  const names = list.split(';');
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (!n || n !== n.toLowerCase() || (i > 0 && names[i - 1] >= n)) {
      throw E.invalidArgument('AdditionalHeaders must be lowercase, sorted, unique and non-empty.', 'AdditionalHeaders', list);
    }
  }
  return names;
}

function v4Check(req, c, xOssDate, queries, additional, provided, scheme) {
  let canonical;
  try {
    canonical = signUtils.getCanonicalRequest(req.method, { headers: req.headers, queries }, req.bucket, req.key, additional);
  } catch (err) {
    throw E.signatureMismatch(`The request does not carry a header named in AdditionalHeaders (${err.message}).`);
  }
  const sts = signUtils.getStringToSign(c.region, xOssDate, canonical, 'oss');
  const expected = signUtils.getSignatureV4(c.secret, c.date, c.region, sts, 'oss');
  if (!safeEqual(expected, provided)) {
    throw E.signatureMismatch(undefined, {
      CanonicalRequest: canonical,
      StringToSign: sts,
      SignatureProvided: provided,
      OSSAccessKeyId: c.ak,
    });
  }
  return { accessKeyId: c.ak, scheme };
}

function v4Header(req, auth, opts) {
  const fields = {};
  for (const piece of auth.slice('OSS4-HMAC-SHA256 '.length).split(',')) {
    const p = piece.trim();
    const eq = p.indexOf('=');
    if (eq < 0) throw E.invalidArgument('Authorization header is invalid.', 'Authorization', 'OSS4-HMAC-SHA256 ...');
    fields[p.slice(0, eq)] = p.slice(eq + 1);
  }
  if (!fields.Credential || !fields.Signature) {
    throw E.invalidArgument('Authorization header needs Credential and Signature.', 'Authorization', 'OSS4-HMAC-SHA256 ...');
  }
  const c = parseCredential(fields.Credential, opts, req.headers['x-oss-security-token']);
  const additional = parseAdditional(fields.AdditionalHeaders);
  const xOssDate = req.headers['x-oss-date'];
  const reqMs = parseIsoBasic(xOssDate);
  if (Number.isNaN(reqMs)) throw E.accessDenied('V4 signatures need an x-oss-date header like 20240517T123456Z.');
  if (xOssDate.slice(0, 8) !== c.date) throw E.signatureMismatch('The date in the credential does not match x-oss-date.');
  checkSkew(reqMs, opts.now, xOssDate);
  const sha = req.headers['x-oss-content-sha256'];
  if (sha === undefined) throw E.invalidArgument('V4 signatures need the x-oss-content-sha256 header.', 'x-oss-content-sha256', '');
  if (sha !== 'UNSIGNED-PAYLOAD' && !/^[0-9a-f]{64}$/.test(sha)) {
    throw E.invalidArgument('x-oss-content-sha256 must be UNSIGNED-PAYLOAD or a lowercase hex SHA-256.', 'x-oss-content-sha256', sha);
  }
  return v4Check(req, c, xOssDate, v4Queries(req.query), additional, fields.Signature, 'v4');
}

function v4Url(req, opts) {
  const version = queryGet(req.query, 'x-oss-signature-version');
  if (version !== 'OSS4-HMAC-SHA256') throw E.invalidArgument('Unsupported x-oss-signature-version.', 'x-oss-signature-version', version);
  const provided = queryGet(req.query, 'x-oss-signature');
  const cred = queryGet(req.query, 'x-oss-credential');
  const xOssDate = queryGet(req.query, 'x-oss-date');
  const expires = queryGet(req.query, 'x-oss-expires');
  if (!provided || !cred || !xOssDate || !expires) {
    throw E.accessDenied('V4 signed URLs need x-oss-credential, x-oss-date, x-oss-expires and x-oss-signature.');
  }
  const c = parseCredential(cred, opts, queryGet(req.query, 'x-oss-security-token'));
  const reqMs = parseIsoBasic(xOssDate);
  if (Number.isNaN(reqMs)) throw E.invalidArgument('Invalid x-oss-date.', 'x-oss-date', xOssDate);
  if (xOssDate.slice(0, 8) !== c.date) throw E.signatureMismatch('The date in x-oss-credential does not match x-oss-date.');
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_V4_URL_EXPIRES) {
    throw E.invalidArgument('x-oss-expires must be 1 to 604800 seconds.', 'x-oss-expires', expires);
  }
  if (reqMs - opts.now > MAX_SKEW_MS) throw E.timeSkewed(xOssDate, rfc1123(opts.now));
  if (reqMs + Number(expires) * 1000 < opts.now) {
    throw E.accessDenied('Request has expired.', { Expires: new Date(reqMs + Number(expires) * 1000).toISOString(), ServerTime: new Date(opts.now).toISOString() });
  }
  const additional = parseAdditional(queryGet(req.query, 'x-oss-additional-headers'));
  return v4Check(req, c, xOssDate, v4Queries(req.query, 'x-oss-signature'), additional, provided, 'v4-url');
}

// req: {method, bucket, key, query: [[k, v|null]], headers: lowercase names, UTF-8 values}
// opts: {credentials: Map ak -> secret, region: 'cn-hangzhou', now: ms,
//        sts: optional function ak -> {secret, token, expiration} | undefined}
function verify(req, opts) {
  const auth = req.headers.authorization;
  if (auth !== undefined && auth !== '') {
    if (auth.startsWith('OSS4-HMAC-SHA256 ')) return v4Header(req, auth, opts);
    if (auth.startsWith('OSS ')) return v1Header(req, auth, opts);
    throw E.invalidArgument('Authorization header is invalid.', 'Authorization', auth.split(' ')[0]);
  }
  if (hasQuery(req.query, 'x-oss-signature-version') || hasQuery(req.query, 'x-oss-signature')) return v4Url(req, opts);
  if (hasQuery(req.query, 'Signature') || hasQuery(req.query, 'OSSAccessKeyId')) return v1Url(req, opts);
  throw E.accessDenied('Anonymous access is forbidden: every request to this server must be signed.');
}

module.exports = { verify, V1_SUBRESOURCES, MAX_SKEW_MS };
