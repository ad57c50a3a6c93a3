// tests/integration/contract.cc — the conformance suite (see contract.h). Each step works
// under its own key prefix, with seeded data verified by MD5 on read-back. Catch2 v2
// assertions are not thread-safe: threads only collect Statuses, checked after join.
#include "tests/integration/contract.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "core/crypto.h"
#include "core/time_format.h"

namespace cpsync::testing {
namespace {

std::string data_for(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + size);
  std::string s(size, '\0');
  for (size_t i = 0; i < size; i += 8) {
    uint64_t v = rng();
    for (size_t j = 0; j < 8 && i + j < size; ++j) s[i + j] = static_cast<char>(v >> (8 * j));
  }
  return s;
}

std::string md5_hex(std::string_view s) {
  return hex_lower(md5_raw(s));
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

struct Ctx {
  Remote& r;
  std::string bucket, prefix;  // prefix: key_prefix() + "ct/"
  Quirks q;
  uint64_t part = 0;

  ObjectRef ref(const std::string& rel) const { return {bucket, prefix + rel}; }
  std::string rel(const std::string& key) const {
    return key.starts_with(prefix) ? key.substr(prefix.size()) : "<outside prefix> " + key;
  }
};

// Reads range of ref; returns the bytes or the Status.
Result<std::string> read_all(Ctx& c, const ObjectRef& ref, ByteRange range = {}) {
  std::string out;
  Status s = c.r.read(ref, range, [&](const char* p, size_t n) {
    out.append(p, n);
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

// Reads the whole object back and compares size and MD5; checks stat and any MD5/ETag.
void verify(Ctx& c, const std::string& rel, const std::string& data) {
  INFO("verify " << rel << " (" << data.size() << " bytes)");
  auto st = c.r.stat(c.ref(rel));
  REQUIRE(st.ok());
  CHECK(st->size == data.size());
  if (st->md5) CHECK(*st->md5 == md5_hex(data));
  auto back = read_all(c, c.ref(rel));
  INFO(back.status().to_string());
  REQUIRE(back.ok());
  CHECK(back->size() == data.size());
  CHECK(md5_hex(*back) == md5_hex(data));
}

ObjectInfo put(Ctx& c, const std::string& rel, const std::string& data, UploadOptions o = {}) {
  o.size = data.size();
  auto r = c.r.put(c.ref(rel), data.data(), data.size(), o);
  INFO("put " << rel << ": " << r.status().to_string());
  REQUIRE(r.ok());
  return *r;
}

// Multipart upload of data in parts of c.part; concurrent: one thread per part.
Result<ObjectInfo> upload(Ctx& c, const std::string& rel, const std::string& data,
                          bool concurrent = false, UploadOptions o = {}) {
  o.size = data.size();
  o.part_size = c.part;
  CPSYNC_ASSIGN_OR_RETURN(auto up, c.r.begin_upload(c.ref(rel), o));
  const size_t n = std::max<size_t>(1, (data.size() + c.part - 1) / c.part);
  std::vector<Status> st(n);
  auto send = [&](size_t i) {
    const size_t off = i * c.part, len = std::min<size_t>(c.part, data.size() - off);
    st[i] = up->write_part(static_cast<uint32_t>(i + 1), off, data.data() + off, len);
  };
  if (concurrent) {
    std::vector<std::thread> ts;
    for (size_t i = 0; i < n; ++i) ts.emplace_back(send, i);
    for (auto& t : ts) t.join();
  } else {
    for (size_t i = 0; i < n; ++i) send(i);
  }
  for (auto& s : st) {
    if (!s.ok()) return s;
  }
  return up->commit();
}

struct Listed {
  std::vector<ObjectInfo> all;
  size_t pages = 0;
  bool ordered = true;
};

Listed list(Ctx& c, const std::string& rel_prefix, bool recursive = true,
            const std::string& after_rel = "") {
  ListRequest req;
  req.bucket = c.bucket;
  req.prefix = c.prefix + rel_prefix;
  req.recursive = recursive;
  if (!after_rel.empty()) req.start_after = c.prefix + after_rel;
  Listed out;
  Status s = c.r.list(req, [&](std::vector<ObjectInfo>& page) {
    ++out.pages;
    for (auto& o : page) {
      if (!out.all.empty() && !(out.all.back().key < o.key)) out.ordered = false;
      out.all.push_back(std::move(o));
    }
    return Status::OK();
  });
  INFO("list " << rel_prefix << ": " << s.to_string());
  REQUIRE(s.ok());
  return out;
}

std::vector<std::string> rel_keys(Ctx& c, const Listed& l) {
  std::vector<std::string> out;
  for (auto& o : l.all) out.push_back(c.rel(o.key) + (o.is_dir && o.key.back() != '/' ? "?" : ""));
  return out;
}

void step_small_objects(Ctx& c) {
  INFO("contract: empty object and 1 byte");
  ObjectInfo e = put(c, "small/empty", "");
  CHECK(e.size == 0);
  verify(c, "small/empty", "");
  auto e_st = c.r.stat(c.ref("small/empty"));
  REQUIRE(e_st.ok());
  // etag_is_md5: the ETag is the MD5 in hex, in the provider's case (OSS: upper-case).
  if (c.r.features().etag_is_md5) CHECK(lower(e_st->etag) == md5_hex(""));
  put(c, "small/one", "x");
  verify(c, "small/one", "x");
  auto one = read_all(c, c.ref("small/one"), {0, 1});
  REQUIRE(one.ok());
  CHECK(*one == "x");
  auto l = list(c, "small/");
  REQUIRE(l.all.size() == 2);
  CHECK(c.rel(l.all[0].key) == "small/empty");
  CHECK(l.all[0].size == 0);
  CHECK(l.all[1].size == 1);
  if (l.all[1].md5) CHECK(*l.all[1].md5 == md5_hex("x"));
}

void step_multipart(Ctx& c) {
  INFO("contract: multipart, part size " << c.part);
  const uint64_t p = c.part;
  {
    INFO("exactly one part");
    std::string d = data_for(p, 1);
    auto r = upload(c, "mp/one-part", d);
    INFO(r.status().to_string());
    REQUIRE(r.ok());
    CHECK(r->size == p);
    verify(c, "mp/one-part", d);
  }
  for (uint64_t size : {2 * p - 1, 2 * p, 2 * p + 1}) {
    INFO("part boundary: size " << size);
    std::string d = data_for(size, size);
    std::string rel = "mp/boundary-" + std::to_string(size);
    auto r = upload(c, rel, d);
    INFO(r.status().to_string());
    REQUIRE(r.ok());
    CHECK(r->size == size);
    verify(c, rel, d);
  }
  {
    INFO("three parts from three threads");
    std::string d = data_for(2 * p + p / 2 + 7, 3);
    auto r = upload(c, "mp/three", d, true);
    INFO(r.status().to_string());
    REQUIRE(r.ok());
    verify(c, "mp/three", d);
  }
}

void step_ranges(Ctx& c) {
  INFO("contract: ranged reads");
  const std::string d = data_for(2 * c.part + 1, 2 * c.part + 1);  // written by step_multipart
  const std::string rel = "mp/boundary-" + std::to_string(d.size());
  const uint64_t n = d.size();
  // Offset and length, not a ByteRange: GCC 12 at -O3 warns (maybe-uninitialized, a false
  // positive) on ByteRange's string member inside an initializer list of aggregates.
  struct Case {
    uint64_t offset;
    std::optional<uint64_t> length;
    std::string want;
  };
  std::vector<Case> cases = {
      {0, 100, d.substr(0, 100)},
      {n / 2, 1000, d.substr(n / 2, 1000)},
      {c.part - 10, 20, d.substr(c.part - 10, 20)},  // across a part boundary
      {n - 10, std::nullopt, d.substr(n - 10)},
      {n - 10, 100, d.substr(n - 10)},  // length past the end: cut at the end
      {n - 1, 1, d.substr(n - 1)},
      {0, std::nullopt, d},
  };
  for (auto& k : cases) {
    INFO("range offset " << k.offset << " length " << (k.length ? *k.length : 0));
    ByteRange r;
    r.offset = k.offset;
    r.length = k.length;
    auto got = read_all(c, c.ref(rel), r);
    INFO(got.status().to_string());
    CHECK(got.ok());
    if (!got.ok()) continue;
    CHECK(got->size() == k.want.size());
    CHECK(md5_hex(*got) == md5_hex(k.want));
  }
  for (uint64_t off : {n, n + 1, n + 1000}) {
    INFO("range past the end at " << off);
    auto got = read_all(c, c.ref(rel), {off, 10});
    CHECK_FALSE(got.ok());
    CHECK(got.status().code == Errc::invalid_argument);
  }
  auto missing = read_all(c, c.ref("mp/no-such-object"));
  CHECK(missing.status().code == Errc::not_found);
}

bool near(TimePoint a, TimePoint b) {  // 1 microsecond: formats may keep fewer digits
  auto d = (a - b).count();
  return d < 1000 && d > -1000;
}

void step_metadata(Ctx& c) {
  INFO("contract: metadata round trip");
  const TimePoint t1 = *parse_unix_seconds("1600000000.123456789");
  const TimePoint t2 = *parse_unix_seconds("1500000000.5");
  UploadOptions by_meta;
  by_meta.metadata[kMetaMtime] = format_unix_seconds(t1);
  if (c.q.user_metadata) by_meta.metadata["customkey"] = "Some value";
  put(c, "meta/by-metadata", "hello", by_meta);
  UploadOptions by_opt;
  by_opt.mtime = t2;
  put(c, "meta/by-option", "hello", by_opt);
  std::string big = data_for(c.part + 5, 5);
  auto up = upload(c, "meta/multipart", big, false, by_meta);
  INFO(up.status().to_string());
  REQUIRE(up.ok());

  for (auto [rel, want] : {std::pair{"meta/by-metadata", t1}, std::pair{"meta/by-option", t2},
                           std::pair{"meta/multipart", t1}}) {
    INFO("stat " << rel);
    auto st = c.r.stat(c.ref(rel));
    REQUIRE(st.ok());
    CHECK(st->mtime_from_metadata);
    CHECK(st->metadata_known);
    CHECK(near(st->mtime, want));
    INFO("mtime " << format_unix_seconds(st->mtime) << " want " << format_unix_seconds(want));
    if (c.q.user_metadata && std::string(rel) != "meta/by-option") {
      CHECK(st->metadata["customkey"] == "Some value");
    }
  }
  if (c.r.features().metadata_in_listing) {
    auto l = list(c, "meta/");
    REQUIRE(l.all.size() == 3);
    CHECK(l.all[0].metadata_known);
    CHECK(near(l.all[0].mtime, t1));
    CHECK(near(l.all[1].mtime, t2));
  }
}

void step_keys(Ctx& c) {
  INFO("contract: unusual keys");
  std::vector<std::string> keys = {"keys/with space/a b.txt", "keys/unicode é/日本.txt",
                                   "keys/chars +%=&?#~.txt", "keys/plus+and%25encoded"};
  const size_t base = c.prefix.size() + std::string("keys/long/").size();
  if (c.q.keys_are_paths) {
    keys.push_back("keys/long/" + std::string(c.q.max_key_bytes, 'L'));
  } else if (c.q.max_key_bytes > base) {
    keys.push_back("keys/long/" + std::string(c.q.max_key_bytes - base, 'L'));
    CHECK(c.prefix.size() + keys.back().size() == c.q.max_key_bytes);
    keys.push_back("keys/double//slash");
  }
  for (auto& k : keys) {
    INFO("key " << k);
    std::string d = data_for(100 + k.size(), k.size());
    put(c, k, d);
    verify(c, k, d);
  }
  std::sort(keys.begin(), keys.end());
  CHECK(rel_keys(c, list(c, "keys/")) == keys);
  if (c.q.keys_are_paths) {
    for (std::string bad :
         {"keys/double//slash", "keys/dot/./x", "keys/dotdot/../x", "keys/dir/"}) {
      INFO("key that cannot be a path: " << bad);
      auto r = c.r.put(c.ref(bad), "x", 1, {});
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code == Errc::invalid_argument);
      CHECK(r.status().message.find(c.r.name()) != std::string::npos);
    }
  }
}

// 1,100 keys whose byte order differs from naive orders: "a-" < "a/" < "a0" < "é".
std::vector<std::string> many_keys() {
  std::vector<std::string> keys;
  char buf[32];
  for (int i = 0; i < 1100; ++i) {
    static const char* kForms[] = {"a%04d", "a-%04d", "a/%04d", "\xc3\xa9/%04d", "B%04d"};
    std::snprintf(buf, sizeof buf, kForms[i % 5], i);
    keys.push_back(std::string("many/") + buf);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

void step_many_keys(Ctx& c) {
  INFO("contract: 1,100 keys, pagination, byte order, delimiter");
  const auto keys = many_keys();
  std::atomic<size_t> next{0};
  std::vector<Status> errors(4);
  std::vector<std::thread> ts;
  for (size_t t = 0; t < errors.size(); ++t) {
    ts.emplace_back([&, t] {
      for (size_t i; (i = next++) < keys.size() && errors[t].ok();) {
        UploadOptions o;
        o.size = 1;
        auto r = c.r.put(c.ref(keys[i]), "k", 1, o);
        if (!r.ok()) errors[t] = r.status();
      }
    });
  }
  for (auto& t : ts) t.join();
  for (auto& e : errors) {
    INFO(e.to_string());
    REQUIRE(e.ok());
  }
  auto l = list(c, "many/");
  CHECK(l.ordered);
  CHECK(l.pages >= 2);
  CHECK(rel_keys(c, l) == keys);
  for (auto& o : l.all) {
    if (o.size != 1 || (o.md5 && *o.md5 != md5_hex("k"))) FAIL("listed " << o.key << " wrong");
  }
  // Resume in the middle, and from inside a "directory".
  auto tail = list(c, "many/", true, keys[549]);
  CHECK(rel_keys(c, tail) == std::vector<std::string>(keys.begin() + 550, keys.end()));
  // Delimiter listing: files and common prefixes, one level, in byte order.
  auto top = list(c, "many/", false);
  CHECK(top.ordered);
  std::vector<std::string> want;
  for (auto& k : keys) {
    auto slash = k.find('/', 5);
    std::string e = slash == std::string::npos ? k : k.substr(0, slash + 1);
    if (want.empty() || want.back() != e) want.push_back(e);
  }
  CHECK(rel_keys(c, top) == want);
  size_t dirs = 0;
  for (auto& o : top.all) dirs += o.is_dir;
  CHECK(dirs == 2);  // "many/a/" and "many/é/"
  // A prefix ending mid-name.
  auto mid = list(c, "many/a", false);
  std::vector<std::string> want_mid;
  for (auto& e : want) {
    if (e.starts_with("many/a")) want_mid.push_back(e);
  }
  CHECK(rel_keys(c, mid) == want_mid);
  CHECK(list(c, "many/zzz").all.empty());
}

void step_aborts_and_removes(Ctx& c) {
  INFO("contract: aborted uploads, removes, not_found");
  std::string d = data_for(2 * c.part, 9);
  {
    UploadOptions o;
    o.size = d.size();
    o.part_size = c.part;
    auto up = c.r.begin_upload(c.ref("abort/explicit"), o);
    REQUIRE(up.ok());
    CHECK((*up)->write_part(1, 0, d.data(), c.part).ok());
    CHECK((*up)->write_part(2, c.part, d.data() + c.part, c.part).ok());
    CHECK((*up)->abort().ok());
    auto dropped = c.r.begin_upload(c.ref("abort/dropped"), o);
    REQUIRE(dropped.ok());
    CHECK((*dropped)->write_part(1, 0, d.data(), c.part).ok());
  }  // dropped: destroyed without commit
  CHECK(c.r.stat(c.ref("abort/explicit")).status().code == Errc::not_found);
  CHECK(c.r.stat(c.ref("abort/dropped")).status().code == Errc::not_found);
  CHECK(list(c, "abort/").all.empty());
  CHECK(list(c, "abort/", false).all.empty());

  CHECK(c.r.stat(c.ref("rm/missing")).status().code == Errc::not_found);
  CHECK(c.r.remove(c.ref("rm/missing")).ok());
  put(c, "rm/one", "1");
  CHECK(c.r.remove(c.ref("rm/one")).ok());
  CHECK(c.r.stat(c.ref("rm/one")).status().code == Errc::not_found);
  std::vector<std::string> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(c.prefix + "rm/many-" + std::to_string(i));
    put(c, c.rel(batch.back()), "x");
  }
  batch.push_back(c.prefix + "rm/absent");
  Status s = c.r.remove_many(c.bucket, batch);
  INFO(s.to_string());
  CHECK(s.ok());
  CHECK(list(c, "rm/").all.empty());
}

void step_server_side_copy(Ctx& c) {
  if (!c.r.features().server_side_copy) return;
  INFO("contract: server-side copy keeps content and metadata");
  const TimePoint t = *parse_unix_seconds("1400000000.25");
  UploadOptions o;
  o.metadata[kMetaMtime] = format_unix_seconds(t);
  if (c.q.user_metadata) o.metadata["customkey"] = "copied";
  const std::string small = data_for(1000, 11), big = data_for(2 * c.part + 1, 12);
  put(c, "copy/src-small", small, o);
  auto up = upload(c, "copy/src-big", big, false, o);
  INFO(up.status().to_string());
  REQUIRE(up.ok());
  for (auto [src, dst, data] : {std::tuple{"copy/src-small", "copy/dst small é", &small},
                                std::tuple{"copy/src-big", "copy/dst-big", &big}}) {
    INFO("copy " << src << " -> " << dst);
    auto info = c.r.stat(c.ref(src));
    REQUIRE(info.ok());
    auto r = c.r.copy_server_side(c.ref(src), c.ref(dst), *info);
    INFO(r.status().to_string());
    REQUIRE(r.ok());
    verify(c, dst, *data);
    auto st = c.r.stat(c.ref(dst));
    REQUIRE(st.ok());
    CHECK(near(st->mtime, t));
    if (c.q.user_metadata) CHECK(st->metadata["customkey"] == "copied");
  }
}

void step_bad_credentials(RemoteFixture& f, Ctx& c) {
  auto bad = f.remote_with_bad_secret();
  if (!bad) return;
  INFO("contract: wrong credentials");
  put(c, "cred/x", "x");
  auto st = bad->stat(c.ref("cred/x"));
  REQUIRE_FALSE(st.ok());
  CHECK(st.status().code == Errc::access_denied);
  const std::string line = st.status().to_string();
  INFO(line);
  CHECK(line.find(bad->name()) != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);
  ListRequest req;
  req.bucket = c.bucket;
  Status ls = bad->list(req, [](std::vector<ObjectInfo>&) { return Status::OK(); });
  CHECK(ls.code == Errc::access_denied);
  CHECK(ls.to_string().find(bad->name()) != std::string::npos);
  CHECK(bad->put(c.ref("cred/y"), "y", 1, {}).status().code == Errc::access_denied);
}

}  // namespace

std::string unique_bucket_name() {
  static std::mt19937_64 rng{std::random_device{}()};
  char buf[32];
  std::snprintf(buf, sizeof buf, "cpsync-ct-%012llx",
                static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
  return buf;
}

Status empty_prefix(Remote& r, const std::string& bucket, const std::string& prefix) {
  std::vector<std::string> keys;
  ListRequest req;
  req.bucket = bucket;
  req.prefix = prefix;
  CPSYNC_RETURN_IF_ERROR(r.list(req, [&](std::vector<ObjectInfo>& page) {
    for (auto& o : page) keys.push_back(o.key);
    return Status::OK();
  }));
  for (size_t i = 0; i < keys.size(); i += 1000) {
    std::vector<std::string> batch(keys.begin() + i,
                                   keys.begin() + std::min(keys.size(), i + 1000));
    CPSYNC_RETURN_IF_ERROR(r.remove_many(bucket, batch));
  }
  return Status::OK();
}

BucketFixture::BucketFixture(std::unique_ptr<Remote> remote, std::unique_ptr<Remote> bad, Quirks q)
    : remote_(std::move(remote)), bad_(std::move(bad)), quirks_(q), bucket_(unique_bucket_name()) {
  Status s = remote_->make_bucket(bucket_);
  INFO("make_bucket " << bucket_ << ": " << s.to_string());
  REQUIRE(s.ok());
}

BucketFixture::~BucketFixture() {
  Status s = empty_prefix(*remote_, bucket_, "");
  if (s.ok()) s = remote_->remove_bucket(bucket_);
  if (!s.ok())
    std::fprintf(stderr, "cleanup of bucket %s: %s\n", bucket_.c_str(), s.to_string().c_str());
}

void run_remote_conformance(RemoteFixture& f) {
  Ctx c{f.remote(), f.bucket(), f.key_prefix() + "ct/", f.quirks()};
  c.part = c.q.part_size ? c.q.part_size : std::max<uint64_t>(c.r.features().parts.min_part, kMiB);
  INFO("remote " << c.r.name() << ", bucket '" << c.bucket << "', prefix " << c.prefix);
  step_small_objects(c);
  step_multipart(c);
  step_ranges(c);
  step_metadata(c);
  step_keys(c);
  step_many_keys(c);
  step_aborts_and_removes(c);
  step_server_side_copy(c);
  step_bad_credentials(f, c);
  Status s = empty_prefix(c.r, c.bucket, c.prefix);
  INFO(s.to_string());
  CHECK(s.ok());
  CHECK(list(c, "").all.empty());
}

}  // namespace cpsync::testing
