// tests/peers/proxy/proxy.js — a loopback HTTP proxy in front of one peer that counts
// requests (by method) and body bytes per direction, so benchmarks and tests can compare
// what two tools sent, the same way for both. The Host header is passed through unchanged
// (clients sign it). Control endpoints (not forwarded):
//   GET  /__proxy/stats  -> {"requests":N,"by_method":{...},"bytes_up":N,"bytes_down":N}
//   POST /__proxy/reset  -> zeroes the counters
// Usage: node proxy.js --target http://127.0.0.1:PORT [--port 0]; prints "listening PORT".
'use strict';
const http = require('http');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const target = new URL(arg('--target'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let stats;
function reset() {
  stats = { requests: 0, by_method: {}, bytes_up: 0, bytes_down: 0 };
}
reset();

const server = http.createServer((req, res) => {
  if (req.url === '/__proxy/stats') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify(stats));
  }
  if (req.url === '/__proxy/reset') {
    reset();
    return res.end('{}');
  }
  stats.requests++;
  stats.by_method[req.method] = (stats.by_method[req.method] || 0) + 1;
  const up = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (r) => {
      res.writeHead(r.statusCode, r.rawHeaders);
      r.on('data', (c) => (stats.bytes_down += c.length));
      r.pipe(res);
    },
  );
  up.on('error', () => res.destroy());
  req.on('data', (c) => (stats.bytes_up += c.length));
  req.pipe(up);
});
server.keepAliveTimeout = 60000;
server.listen(Number(arg('--port', '0')), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
