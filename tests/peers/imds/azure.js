// tests/peers/imds/azure.js — the Azure token endpoints of the credentials server (server.js
// routes to handle()). Tokens are RS256 JWTs (signed with a key made at start; the public key
// at GET /{tenant}/discovery/v2.0/keys) with the claims Azurite's --oauth basic checks: iss
// https://sts.windows.net/<tenant>/, aud the requested resource, iat, nbf and exp current
// (exp = now + tokenLifetime). Endpoints, with the test values that are their defaults:
//  - Microsoft Entra ID client credentials (AZURE_AUTHORITY_HOST): POST
//    /{tenant}/oauth2/v2.0/token, form grant_type=client_credentials, client_id, scope
//    <resource>/.default, and client_secret or client_assertion_type
//    urn:ietf:params:oauth:client-assertion-type:jwt-bearer + client_assertion (workload
//    identity: the federated token file's content; a service principal's certificate: a JWT
//    checked as Entra ID checks it, see certificateAssertion) -> {token_type, expires_in,
//    ext_expires_in, access_token}, or the AADSTS error JSON {error, error_description,
//    error_codes, timestamp, trace_id, correlation_id} with 400 or 401;
//  - VM managed identity (IMDS): GET /metadata/identity/oauth2/token?api-version=2018-02-01
//    &resource=R[&client_id=|object_id=|msi_res_id=] with `Metadata: true` (else 400; also
//    400 with X-Forwarded-For, as IMDS) -> {access_token, client_id, expires_in, expires_on,
//    ext_expires_in, not_before, resource, token_type}, numbers as strings (epoch seconds);
//    an identity that is not assigned -> 400 "Identity not found";
//  - App Service / Container Apps (IDENTITY_ENDPOINT, IDENTITY_HEADER): GET
//    <identityPath>?api-version=2019-08-01&resource=R[&client_id=...] with X-IDENTITY-HEADER
//    equal to identityHeader (missing 400, wrong 401) -> {access_token, client_id,
//    expires_on (epoch seconds, a string), resource, token_type}.
// POST /__control {"azure": {...}} changes any key of `state` below (mode "ok", "error":
// HTTP 500, "malformed": 200 without access_token); stats go into /__control/stats.
'use strict';
const crypto = require('crypto');
const { URL } = require('url');

const state = {
  mode: 'ok',
  tokenLifetime: 3600,  // seconds; e.g. 130 makes a client refresh within the run
  tenant: '72f0c1d3-5e4b-4a69-8c2d-0cb5c7a11e01',
  clientId: '3f9b2c4e-8d1a-4e7f-b6c5-a2d4e6f80c01',
  clientSecret: 'cpsync-test-client-secret',  // a made-up test value, not a secret
  assertions: ['cpsync-test-federated-token'],  // accepted client_assertion values
  certificates: [],  // PEM certificates registered for the app (client assertions' x5t)
  systemIdentity: true,  // a VM/App Service identity without client_id
  systemClientId: '5a7c9e1b-3d2f-4a6b-8c0e-1f3a5b7d9e02',
  userIdentity: {  // the one user-assigned identity (client_id, object_id or msi_res_id)
    client_id: '8e6d4c2b-0a1f-4e3d-9c5b-7a8f6e4d2c03',
    object_id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d04',
    msi_res_id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/cpsync-test' +
      '/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cpsync-test',
  },
  identityPath: '/msi/token',
  identityHeader: 'cpsync-test-identity-header',
  resources: ['https://storage.azure.com', 'https://storage.azure.com/'],
};
const stats = { azure_client_secret: 0, azure_client_assertion: 0, azure_client_certificate: 0,
  azure_imds: 0,
  azure_app_service: 0, azure_refused: 0 };
const keyId = crypto.randomBytes(8).toString('hex');
const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

// A signed access token for `appId` and `resource` valid for state.tokenLifetime seconds.
function mint(appId, resource) {
  const now = Math.floor(Date.now() / 1000);
  const exp = now + Number(state.tokenLifetime);
  const oid = crypto.createHash('sha256').update(appId).digest('hex');
  const oidUuid = [oid.slice(0, 8), oid.slice(8, 12), oid.slice(12, 16), oid.slice(16, 20),
    oid.slice(20, 32)].join('-');
  const claims = { aud: resource.replace(/\/$/, ''),
    iss: `https://sts.windows.net/${state.tenant}/`, iat: now - 60, nbf: now - 60, exp,
    appid: appId, appidacr: '1', idtyp: 'app', oid: oidUuid, sub: oidUuid, tid: state.tenant,
    uti: crypto.randomBytes(16).toString('base64url'), ver: '1.0' };
  const head = b64url({ typ: 'JWT', alg: 'RS256', kid: keyId }) + '.' + b64url(claims);
  const sig = crypto.sign('sha256', Buffer.from(head), privateKey).toString('base64url');
  return { token: head + '.' + sig, now, exp };
}

function json(res, status, doc) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store' });
  res.end(JSON.stringify(doc));
}

