#!/usr/bin/env node
// tests/peers/faultproxy/faultproxy.js — a fault-injecting HTTP proxy on 127.0.0.1 in front
// of one peer. On a seeded schedule it answers throttling errors (503 with the provider's
// XML, 429 with Retry-After), resets connections mid-request and mid-response, truncates
// bodies, delays responses and flips a byte in a response body or in a request body (an
// upload damaged on its way to the server). It counts requests and bytes per direction, and
// the most requests open at once.
// Node built-ins only.
//
//   node faultproxy.js --target http://127.0.0.1:PORT --port 0 [--seed N]
//        [--throttle-rate R] [--throttle-429-rate R] [--reset-rate R] [--reset-request-rate R]
//        [--truncate-rate R] [--corrupt-rate R] [--delay-rate R] [--delay-ms MS]
//        [--corrupt-request-rate R] [--corrupt-request-min BYTES]
//        [--provider s3|azure|oss] [--retry-after S]
//
// Prints "listening PORT" on stdout once ready. Control endpoints (never forwarded):
//   GET  /__proxy/stats   JSON counters
//   POST /__proxy/reset   zero the counters
//   POST /__proxy/config  JSON body with any of the rate options (camelCase or dashed keys)
// The Host header is passed through unchanged: clients sign it.
'use strict';

const http = require('http');
const { URL } = require('url');

function parseArgs(argv) {
  const opts = {
    target: null, port: 0, seed: 1, provider: 's3', retryAfter: 1,
    throttleRate: 0, throttle429Rate: 0, resetRate: 0, resetRequestRate: 0,
    truncateRate: 0, corruptRate: 0, delayRate: 0, delayMs: 0,
    // Request bodies of at least corruptRequestMin bytes (so, say, only part uploads).
    corruptRequestRate: 0, corruptRequestMin: 1,
  };
  for (let i = 2; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    const v = argv[i + 1];
    applyOption(opts, k, v);
  }
  if (!opts.target) {
    process.stderr.write('faultproxy: --target URL is required\n');
    process.exit(2);
  }
  return opts;
}

function camel(k) { return k.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase()); }

function applyOption(opts, key, value) {
  const k = camel(key);
  if (!(k in opts)) throw new Error(`unknown option ${key}`);
  if (k === 'target' || k === 'provider') opts[k] = String(value);
  else {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`bad value for ${key}`);
    opts[k] = n;
  }
}

// mulberry32: small, seeded, deterministic.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const opts = parseArgs(process.argv);
const target = new URL(opts.target);
let rand = rng(opts.seed);

function zeroStats() {
  return {
    requests: 0, forwarded: 0, bytesUp: 0, bytesDown: 0,
    inFlight: 0, peakInFlight: 0,  // requests open at once (until their response closes)
    injected: { throttle: 0, throttle429: 0, resetRequest: 0, resetResponse: 0,
                truncate: 0, corrupt: 0, delay: 0, corruptRequest: 0 },
  };
}
let stats = zeroStats();

function throttleBody() {
  if (opts.provider === 'azure') {
    return '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code>' +
      '<Message>The server is busy.</Message></Error>';
  }
  if (opts.provider === 'oss') {
    return '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>ServerBusy</Code>\n' +
      '  <Message>Please reduce your request rate.</Message>\n' +
      '  <RequestId>faultproxy</RequestId>\n  <HostId>127.0.0.1</HostId>\n</Error>\n';
  }
  return '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>' +
    '<Message>Please reduce your request rate.</Message><RequestId>faultproxy</RequestId></Error>';
}

function sendError(res, status, extraHeaders) {
  const body = throttleBody();
  const h = { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body),
              ...extraHeaders };
  if (opts.provider === 'azure') h['x-ms-error-code'] = 'ServerBusy';
  res.writeHead(status, h);
  res.end(body);
  stats.bytesDown += Buffer.byteLength(body);
}

function control(req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = req.url.split('?')[0];
    if (req.method === 'GET' && path === '/__proxy/stats') {
      const body = JSON.stringify(stats);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(body);
    }
    if (req.method === 'POST' && path === '/__proxy/reset') {
      stats = zeroStats();
      res.writeHead(204);
      return res.end();
    }
    if (req.method === 'POST' && path === '/__proxy/config') {
      try {
        const cfg = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        for (const [k, v] of Object.entries(cfg)) {
          if (k === 'target') throw new Error('target cannot change');
          applyOption(opts, k, v);
        }
        if ('seed' in cfg) rand = rng(opts.seed);
      } catch (e) {
        res.writeHead(400, { 'Content-Type': 'text/plain' });
        return res.end(String(e.message) + '\n');
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(opts));
    }
    res.writeHead(404);
    res.end();
  });
}

