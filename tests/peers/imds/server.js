#!/usr/bin/env node
// tests/peers/imds/server.js — a small credentials endpoint for the S3 and Azure credential
// tests, on 127.0.0.1 (plain HTTP on --port; with --tls-cert/--tls-key the same endpoints
// also over HTTPS on --https-port, logging "listening-https PORT"). It speaks the documented
// protocols of:
//  - EC2 instance metadata, IMDSv2: PUT /latest/api/token with
//    x-aws-ec2-metadata-token-ttl-seconds (1..21600, else 400; a PUT carrying
//    X-Forwarded-For is refused with 403, as on EC2) -> a token; GET
//    /latest/meta-data/iam/security-credentials/ (the role name) and .../<role> (the JSON
//    keys) need x-aws-ec2-metadata-token: missing or wrong -> 401 (IMDSv1 is off, as with
//    HttpTokens=required) unless --imds-v1 is given;
//  - the ECS/Fargate/EKS Pod Identity container endpoint: GET <--container-path> with the
//    Authorization header equal to --container-token, else 401/403;
//  - STS AssumeRoleWithWebIdentity (POST / with the Query API's form body, Version
//    2011-06-15): RoleArn must be --role-arn, RoleSessionName 2-64 of [\w+=,.@-],
//    DurationSeconds 900-43200, and WebIdentityToken one of the tokens a test allowed
//    (POST /__control {"webTokens": [...]}), else the documented ErrorResponse
//    (InvalidIdentityToken, AccessDenied, ValidationError). The JWT itself is not verified:
//    the tests check the client's side of the protocol (the token file read at each refresh);
//  - Alibaba Cloud: ECS instance metadata (RAM role) and STS AssumeRole / AssumeRoleWithOIDC,
//    handing out keys the OSS test server accepts (shared through --alibaba-sts-file): see
//    alibaba.js (POST /__control {"alibaba": {...}});
//  - Azure: Microsoft Entra ID client credentials (secret or federated assertion), the VM
//    managed identity endpoint (IMDS) and the App Service / Container Apps identity endpoint,
//    handing out JWTs that Azurite in OAuth mode accepts: see azure.js (settings in
//    --azure-json and POST /__control {"azure": {...}}).
// The S3 keys it hands out are real ones for Ceph RGW: by default it asks RGW's STS for them
// (AssumeRole of --role-arn, SigV4-signed with the test user's keys given in --access-key /
// --secret-key), so RGW verifies each request made with them; a test may instead set fixed
// keys (rotation) or a failure mode through POST /__control (JSON). GET /__control/stats
// counts requests. Logs "listening PORT" once up.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');
const crypto = require('crypto');
const { URL } = require('url');
const azure = require('./azure');
const alibaba = require('./alibaba');

function arg(name, def) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}
const opt = {
  host: arg('host', '127.0.0.1'),
  port: Number(arg('port', '0')),
  sts: arg('sts-endpoint', ''),  // RGW, e.g. http://127.0.0.1:7480
  accessKey: arg('access-key', ''),
  secretKey: arg('secret-key', ''),
  roleArn: arg('role-arn', ''),
  roleName: arg('role-name', 'cpsync-test-role'),
  containerPath: arg('container-path', '/v2/credentials/cpsync-test'),
  containerToken: arg('container-token', ''),
  imdsV1: process.argv.includes('--imds-v1'),
  tlsCert: arg('tls-cert', ''),
  tlsKey: arg('tls-key', ''),
  httpsPort: Number(arg('https-port', '0')),
  alibabaStsFile: arg('alibaba-sts-file', ''),
};
azure.control(JSON.parse(arg('azure-json', '{}')));
alibaba.configure(opt.alibabaStsFile);

// What /__control changes: mode "sts" (AssumeRole per request), "static" (the keys in
// `creds`), "malformed" (a reply without keys), "error" (HTTP 500); durationSeconds for STS.
const state = { mode: 'sts', creds: null, durationSeconds: 3600, expiration: null,
  webTokens: [] };
const stats = { token_puts: 0, imds_role_list: 0, imds_creds: 0, container: 0, sts_calls: 0,
  refused: 0, web_identity: 0 };
const tokens = new Map();  // token -> expiry (ms)

function hmac(key, data) { return crypto.createHmac('sha256', key).update(data).digest(); }
function sha256hex(data) { return crypto.createHash('sha256').update(data).digest('hex'); }