// Mode "error" or "malformed" answers instead of a token; true when it did.
function failMode(res) {
  if (state.mode === 'error') { json(res, 500, { error: 'server_error' }); return true; }
  if (state.mode === 'malformed') { json(res, 200, { token_type: 'Bearer' }); return true; }
  return false;
}

function aadError(res, status, error, code, description) {
  stats.azure_refused++;
  json(res, status, { error, error_description: `AADSTS${code}: ${description}`,
    error_codes: [code], timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
    trace_id: crypto.randomUUID(), correlation_id: crypto.randomUUID(),
    error_uri: 'https://login.microsoftonline.com/error?code=' + code });
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// A certificate's client assertion, checked as Entra ID documents it: a compact JWS whose
// header names a registered certificate by x5t (base64url SHA-1 of its DER), signed RS256 by
// that certificate's key, with aud = this token endpoint's URL, iss = sub = the client id,
// a jti, nbf not in the future and exp not past (5 minutes' skew) and at most 1 hour after
// nbf. Returns null when it holds, else {code, text} of the AADSTS error.
function certificateAssertion(assertion, tenant, req) {
  const parts = String(assertion).split('.');
  const bad = (code, text) => ({ code, text });
  if (parts.length !== 3) return bad(70021,
    'No matching federated identity record found for presented assertion.');
  let header, claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch (e) {
    return bad(50027, 'JWT token is invalid or malformed.');
  }
  if (header.alg !== 'RS256') return bad(5002738, `Invalid JWT token. '${header.alg}' is not a ` +
    'supported signature algorithm.');
  const cert = state.certificates.map((pem) => new crypto.X509Certificate(pem)).find((c) =>
    crypto.createHash('sha1').update(c.raw).digest('base64url') === header.x5t);
  if (!cert) return bad(700027, 'The certificate with identifier used to sign the client ' +
    `assertion is not registered on application. [Reason - The key was not found., ` +
    `Thumbprint of key used by client: '${header.x5t}']`);
  const signed = Buffer.from(parts[0] + '.' + parts[1]);
  if (!crypto.verify('sha256', signed, cert.publicKey, Buffer.from(parts[2], 'base64url')))
    return bad(700027, 'Client assertion failed signature validation.');
  const proto = req.socket.encrypted ? 'https' : 'http';
  const aud = `${proto}://${req.headers.host}/${tenant}/oauth2/v2.0/token`;
  if (claims.aud !== aud) return bad(700212, `No matching federated identity record found ` +
    `for presented assertion audience '${claims.aud}'.`);
  if (claims.iss !== state.clientId || claims.sub !== state.clientId)
    return bad(700023, 'Client assertion audience claim does not match Realm issuer.');
  if (typeof claims.jti !== 'string' || !claims.jti)
    return bad(50027, 'JWT token is invalid or malformed (no jti).');
  const now = Math.floor(Date.now() / 1000);
  if (!(Number.isInteger(claims.nbf) && Number.isInteger(claims.exp)))
    return bad(50027, 'JWT token is invalid or malformed (nbf, exp).');
  if (claims.nbf > now + 300) return bad(700024, 'Client assertion is not within its valid time range.');
  if (claims.exp < now - 300) return bad(700024, 'Client assertion is not within its valid time range.');
  if (claims.exp - claims.nbf > 3600) return bad(700025, 'Client assertion lifetime is too long.');
  return null;
}

function clientCredentials(tenant, body, res, req) {
  const f = new URLSearchParams(body);
  if (tenant !== state.tenant)
    return aadError(res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
  for (const p of ['grant_type', 'client_id', 'scope'])
    if (!f.get(p))
      return aadError(res, 400, 'invalid_request', 900144,
        `The request body must contain the following parameter: '${p}'.`);
  if (f.get('grant_type') !== 'client_credentials')
    return aadError(res, 400, 'unsupported_grant_type', 70003,
      'The app requested an unsupported grant type.');
  if (f.get('client_id') !== state.clientId)
    return aadError(res, 400, 'unauthorized_client', 700016, `Application with identifier ` +
      `'${f.get('client_id')}' was not found in the directory '${tenant}'.`);
  const scope = f.get('scope');
  const resource = scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : '';
  if (!resource) return aadError(res, 400, 'invalid_scope', 1002012,
    `The provided value for scope ${scope} is not valid. Client credential flows must have ` +
    'a scope value with /.default suffixed to the resource identifier.');
  if (!state.resources.includes(resource))
    return aadError(res, 400, 'invalid_resource', 500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}.`);
  const secret = f.get('client_secret');
  const assertion = f.get('client_assertion');
  if (secret === null && assertion === null)
    return aadError(res, 401, 'invalid_client', 7000218, 'The request body must contain the ' +
      "following parameter: 'client_assertion' or 'client_secret'.");
  if (secret !== null) {
    if (secret !== state.clientSecret)
      return aadError(res, 401, 'invalid_client', 7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the ' +
        `client secret value, not the client secret ID, for a secret added to app '${state.clientId}'.`);
    stats.azure_client_secret++;
  } else {
    if (f.get('client_assertion_type') !== ASSERTION_TYPE)
      return aadError(res, 400, 'invalid_request', 90014,
        "The request body must contain the following parameter: 'client_assertion_type'.");
    if (state.assertions.includes(assertion)) {
      stats.azure_client_assertion++;
    } else {
      const why = certificateAssertion(assertion, tenant, req);
      if (why) return aadError(res, 401, 'invalid_client', why.code, why.text);
      stats.azure_client_certificate++;
    }
  }
  if (failMode(res)) return;
  const t = mint(state.clientId, resource);
  json(res, 200, { token_type: 'Bearer', expires_in: t.exp - t.now, ext_expires_in: t.exp - t.now,
    access_token: t.token });
}

// The managed identity a request names (client_id, object_id or msi_res_id; none: the system
// identity): its client id, or null when it is not assigned.
function identity(q) {
  const u = state.userIdentity || {};
  const named = ['client_id', 'object_id', 'msi_res_id'].filter((k) => q.get(k) !== null);
  if (named.length === 0) return state.systemIdentity ? state.systemClientId : null;
  if (named.length > 1) return null;
  return q.get(named[0]) === u[named[0]] ? u.client_id : null;
}

function managedIdentity(q, res, extended, counter) {
  const resource = q.get('resource');
  if (!resource) {
    stats.azure_refused++;
    return json(res, 400, { error: 'invalid_request',
      error_description: 'Required audience parameter not specified' });
  }
  const id = identity(q);
  if (id === null) {
    stats.azure_refused++;
    return json(res, 400, { error: 'invalid_request', error_description: 'Identity not found' });
  }
  if (!state.resources.includes(resource)) {
    stats.azure_refused++;
    return json(res, 400, { error: 'invalid_resource', error_description:
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant.` });
  }
  stats[counter]++;
  if (failMode(res)) return;
  const t = mint(id, resource);
  const doc = { access_token: t.token, client_id: id };
  if (extended) Object.assign(doc, { expires_in: String(t.exp - t.now),
    ext_expires_in: String(t.exp - t.now), not_before: String(t.now - 60) });
  Object.assign(doc, { expires_on: String(t.exp), resource, token_type: 'Bearer' });
  json(res, 200, doc);
}