// Draws one decision for a request. Each fault is drawn in a fixed order so the schedule
// only depends on the seed and the request order.
function decide() {
  const r = {
    throttle: rand() < opts.throttleRate,
    throttle429: rand() < opts.throttle429Rate,
    resetRequest: rand() < opts.resetRequestRate,
    resetResponse: rand() < opts.resetRate,
    truncate: rand() < opts.truncateRate,
    corrupt: rand() < opts.corruptRate,
    delay: rand() < opts.delayRate,
    frac: rand(),
    corruptRequest: false,
  };
  // Drawn only when enabled, so the schedules of the other faults stay as they were.
  if (opts.corruptRequestRate > 0) r.corruptRequest = rand() < opts.corruptRequestRate;
  return r;
}

function destroy(sock) {
  // An abrupt RST rather than a clean FIN, where the platform allows it.
  if (typeof sock.resetAndDestroy === 'function') sock.resetAndDestroy();
  else sock.destroy();
}

function proxy(req, res) {
  stats.requests++;
  const counted = stats;  // a reset mid-request leaves the new counters alone
  counted.inFlight++;
  counted.peakInFlight = Math.max(counted.peakInFlight, counted.inFlight);
  res.on('close', () => { counted.inFlight--; });
  const d = decide();
  if (d.throttle) {
    stats.injected.throttle++;
    req.resume();
    return sendError(res, 503, {});
  }
  if (d.throttle429) {
    stats.injected.throttle429++;
    req.resume();
    return sendError(res, 429, { 'Retry-After': String(opts.retryAfter) });
  }
  const declared = Number(req.headers['content-length'] || 0);
  // Reset mid-request: only meaningful when there is a body to cut.
  const cutUploadAt = d.resetRequest && declared > 0 ? Math.floor(declared * d.frac) : -1;
  // Corrupt the request body: one bit flipped, the declared length kept.
  const flipUpAt = d.corruptRequest && declared > 0 && declared >= opts.corruptRequestMin
    ? Math.floor(declared * d.frac) : -1;
  if (flipUpAt >= 0) stats.injected.corruptRequest++;

  const upstream = http.request({
    host: target.hostname, port: target.port || 80, method: req.method, path: req.url,
    headers: req.headers,  // Host unchanged
  });
  stats.forwarded++;
  let upBytes = 0;
  let aborted = false;
  req.on('data', (c) => {
    if (aborted) return;
    if (cutUploadAt >= 0 && upBytes + c.length > cutUploadAt) {
      aborted = true;
      stats.injected.resetRequest++;
      upstream.destroy();
      destroy(req.socket);
      return;
    }
    if (flipUpAt >= upBytes && flipUpAt < upBytes + c.length) {
      c = Buffer.from(c);
      c[flipUpAt - upBytes] ^= 0x01;
    }
    upBytes += c.length;
    stats.bytesUp += c.length;
    upstream.write(c);
  });
  req.on('end', () => { if (!aborted) upstream.end(); });
  req.on('error', () => upstream.destroy());
  upstream.on('error', () => { if (!res.headersSent) { res.writeHead(502); res.end(); } else destroy(req.socket); });

  upstream.on('response', (up) => {
    const respond = () => {
      const len = Number(up.headers['content-length'] || -1);
      const hasBody = req.method !== 'HEAD' && len > 0;
      const mode = !hasBody ? 'none'
        : d.resetResponse ? 'reset'
        : d.truncate ? 'truncate'
        : d.corrupt ? 'corrupt' : 'none';
      const cutAt = mode === 'reset' || mode === 'truncate' ? Math.floor(len * d.frac) : -1;
      const flipAt = mode === 'corrupt' ? Math.floor(len * d.frac) : -1;
      if (mode !== 'none') stats.injected[mode === 'reset' ? 'resetResponse' : mode]++;
      res.writeHead(up.statusCode, up.rawHeaders);
      let sent = 0;
      let done = false;
      up.on('data', (c) => {
        if (done) return;
        if (cutAt >= 0 && sent + c.length >= cutAt) {
          const part = c.subarray(0, cutAt - sent);
          if (part.length) { res.write(part); stats.bytesDown += part.length; }
          done = true;
          up.destroy();
          // truncate: close cleanly after a short body; reset: RST.
          if (mode === 'truncate') res.socket.end(); else destroy(res.socket);
          return;
        }
        if (flipAt >= sent && flipAt < sent + c.length) {
          c = Buffer.from(c);
          c[flipAt - sent] ^= 0x01;
        }
        sent += c.length;
        stats.bytesDown += c.length;
        res.write(c);
      });
      up.on('end', () => { if (!done) res.end(); });
      up.on('error', () => destroy(res.socket));
    };
    if (d.delay && opts.delayMs > 0) {
      stats.injected.delay++;
      setTimeout(respond, opts.delayMs);
    } else {
      respond();
    }
  });
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/__proxy/')) return control(req, res);
  proxy(req, res);
});
server.keepAliveTimeout = 5000;
server.listen(opts.port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
