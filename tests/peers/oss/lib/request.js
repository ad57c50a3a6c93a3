'use strict';
// Turns what arrived on the wire into the request view the verifier and the handlers use:
// bucket and raw key (path style /bucket/key on an IP/localhost host, virtual-hosted style
// bucket.<domain>/key otherwise), decoded query pairs in arrival order, and headers with
// lowercase names whose UTF-8 bytes (which Node hands over as latin1) are decoded back.
// Pure functions.

const net = require('net');
const { E } = require('./errors');

function decode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch (_) {
    throw E.invalidArgument('The request URI contains an invalid percent-encoded sequence.');
  }
}

// Raw query string -> [[name, value|null]]; a bare `name` gives null, `name=` gives ''.
function parseQuery(raw) {
  const out = [];
  if (!raw) return out;
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) out.push([decode(part), null]);
    else out.push([decode(part.slice(0, eq)), decode(part.slice(eq + 1))]);
  }
  return out;
}

function hostName(host) {
  if (!host) return '';
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const c = host.lastIndexOf(':');
  return (c >= 0 ? host.slice(0, c) : host).toLowerCase();
}

// Hosts that name the service rather than a bucket.
function isServiceHost(name) {
  if (!name || net.isIP(name) || name === 'localhost' || !name.includes('.')) return true;
  const first = name.slice(0, name.indexOf('.'));
  return first.startsWith('oss-') && name.endsWith('.aliyuncs.com');
}

// {host, rawPath} -> {bucket|undefined, key ('' for bucket/service level), style}
function parseTarget(host, rawPath) {
  const name = hostName(host);
  let path = rawPath || '/';
  if (!path.startsWith('/')) path = '/' + path;
  if (!isServiceHost(name)) {
    const bucket = name.slice(0, name.indexOf('.'));
    return { bucket, key: decodePath(path.slice(1)), style: 'virtual' };
  }
  const rest = path.slice(1);
  if (rest === '') return { bucket: undefined, key: '', style: 'path' };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decodePath(rest), key: '', style: 'path' };
  return { bucket: decodePath(rest.slice(0, slash)), key: decodePath(rest.slice(slash + 1)), style: 'path' };
}

// Paths are percent-decoded only ('+' stays '+').
function decodePath(s) {
  try {
    return decodeURIComponent(s);
  } catch (_) {
    throw E.invalidArgument('The request URI contains an invalid percent-encoded sequence.');
  }
}

function utf8Fix(v) {
  if (typeof v !== 'string' || !/[\x80-\xff]/.test(v)) return v;
  const s = Buffer.from(v, 'latin1').toString('utf8');
  return Buffer.from(s, 'utf8').equals(Buffer.from(v, 'latin1')) ? s : v;
}

// Node's req.headers (lowercase names) -> same with UTF-8 values restored.
function signingHeaders(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers)) out[k] = Array.isArray(v) ? v.map(utf8Fix).join(', ') : utf8Fix(v);
  return out;
}

module.exports = { parseQuery, parseTarget, signingHeaders, hostName, isServiceHost };
