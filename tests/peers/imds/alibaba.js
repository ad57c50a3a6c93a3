// tests/peers/imds/alibaba.js — the Alibaba Cloud endpoints of the credentials server
// (server.js routes to handle() first): ECS instance metadata in security hardening mode and
// STS's RPC API (Version 2015-04-01), handing out temporary credentials that the OSS test
// server (tests/peers/oss) accepts. The two servers share the issued credentials through one
// JSON file in the peers DIR (--alibaba-sts-file here, --sts-credentials-file there):
// {"<AccessKeyId>": {"secret", "token", "expiration" (ms since the epoch, when OSS stops
// accepting them)}}, rewritten (atomically, by rename) at every issue.
//  - ECS metadata: PUT /latest/api/token with X-aliyun-ecs-metadata-token-ttl-seconds
//    (1..21600, else 400; a PUT carrying X-Forwarded-For -> 403) -> a token; GET
//    /latest/meta-data/ram/security-credentials/ (the role name) and .../<role> (JSON: Code
//    "Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration, LastUpdated) need
//    X-aliyun-ecs-metadata-token: missing -> 403 (hardening mode only), unknown or expired
//    -> 401; another role -> 404;
//  - STS AssumeRole: POST /?<query> with a form body; the RPC signature (HMAC-SHA1 over
//    "POST&%2F&" + the percent-encoded sorted parameters of query and body, key
//    "<secret>&") is verified with the RAM user's keys (accessKeys) or with credentials this
//    server issued (then SecurityToken must be theirs and current). Refusals are STS's JSON
//    {RequestId, HostId, Code, Message}: unknown key 404 InvalidAccessKeyId.NotFound, bad
//    signature 400 SignatureDoesNotMatch, reused nonce 400 SignatureNonceUsed, stale
//    Timestamp (> 15 min) 400 InvalidTimeStamp.Expired, expired or wrong token 400
//    InvalidSecurityToken.Expired / InvalidSecurityToken.Mismatch, missing parameter 400
//    MissingParameter, unknown role 404 EntityNotExist.Role, wrong or missing ExternalId 403
//    NoPermission, bad RoleSessionName / DurationSeconds 400 InvalidParameter.*;
//  - STS AssumeRoleWithOIDC (RRSA): unsigned; OIDCProviderArn, RoleArn and OIDCToken must be
//    the configured ones (unknown provider 404 EntityNotExist.OIDCProvider, unknown role 404
//    EntityNotExist.Role, token not accepted 400 AuthenticationFail.OIDCToken.Invalid).
// POST /__control {"alibaba": {...}} changes any key of `state` (mode "ok", "error": 500,
// "malformed": 200 without the keys; lifetime: seconds until the advertised Expiration;
// revokeAfter: > 0 makes OSS refuse issued keys that many seconds after issue, before their
// advertised expiry; {"revokeAll": true} expires every issued key at once). Counters go into
// /__control/stats.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { URL } = require('url');

const state = {
  mode: 'ok',
  lifetime: 3600,
  revokeAfter: 0,
  hardened: true,  // metadata requests need a token (security hardening mode)
  accessKeys: { 'cpsync-test-ak': 'cpsync-test-secret' },  // the OSS peer's RAM user
  roles: ['acs:ram::1234567890123456:role/cpsync-oss-role',
    'acs:ram::1234567890123456:role/cpsync-oss-external'],
  externalIds: { 'acs:ram::1234567890123456:role/cpsync-oss-external': 'cpsync-test-external-id' },
  ecsRole: 'cpsync-ecs-role',
  oidcProviderArn: 'acs:ram::1234567890123456:oidc-provider/ack-rrsa-cpsync',
  oidcRoleArn: 'acs:ram::1234567890123456:role/cpsync-rrsa-role',
  oidcTokens: ['cpsync-test-oidc-token'],
};
const stats = { ali_token_puts: 0, ali_role_list: 0, ali_ecs_creds: 0, ali_assume_role: 0,
  ali_oidc: 0, ali_refused: 0 };
let stsFile = '';
const issued = new Map();  // AccessKeyId -> {secret, token, expiration (ms)}
const metadataTokens = new Map();  // token -> expiry (ms)
const nonces = new Map();  // SignatureNonce -> ms seen

function configure(file) {
  stsFile = file;
  save();
}

function save() {
  if (!stsFile) return;
  const now = Date.now();
  const out = {};
  for (const [ak, c] of issued) {
    if (c.expiration < now - 3600e3) issued.delete(ak);
    else out[ak] = c;
  }
  fs.writeFileSync(stsFile + '.tmp', JSON.stringify(out));
  fs.renameSync(stsFile + '.tmp', stsFile);
}

