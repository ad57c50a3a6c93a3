'use strict';
// Request dispatch for the OSS peer: builds the request view, authenticates it (lib/auth.js),
// picks the handler from method + bucket/key + sub-resource, and turns any thrown OssError
// into an OSS XML error. Every response carries x-oss-request-id, Date and Server.

const crypto = require('crypto');
const { E, OssError, errorBody } = require('./errors');
const { verify } = require('./auth');
const { parseQuery, parseTarget, signingHeaders } = require('./request');
const C = require('./common');
const B = require('./buckets');
const O = require('./objects');
const M = require('./multipart');

// Bucket sub-resources this server does not implement (refused rather than misread as a list).
const UNSUPPORTED = ['acl', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'tagging', 'policy', 'versioning', 'versions', 'encryption', 'replication', 'inventory', 'worm', 'stat', 'append', 'symlink', 'restore', 'objectMeta', 'x-oss-process', 'callback'];

function route(ctx) {
  const { method } = ctx.req;
  const q = ctx.q;
  for (const s of UNSUPPORTED) if (q.has(s) && !(s === 'objectMeta' && method === 'HEAD')) return () => Promise.reject(E.notImplemented(`The ${s} sub-resource`));
  if (!ctx.bucket) {
    if (method === 'GET') return B.listBuckets;
    throw E.methodNotAllowed();
  }
  if (ctx.key === '') {
    switch (method) {
      case 'PUT':
        return B.putBucket;
      case 'DELETE':
        return B.deleteBucket;
      case 'GET':
      case 'HEAD':
        if (q.has('uploads')) return M.listUploads;
        if (q.has('location')) return B.bucketLocation;
        if (q.has('bucketInfo')) return B.bucketInfo;
        return B.listObjects;
      case 'POST':
        if (q.has('delete')) return O.deleteObjects;
        throw E.methodNotAllowed();
      default:
        throw E.methodNotAllowed();
    }
  }
  switch (method) {
    case 'PUT':
      if (q.has('uploadId') || q.has('partNumber')) {
        return ctx.req.headers['x-oss-copy-source'] !== undefined ? M.uploadPartCopy : M.uploadPart;
      }
      return ctx.req.headers['x-oss-copy-source'] !== undefined ? O.copyObject : O.putObject;
    case 'GET':
      if (q.has('uploadId')) return M.listParts;
      return O.getObject;
    case 'HEAD':
      return O.getObject;
    case 'DELETE':
      if (q.has('uploadId')) return M.abort;
      return O.deleteObject;
    case 'POST':
      if (q.has('uploads')) return M.initiate;
      if (q.has('uploadId')) return M.complete;
      throw E.methodNotAllowed();
    default:
      throw E.methodNotAllowed();
  }
}

function makeHandler(opts) {
  const { store, credentials, sts, region, log, copyLimit } = opts;
  const hostId = 'oss-peer.127.0.0.1';
  let counter = 0;
  return async function handle(req, res, expectContinue = false) {
    const requestId = crypto.randomBytes(6).toString('hex').toUpperCase() + (++counter).toString(16).toUpperCase().padStart(12, '0');
    res.setHeader('x-oss-request-id', requestId);
    res.setHeader('Server', 'AliyunOSS');
    res.setHeader('Date', new Date().toUTCString());
    const url = req.url || '/';
    const qi = url.indexOf('?');
    const rawPath = qi >= 0 ? url.slice(0, qi) : url;
    const rawQuery = qi >= 0 ? url.slice(qi + 1) : '';
    const ctx = { req, res, store, region, requestId, hostId, copyLimit };
    try {
      const target = parseTarget(req.headers.host, rawPath);
      ctx.bucket = target.bucket;
      ctx.key = target.key;
      ctx.query = parseQuery(rawQuery);
      ctx.q = C.queryMap(ctx.query);
      ctx.headers = signingHeaders(req.headers);
      if (ctx.bucket !== undefined && !C.validBucketName(ctx.bucket)) throw E.invalidBucketName(ctx.bucket);
      ctx.auth = verify({ method: req.method, bucket: ctx.bucket, key: ctx.key, query: ctx.query, headers: ctx.headers }, { credentials, sts, region, now: Date.now() });
      const handler = route(ctx);
      // Expect: 100-continue is answered only once the request is authenticated and routed,
      // so a refused upload never sends its body.
      if (expectContinue) res.writeContinue();
      await handler(ctx);
      if (log) log(`${req.method} ${url} -> ${res.statusCode} ${ctx.auth.scheme}`);
    } catch (err) {
      const e = err instanceof OssError ? err : E.internal();
      if (!(err instanceof OssError)) console.error(`oss-peer: ${req.method} ${url}: ${err && err.stack}`);
      if (log) log(`${req.method} ${url} -> ${e.status} ${e.code}`);
      if (res.headersSent || req.socket.destroyed) {
        res.destroy();
        return;
      }
      const body = Buffer.from(errorBody(e, requestId, hostId), 'utf8');
      const headers = { 'Content-Type': 'application/xml', 'Content-Length': body.length, 'x-oss-ec': e.ec || '0000-00000000' };
      const cl = req.headers['content-length'];
      const hasBody = (cl !== undefined && cl !== '0') || req.headers['transfer-encoding'] !== undefined;
      if (hasBody && !req.complete) headers.Connection = 'close'; // the unread body is not drained
      res.writeHead(e.status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  };
}

module.exports = { makeHandler, route };
