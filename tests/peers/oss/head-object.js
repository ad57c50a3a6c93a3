#!/usr/bin/env node
// tests/peers/oss/head-object.js — HEAD one object with the official ali-oss SDK and print
// its response headers as one JSON object (lower-case names): an independent reader of
// what an OSS server stores, for tests. Usage: head-object.js BUCKET KEY, with OSS_ENDPOINT,
// OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_REGION in the environment (oss.env).
'use strict';
const OSS = require('ali-oss');

async function main() {
  const [bucket, key] = process.argv.slice(2);
  if (!bucket || !key) throw new Error('usage: head-object.js BUCKET KEY');
  const port = new URL(process.env.OSS_ENDPOINT).port;
  const client = new OSS({
    accessKeyId: process.env.OSS_ACCESS_KEY_ID,
    accessKeySecret: process.env.OSS_ACCESS_KEY_SECRET,
    endpoint: `http://localhost:${port}`,
    sldEnable: true, // path style: /bucket/key
    bucket,
    region: `oss-${process.env.OSS_REGION}`,
    timeout: 60000,
  });
  const r = await client.head(key);
  process.stdout.write(JSON.stringify(r.res.headers) + '\n');
}

main().catch(e => {
  process.stderr.write(`head-object: ${e.message}\n`);
  process.exit(1);
});