function control(j) {
  for (const [k, v] of Object.entries(j)) {
    if (k === 'revokeAll') {
      for (const c of issued.values()) c.expiration = Date.now() - 1000;
      save();
    } else if (k in state) {
      state[k] = v;
    } else {
      throw new Error(`unknown alibaba key '${k}'`);
    }
  }
}

function resetStats() { for (const k of Object.keys(stats)) stats[k] = 0; }

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

// New temporary credentials, recorded for the OSS server.
function issue() {
  const now = Date.now();
  const advertised = now + Number(state.lifetime) * 1000;
  const c = {
    secret: crypto.randomBytes(24).toString('base64').replace(/[+/=]/g, 'x'),
    token: 'CAIS' + crypto.randomBytes(48).toString('base64'),
    expiration: state.revokeAfter > 0 ? now + Number(state.revokeAfter) * 1000 : advertised,
  };
  const ak = 'STS.NT' + crypto.randomBytes(10).toString('hex');
  issued.set(ak, c);
  save();
  return { AccessKeyId: ak, AccessKeySecret: c.secret, SecurityToken: c.token,
    Expiration: iso(advertised) };
}

function readBody(req, cb) {
  let data = '';
  req.on('data', (d) => { data += d; });
  req.on('end', () => cb(data));
}

function json(res, status, obj) {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  res.end(JSON.stringify(obj));
}

function stsError(res, status, code, message) {
  stats.ali_refused++;
  json(res, status, { RequestId: crypto.randomUUID().toUpperCase(), HostId: 'sts.aliyuncs.com',
    Code: code, Message: message });
}