// STS AssumeRole against RGW, signed with SigV4 (service sts, region us-east-1).
function assumeRole(cb) {
  stats.sts_calls++;
  if (!opt.sts) return cb(new Error('no STS endpoint: the ceph peer was not up at start'));
  const u = new URL(opt.sts);
  const body = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15',
    RoleArn: opt.roleArn, RoleSessionName: 'cpsync-imds-peer',
    DurationSeconds: String(state.durationSeconds) }).toString();
  const now = new Date();
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const date = amzDate.slice(0, 8);
  const region = 'us-east-1';
  const payloadHash = sha256hex(body);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', host: u.host,
    'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', names.map((n) => n + ':' + headers[n] + '\n').join(''),
    names.join(';'), payloadHash].join('\n');
  const scope = `${date}/${region}/sts/aws4_request`;
  const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonical)].join('\n');
  let k = hmac('AWS4' + opt.secretKey, date);
  k = hmac(k, region); k = hmac(k, 'sts'); k = hmac(k, 'aws4_request');
  const sig = crypto.createHmac('sha256', k).update(sts).digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${opt.accessKey}/${scope}, ` +
    `SignedHeaders=${names.join(';')}, Signature=${sig}`;
  headers['content-length'] = Buffer.byteLength(body);
  const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/', headers },
    (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => {
        const pick = (tag) => { const m = data.match(new RegExp(`<${tag}>([^<]*)</${tag}>`));
          return m ? m[1] : ''; };
        if (res.statusCode !== 200 || !pick('AccessKeyId'))
          return cb(new Error(`STS answered ${res.statusCode}`));
        cb(null, { AccessKeyId: pick('AccessKeyId'), SecretAccessKey: pick('SecretAccessKey'),
          Token: pick('SessionToken'), Expiration: pick('Expiration').replace(/\.\d+Z$/, 'Z') });
      });
    });
  req.on('error', cb);
  req.end(body);
}

// The credentials document both endpoints answer with, or an error status.
function credentials(res) {
  if (state.mode === 'error') { res.writeHead(500); return res.end('internal error'); }
  if (state.mode === 'malformed') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end('{"Code":"Success","Type":"AWS-HMAC"}');
  }
  const send = (c) => {
    const doc = Object.assign({ Code: 'Success', Type: 'AWS-HMAC',
      LastUpdated: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, c);
    if (state.expiration) doc.Expiration = state.expiration;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc));
  };
  if (state.mode === 'static') return send(state.creds);
  assumeRole((err, c) => {
    if (err) { res.writeHead(500); return res.end(String(err.message)); }
    send(c);
  });
}

function readBody(req, cb) {
  let data = '';
  req.on('data', (d) => { data += d; });
  req.on('end', () => cb(data));
}

function handler(req, res) {
  const path = req.url.split('?')[0];
  if (path === '/__control/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(Object.assign({}, stats, azure.stats, alibaba.stats)));
  }
  if (path === '/__control' && req.method === 'POST') {
    return readBody(req, (b) => {
      try {
        const j = JSON.parse(b);
        for (const k of ['mode', 'creds', 'durationSeconds', 'expiration', 'webTokens'])
          if (k in j) state[k] = j[k];
        if (j.azure) azure.control(j.azure);
        if (j.alibaba) alibaba.control(j.alibaba);
        if (j.resetStats) {
          for (const k of Object.keys(stats)) stats[k] = 0;
          azure.resetStats();
          alibaba.resetStats();
        }
        if (j.expireTokens) tokens.clear();
        res.writeHead(204); res.end();
      } catch (e) { res.writeHead(400); res.end('bad control request: ' + e.message); }
    });
  }
  if (alibaba.handle(req, res)) return;
  // IMDSv2.
  if (path === '/latest/api/token') {
    if (req.method !== 'PUT') { res.writeHead(405); return res.end(); }
    if (req.headers['x-forwarded-for']) { stats.refused++; res.writeHead(403); return res.end(); }
    const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) {
      stats.refused++; res.writeHead(400); return res.end();
    }
    stats.token_puts++;
    const t = crypto.randomBytes(24).toString('base64');
    tokens.set(t, Date.now() + ttl * 1000);
    res.writeHead(200, { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl),
      'content-type': 'text/plain' });
    return res.end(t);
  }
  if (path.startsWith('/latest/meta-data/iam/security-credentials/')) {
    if (req.method !== 'GET') { res.writeHead(405); return res.end(); }
    const t = req.headers['x-aws-ec2-metadata-token'];
    const ok = t !== undefined ? tokens.has(t) && tokens.get(t) > Date.now() : opt.imdsV1;
    if (!ok) { stats.refused++; res.writeHead(401); return res.end(); }
    const rest = path.slice('/latest/meta-data/iam/security-credentials/'.length);
    if (rest === '') {
      stats.imds_role_list++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(opt.roleName);
    }
    if (rest !== opt.roleName) { res.writeHead(404); return res.end(); }
    stats.imds_creds++;
    return credentials(res);
  }
  // Container credentials.
  if (path === opt.containerPath) {
    if (req.method !== 'GET') { res.writeHead(405); return res.end(); }
    const auth = req.headers.authorization;
    if (opt.containerToken && auth === undefined) {
      stats.refused++; res.writeHead(401); return res.end('{"message":"missing token"}');
    }
    if (opt.containerToken && auth !== opt.containerToken) {
      stats.refused++; res.writeHead(403); return res.end('{"message":"bad token"}');
    }
    stats.container++;
    return credentials(res);
  }
  if (path === '/' && req.method === 'POST') return readBody(req, (b) => webIdentity(b, res));
  if (azure.handle(req, res)) return;
  res.writeHead(404); res.end();
}

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function stsError(res, status, code, message) {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>' +
    `<Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>` +
    `<RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`);
}

// STS AssumeRoleWithWebIdentity; the keys come from RGW's STS (or the static ones).
function webIdentity(body, res) {
  const f = new URLSearchParams(body);
  if (f.get('Action') !== 'AssumeRoleWithWebIdentity' || f.get('Version') !== '2011-06-15')
    return stsError(res, 400, 'InvalidAction', 'only AssumeRoleWithWebIdentity, 2011-06-15');
  const session = f.get('RoleSessionName') || '';
  const token = f.get('WebIdentityToken') || '';
  const duration = Number(f.get('DurationSeconds') || '3600');
  if (!/^[\w+=,.@-]{2,64}$/.test(session) || token.length < 4 ||
      !Number.isInteger(duration) || duration < 900 || duration > 43200)
    return stsError(res, 400, 'ValidationError', 'invalid RoleSessionName, token or duration');
  if (f.get('RoleArn') !== opt.roleArn)
    return stsError(res, 403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  if (!state.webTokens.includes(token))
    return stsError(res, 400, 'InvalidIdentityToken', 'The web identity token is not valid');
  stats.web_identity++;
  const send = (c) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end('<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
      '<AssumeRoleWithWebIdentityResult><SubjectFromWebIdentityToken>system:serviceaccount:' +
      'default:cpsync</SubjectFromWebIdentityToken><Audience>sts.amazonaws.com</Audience>' +
      `<AssumedRoleUser><Arn>${xmlEscape(opt.roleArn)}/${xmlEscape(session)}</Arn>` +
      '<AssumedRoleId>AROACPSYNC:' + xmlEscape(session) + '</AssumedRoleId></AssumedRoleUser>' +
      `<Credentials><SessionToken>${xmlEscape(c.Token || '')}</SessionToken>` +
      `<SecretAccessKey>${xmlEscape(c.SecretAccessKey)}</SecretAccessKey>` +
      `<Expiration>${xmlEscape(state.expiration || c.Expiration ||
        new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'))}</Expiration>` +
      `<AccessKeyId>${xmlEscape(c.AccessKeyId)}</AccessKeyId></Credentials>` +
      '<Provider>127.0.0.1</Provider></AssumeRoleWithWebIdentityResult><ResponseMetadata>' +
      `<RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata>` +
      '</AssumeRoleWithWebIdentityResponse>');
  };
  if (state.mode === 'static') return send(state.creds);
  assumeRole((err, c) => {
    if (err) return stsError(res, 500, 'InternalFailure', String(err.message));
    send(c);
  });
}
const server = http.createServer(handler);
server.listen(opt.port, opt.host, () => {
  console.log(`listening ${server.address().port}`);
});
if (opt.tlsCert && opt.tlsKey) {
  const tls = https.createServer({ cert: fs.readFileSync(opt.tlsCert),
    key: fs.readFileSync(opt.tlsKey) }, handler);
  tls.listen(opt.httpsPort, opt.host, () => {
    console.log(`listening-https ${tls.address().port}`);
  });
}
