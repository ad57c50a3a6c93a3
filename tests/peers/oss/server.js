#!/usr/bin/env node
'use strict';
// The strict Alibaba Cloud OSS test server for cpsync's integration tests.
//   node server.js --host 127.0.0.1 --port N --data DIR [--access-key-id AK --access-key-secret SK]
//                  [--region cn-hangzhou] [--copy-limit BYTES] [--sts-credentials-file FILE] [--log]
// Port 0 picks a free port; once listening it prints "listening PORT" on stdout.
// Objects are kept on disk under DIR (see lib/store.js). Every request must be signed
// (OSS V1 or V4, header or URL); lib/auth.js checks it with ali-oss's own signing code.
// --sts-credentials-file names the JSON file of temporary credentials the Alibaba STS and ECS
// metadata endpoints of tests/peers/imds issued ({"<AccessKeyId>": {secret, token,
// expiration (ms)}}, re-read when it changes): those keys are accepted with their security
// token until they expire, as OSS accepts STS credentials.

const fs = require('fs');
const http = require('http');
const path = require('path');
const { Store } = require('./lib/store');
const { makeHandler } = require('./lib/router');

const DEFAULTS = {
  host: '127.0.0.1',
  port: '0',
  data: '',
  'access-key-id': 'cpsync-test-ak',
  'access-key-secret': 'cpsync-test-secret',
  region: 'cn-hangzhou',
  'copy-limit': String(1024 * 1024 * 1024), // CopyObject source limit (OSS: 1 GB)
  'sts-credentials-file': '',
};

function parseArgs(argv) {
  const opts = Object.assign({}, DEFAULTS);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--log') {
      opts.log = true;
      continue;
    }
    if (!a.startsWith('--') || !(a.slice(2) in DEFAULTS) || i + 1 >= argv.length) {
      console.error(`usage: server.js --host H --port N --data DIR [--access-key-id AK --access-key-secret SK --region R --log] (bad argument ${a})`);
      process.exit(2);
    }
    opts[a.slice(2)] = argv[++i];
  }
  if (!opts.data) {
    console.error('server.js: --data DIR is required');
    process.exit(2);
  }
  return opts;
}

// ak -> {secret, token, expiration} from the shared file, re-read when it changes.
function stsLookup(file) {
  if (!file) return undefined;
  let seen = '';
  let table = {};
  return ak => {
    let st;
    try {
      st = fs.statSync(file);
    } catch (_) {
      return undefined;
    }
    const version = `${st.ino}:${st.mtimeMs}:${st.size}`; // each write is a new file (rename)
    if (version !== seen) {
      try {
        table = JSON.parse(fs.readFileSync(file, 'utf8'));
        seen = version;
      } catch (_) {
        return undefined; // being replaced: the next request reads it
      }
    }
    return Object.prototype.hasOwnProperty.call(table, ak) ? table[ak] : undefined;
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const store = new Store(path.resolve(opts.data));
  store.init();
  const handler = makeHandler({
    store,
    region: opts.region,
    copyLimit: Number(opts['copy-limit']),
    credentials: new Map([[opts['access-key-id'], opts['access-key-secret']]]),
    sts: stsLookup(opts['sts-credentials-file']),
    log: opts.log ? line => console.error(`oss-peer: ${line}`) : null,
  });
  const server = http.createServer(handler);
  server.on('checkContinue', (req, res) => handler(req, res, true));
  server.keepAliveTimeout = 30000;
  server.requestTimeout = 0; // 1 GiB bodies on a slow machine
  server.listen(Number(opts.port), opts.host, () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