function readBody(req, cb) {
  let data = '';
  req.on('data', (d) => { data += d; });
  req.on('end', () => cb(data));
}

// Answers req if it is one of the Azure endpoints; false when it is not.
function handle(req, res) {
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname;
  const q = url.searchParams;
  let m = path.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/);
  if (m) {
    if (req.method !== 'POST') { res.writeHead(405); res.end(); return true; }
    readBody(req, (b) => clientCredentials(decodeURIComponent(m[1]), b, res, req));
    return true;
  }
  m = path.match(/^\/([^/]+)\/discovery\/v2\.0\/keys$/);
  if (m) {
    const jwk = publicKey.export({ format: 'jwk' });
    json(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid: keyId, n: jwk.n, e: jwk.e }] });
    return true;
  }
  if (path === '/metadata/identity/oauth2/token') {
    if (req.method !== 'GET') { res.writeHead(405); res.end(); return true; }
    const bad = (d) => { stats.azure_refused++; json(res, 400, { error: 'invalid_request',
      error_description: d }); };
    if (req.headers['x-forwarded-for'] !== undefined)
      bad('Request contains the X-Forwarded-For header');
    else if (req.headers.metadata !== 'true') bad('Required metadata header not specified');
    else if (!q.get('api-version')) bad("Required query variable 'api-version' is missing");
    else if (q.get('api-version') !== '2018-02-01') bad('Invalid API version');
    else managedIdentity(q, res, true, 'azure_imds');
    return true;
  }
  if (path === state.identityPath) {
    if (req.method !== 'GET') { res.writeHead(405); res.end(); return true; }
    const h = req.headers['x-identity-header'];
    if (h === undefined) {
      stats.azure_refused++;
      json(res, 400, { statusCode: 400, message: 'X-IDENTITY-HEADER is missing' });
    } else if (h !== state.identityHeader) {
      stats.azure_refused++;
      json(res, 401, { statusCode: 401, message: 'Unauthorized: X-IDENTITY-HEADER is invalid' });
    } else if (q.get('api-version') !== '2019-08-01') {
      stats.azure_refused++;
      json(res, 400, { statusCode: 400, message: 'api-version 2019-08-01 is required' });
    } else managedIdentity(q, res, false, 'azure_app_service');
    return true;
  }
  return false;
}

// Applies a /__control {"azure": {...}} object (userIdentity is merged key by key); throws on
// an unknown key.
function control(j) {
  for (const k of Object.keys(j)) {
    if (!(k in state)) throw new Error('unknown azure key ' + k);
    state[k] = k === 'userIdentity' ? Object.assign({}, state[k], j[k]) : j[k];
  }
}

function resetStats() { for (const k of Object.keys(stats)) stats[k] = 0; }

module.exports = { state, stats, handle, control, resetStats };
