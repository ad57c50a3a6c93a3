'use strict';
// Storage for the OSS peer: buckets, object records, multipart uploads, all indexed in
// memory and made durable by an append-only journal (DIR/journal.jsonl) replayed at start.
// Object data lives in immutable blob files (DIR/blobs/<id>); a record points at blob
// ranges ("segments"), so CopyObject, UploadPartCopy and CompleteMultipartUpload move no
// data. Blobs are reference-counted (records, parts, open readers) and unlinked at zero.
// Single-threaded (Node event loop); every mutation is synchronous once data is on disk.

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { E } = require('./errors');

function keyCompare(a, b) {
  return Buffer.compare(a.buf, b.buf);
}

class Store {
  constructor(dir) {
    this.dir = dir;
    this.blobDir = path.join(dir, 'blobs');
    this.journalPath = path.join(dir, 'journal.jsonl');
    this.buckets = new Map(); // name -> {name, created, objects: Map key -> rec, sorted: null|array}
    this.uploads = new Map(); // uploadId -> {id, bucket, key, initiated, contentType, headers, meta, parts: Map}
    this.refs = new Map(); // blob id -> count
  }

  init() {
    fs.mkdirSync(this.blobDir, { recursive: true });
    if (fs.existsSync(this.journalPath)) {
      const lines = fs.readFileSync(this.journalPath, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) continue;
        let e;
        try {
          e = JSON.parse(line);
        } catch (_) {
          continue; // torn last line after a crash
        }
        this._apply(e);
      }
    }
    // Rebuild reference counts and remove blobs nothing points at.
    for (const b of this.buckets.values()) for (const rec of b.objects.values()) this._retainSegs(rec.segments);
    for (const up of this.uploads.values()) for (const p of up.parts.values()) this._retainSegs(p.segments);
    for (const f of fs.readdirSync(this.blobDir)) {
      if (!this.refs.has(f)) fs.rmSync(path.join(this.blobDir, f), { force: true });
    }
    this.journal = fs.openSync(this.journalPath, 'a');
  }

  _log(e) {
    this._apply(e);
    fs.writeSync(this.journal, JSON.stringify(e) + '\n');
  }

  // Applies a journal entry to the in-memory index (no reference counting here).
  _apply(e) {
    switch (e.op) {
      case 'mb':
        this.buckets.set(e.name, { name: e.name, created: e.created, objects: new Map(), sorted: null });
        break;
      case 'rb':
        this.buckets.delete(e.name);
        break;
      case 'put': {
        const b = this.buckets.get(e.bucket);
        if (!b) break;
        if (!b.objects.has(e.key)) b.sorted = null;
        b.objects.set(e.key, e.rec);
        break;
      }
      case 'del': {
        const b = this.buckets.get(e.bucket);
        if (b && b.objects.delete(e.key)) b.sorted = null;
        break;
      }
      case 'init':
        this.uploads.set(e.up.id, Object.assign({}, e.up, { parts: new Map() }));
        break;
      case 'part': {
        const up = this.uploads.get(e.id);
        if (up) up.parts.set(e.part.number, e.part);
        break;
      }
      case 'end':
        this.uploads.delete(e.id);
        break;
      default:
        break;
    }
  }

  // ---- blobs ----
  newBlob() {
    const id = crypto.randomBytes(12).toString('hex');
    return { id, path: path.join(this.blobDir, id) };
  }

  blobPath(id) {
    return path.join(this.blobDir, id);
  }

  retainBlob(id) {
    this.refs.set(id, (this.refs.get(id) || 0) + 1);
  }

  releaseBlob(id) {
    const n = (this.refs.get(id) || 0) - 1;
    if (n > 0) {
      this.refs.set(id, n);
      return;
    }
    this.refs.delete(id);
    fs.rm(this.blobPath(id), { force: true }, () => {});
  }

  _retainSegs(segs) {
    for (const s of segs) this.retainBlob(s.blob);
  }

  _releaseSegs(segs) {
    for (const s of segs) this.releaseBlob(s.blob);
  }

  // Readers hold the blobs of a record while streaming it.
  acquire(rec) {
    this._retainSegs(rec.segments);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this._releaseSegs(rec.segments);
    };
  }

  // A freshly written blob that may not end up referenced: hold it until commit.
  discardBlob(id) {
    if (!this.refs.has(id)) fs.rm(this.blobPath(id), { force: true }, () => {});
  }

  // ---- buckets ----
  listBuckets() {
    return [...this.buckets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  bucket(name) {
    const b = this.buckets.get(name);
    if (!b) throw E.noSuchBucket(name);
    return b;
  }

  createBucket(name) {
    if (this.buckets.has(name)) throw E.bucketExists(name);
    this._log({ op: 'mb', name, created: new Date().toISOString() });
  }

  deleteBucket(name) {
    const b = this.bucket(name);
    if (b.objects.size > 0) throw E.bucketNotEmpty(name);
    for (const up of this.uploads.values()) if (up.bucket === name) throw E.bucketNotEmpty(name);
    this._log({ op: 'rb', name });
  }

  // Keys of a bucket in UTF-8 byte order: array of {key, buf}.
  sortedKeys(name) {
    const b = this.bucket(name);
    if (!b.sorted) {
      b.sorted = [...b.objects.keys()].map(key => ({ key, buf: Buffer.from(key, 'utf8') }));
      b.sorted.sort(keyCompare);
    }
    return b.sorted;
  }

  // ---- objects ----
  getObject(bucket, key) {
    return this.bucket(bucket).objects.get(key) || null;
  }

  // rec: {size, etag, crc64, md5, type, contentType, headers, meta, lastModified, segments}
  putObject(bucket, key, rec) {
    const b = this.bucket(bucket);
    const old = b.objects.get(key);
    this._retainSegs(rec.segments);
    this._log({ op: 'put', bucket, key, rec });
    if (old) this._releaseSegs(old.segments);
  }

  deleteObject(bucket, key) {
    const b = this.bucket(bucket);
    const old = b.objects.get(key);
    if (!old) return false;
    this._log({ op: 'del', bucket, key });
    this._releaseSegs(old.segments);
    return true;
  }

  // ---- multipart ----
  initUpload(bucket, key, info) {
    this.bucket(bucket);
    const id = crypto.randomBytes(16).toString('hex').toUpperCase();
    const up = Object.assign({ id, bucket, key, initiated: new Date().toISOString() }, info);
    this._log({ op: 'init', up });
    return this.uploads.get(id);
  }

  upload(bucket, key, id) {
    this.bucket(bucket);
    const up = this.uploads.get(id);
    if (!up || up.bucket !== bucket || up.key !== key) throw E.noSuchUpload(id);
    return up;
  }

  // part: {number, etag, md5, crc64, size, lastModified, segments}
  putPart(id, part) {
    const up = this.uploads.get(id);
    if (!up) throw E.noSuchUpload(id);
    const old = up.parts.get(part.number);
    this._retainSegs(part.segments);
    this._log({ op: 'part', id, part });
    if (old) this._releaseSegs(old.segments);
  }

  // Ends an upload (completed or aborted): its parts' references are dropped; a completed
  // object took its own references first.
  endUpload(id) {
    const up = this.uploads.get(id);
    if (!up) return;
    this._log({ op: 'end', id });
    for (const p of up.parts.values()) this._releaseSegs(p.segments);
  }

  uploadsOf(bucket) {
    return [...this.uploads.values()].filter(u => u.bucket === bucket);
  }
}

module.exports = { Store };