// RFC 3986 percent-encoding (encodeURIComponent leaves !'()* alone).
function pct(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function rpcSignature(method, params, secret) {
  const canonical = Object.keys(params).sort().map((k) => pct(k) + '=' + pct(params[k])).join('&');
  const toSign = `${method}&${pct('/')}&${pct(canonical)}`;
  return { toSign, signature: crypto.createHmac('sha1', secret + '&').update(toSign).digest('base64') };
}

function credentialsReply(res, action, roleArn, session) {
  if (state.mode === 'error') { res.writeHead(500); return res.end('internal error'); }
  const reply = { RequestId: crypto.randomUUID().toUpperCase(),
    AssumedRoleUser: { Arn: `${roleArn}/${session}`, AssumedRoleId: `3${Date.now()}:${session}` } };
  if (state.mode !== 'malformed') reply.Credentials = issue();
  if (action === 'AssumeRoleWithOIDC') {
    reply.OIDCTokenInfo = { Issuer: 'https://oidc-ack-cn-hangzhou.oss-cn-hangzhou.aliyuncs.com/cpsync',
      Subject: 'system:serviceaccount:default:cpsync', ClientIds: 'sts.aliyuncs.com' };
  }
  json(res, 200, reply);
}

function checkRoleParams(res, p, validRole) {
  for (const k of ['RoleArn']) {
    if (!p[k]) { stsError(res, 400, 'MissingParameter', `${k} is mandatory for this action.`); return false; }
  }
  const session = p.RoleSessionName || '';
  if (session && !/^[\w.@-]{2,64}$/.test(session)) {
    stsError(res, 400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
    return false;
  }
  const d = Number(p.DurationSeconds || '3600');
  if (!Number.isInteger(d) || d < 900 || d > 43200) {
    stsError(res, 400, 'InvalidParameter.DurationSeconds', 'The Min/Max value of DurationSeconds is 15min/12hr.');
    return false;
  }
  if (!validRole(p.RoleArn)) {
    stsError(res, 404, 'EntityNotExist.Role', `The role not exists: ${p.RoleArn}.`);
    return false;
  }
  return true;
}

function assumeRole(res, p) {
  for (const k of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp', 'SignatureMethod',
    'SignatureVersion']) {
    if (!p[k]) return stsError(res, 400, 'MissingParameter', `${k} is mandatory for this action.`);
  }
  if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0')
    return stsError(res, 400, 'InvalidParameter', 'SignatureMethod must be HMAC-SHA1, SignatureVersion 1.0.');
  const ts = Date.parse(p.Timestamp);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p.Timestamp) || Number.isNaN(ts) ||
      Math.abs(Date.now() - ts) > 15 * 60e3)
    return stsError(res, 400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
  let secret = state.accessKeys[p.AccessKeyId];
  const temp = issued.get(p.AccessKeyId);
  if (secret === undefined && temp) {
    if (p.SecurityToken !== temp.token)
      return stsError(res, 400, 'InvalidSecurityToken.Mismatch', 'Specified SecurityToken mismatch with the AccessKey.');
    if (temp.expiration <= Date.now())
      return stsError(res, 400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    secret = temp.secret;
  }
  if (secret === undefined) return stsError(res, 404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  const signed = Object.assign({}, p);
  delete signed.Signature;
  const { toSign, signature } = rpcSignature('POST', signed, secret);
  const a = Buffer.from(signature);
  const b = Buffer.from(p.Signature);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b))
    return stsError(res, 400, 'SignatureDoesNotMatch', `Specified signature is not matched with our calculation. server string to sign is:${toSign}`);
  const now = Date.now();
  for (const [n, t] of nonces) if (t < now - 15 * 60e3) nonces.delete(n);
  if (nonces.has(p.SignatureNonce)) return stsError(res, 400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
  nonces.set(p.SignatureNonce, now);
  if (!checkRoleParams(res, p, (r) => state.roles.includes(r))) return undefined;
  const ext = state.externalIds[p.RoleArn];
  if (ext !== undefined && p.ExternalId !== ext)
    return stsError(res, 403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');
  stats.ali_assume_role++;
  return credentialsReply(res, 'AssumeRole', p.RoleArn, p.RoleSessionName || 'session');
}

function assumeRoleWithOidc(res, p) {
  for (const k of ['OIDCProviderArn', 'OIDCToken']) {
    if (!p[k]) return stsError(res, 400, 'MissingParameter', `${k} is mandatory for this action.`);
  }
  if (p.OIDCProviderArn !== state.oidcProviderArn)
    return stsError(res, 404, 'EntityNotExist.OIDCProvider', `The OIDC provider not exists: ${p.OIDCProviderArn}.`);
  if (!checkRoleParams(res, p, (r) => r === state.oidcRoleArn)) return undefined;
  if (!state.oidcTokens.includes(p.OIDCToken))
    return stsError(res, 400, 'AuthenticationFail.OIDCToken.Invalid', 'The OIDC token is invalid or expired.');
  stats.ali_oidc++;
  return credentialsReply(res, 'AssumeRoleWithOIDC', p.RoleArn, p.RoleSessionName || 'session');
}

function sts(req, res, query) {
  readBody(req, (body) => {
    const p = {};
    for (const [k, v] of new URLSearchParams(query)) p[k] = v;
    for (const [k, v] of new URLSearchParams(body)) p[k] = v;
    if (p.Version !== '2015-04-01') return stsError(res, 400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (p.Action === 'AssumeRole') return assumeRole(res, p);
    if (p.Action === 'AssumeRoleWithOIDC') return assumeRoleWithOidc(res, p);
    return stsError(res, 404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
  });
}

const CREDS_PATH = '/latest/meta-data/ram/security-credentials/';

// Handles the request if it is one of ours; false otherwise.
function handle(req, res) {
  const u = new URL(req.url, 'http://localhost');
  const path = u.pathname;
  if (path === '/latest/api/token' && req.headers['x-aliyun-ecs-metadata-token-ttl-seconds'] !== undefined) {
    if (req.method !== 'PUT') { res.writeHead(405); res.end(); return true; }
    if (req.headers['x-forwarded-for']) { stats.ali_refused++; res.writeHead(403); res.end(); return true; }
    const ttl = Number(req.headers['x-aliyun-ecs-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) {
      stats.ali_refused++; res.writeHead(400); res.end(); return true;
    }
    stats.ali_token_puts++;
    const t = crypto.randomBytes(24).toString('base64');
    metadataTokens.set(t, Date.now() + ttl * 1000);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(t);
    return true;
  }
  if (path.startsWith(CREDS_PATH)) {
    if (req.method !== 'GET') { res.writeHead(405); res.end(); return true; }
    const t = req.headers['x-aliyun-ecs-metadata-token'];
    if (t === undefined && state.hardened) { stats.ali_refused++; res.writeHead(403); res.end(); return true; }
    if (t !== undefined && !(metadataTokens.get(t) > Date.now())) {
      stats.ali_refused++; res.writeHead(401); res.end(); return true;
    }
    const rest = path.slice(CREDS_PATH.length);
    if (rest === '') {
      stats.ali_role_list++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(state.ecsRole);
      return true;
    }
    if (rest !== state.ecsRole) { res.writeHead(404); res.end(); return true; }
    stats.ali_ecs_creds++;
    if (state.mode === 'error') { res.writeHead(500); res.end('internal error'); return true; }
    const doc = { Code: 'Success', LastUpdated: iso(Date.now()) };
    if (state.mode !== 'malformed') Object.assign(doc, issue());
    json(res, 200, doc);
    return true;
  }
  if (path === '/' && req.method === 'POST' && u.searchParams.has('Action')) {
    sts(req, res, u.search.slice(1));
    return true;
  }
  return false;
}

module.exports = { handle, control, configure, stats, resetStats, state };
