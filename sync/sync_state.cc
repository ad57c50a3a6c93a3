// sync/sync_state.cc — the state file: one line per key,
// "<escaped key>\t<src size>\t<src mtime ns>\t<src etag>\t<dst size>\t<dst etag>\n",
// sorted by key bytes. Keys escape '%', tab, CR and LF as %XX.
#include "sync/sync_state.h"

#include <atomic>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

#include "core/crypto.h"
#include "core/encoding.h"

namespace cpsync {
namespace {

// "<pid>.<n>": unique to one SyncState of this process, so a --retries attempt that opens
// the next state before the last one is destroyed never shares (or unlinks) its files.
std::string instance_suffix() {
  static std::atomic<uint64_t> next{0};
  return std::to_string(getpid()) + "." + std::to_string(next++);
}

constexpr const char* kHeader = "# cpsync sync state v1\n";

std::string escape_key(const std::string& k) {
  std::string out;
  for (char c : k) {
    if (c == '%' || c == '\t' || c == '\n' || c == '\r') {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 15];
      out += hex[static_cast<unsigned char>(c) & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// A destination without ETags (local files) is fingerprinted by its mtime in nanoseconds:
// a file rewritten since the last run shows another one.
std::string dst_fingerprint(const ObjectInfo& d) {
  if (!d.etag.empty()) return d.etag;
  return "mtime:" + std::to_string(d.mtime.time_since_epoch().count());
}

StateEntry make_entry(const ObjectInfo& s, const ObjectInfo& d) {
  return StateEntry{s.key,  s.size, static_cast<int64_t>(s.mtime.time_since_epoch().count()),
                    s.etag, d.size, dst_fingerprint(d)};
}

std::string format_entry(const StateEntry& e) {
  return escape_key(e.key) + "\t" + std::to_string(e.src_size) + "\t" +
         std::to_string(e.src_mtime_ns) + "\t" + e.src_etag + "\t" + std::to_string(e.dst_size) +
         "\t" + e.dst_etag + "\n";
}

std::optional<StateEntry> parse_entry(const std::string& line) {
  std::vector<std::string> f;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    f.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  if (f.size() != 6) return std::nullopt;
  StateEntry e;
  if (!uri_decode(f[0], e.key)) return std::nullopt;
  char* end = nullptr;
  e.src_size = std::strtoull(f[1].c_str(), &end, 10);
  e.src_mtime_ns = std::strtoll(f[2].c_str(), &end, 10);
  e.src_etag = f[3];
  e.dst_size = std::strtoull(f[4].c_str(), &end, 10);
  e.dst_etag = f[5];
  return e;
}

bool read_line(FILE* f, std::string& line) {
  line.clear();
  int c;
  while ((c = std::fgetc(f)) != EOF) {
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
  }
  return !line.empty();
}

bool write_all(FILE* f, const std::string& s) {
  return std::fwrite(s.data(), 1, s.size(), f) == s.size();
}

}  // namespace

Result<std::unique_ptr<SyncState>> SyncState::open(const std::string& path) {
  std::unique_ptr<SyncState> s(new SyncState());
  s->path_ = path;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status{Errc::permanent, "state directory for " + path + ": " + ec.message()};
  s->old_ = std::fopen(path.c_str(), "rb");
  if (s->old_) {
    std::string header;
    if (!read_line(s->old_, header) || header + "\n" != kHeader) {
      std::fclose(s->old_);  // unknown format: start afresh (costs HEADs, never a wrong skip)
      s->old_ = nullptr;
    }
  }
  s->in_order_path_ = path + ".run." + instance_suffix();
  s->in_order_ = std::fopen(s->in_order_path_.c_str(), "w+b");
  if (!s->in_order_) return Status{Errc::permanent, "cannot write sync state next to " + path};
  return s;
}

SyncState::~SyncState() {
  if (old_) std::fclose(old_);
  if (in_order_) {
    std::fclose(in_order_);
    std::remove(in_order_path_.c_str());
  }
}

bool SyncState::read_next() {
  old_valid_ = false;
  if (!old_ || old_done_) return false;
  std::string line;
  while (read_line(old_, line)) {
    auto e = parse_entry(line);
    if (!e) continue;
    old_cur_ = std::move(*e);
    old_valid_ = true;
    return true;
  }
  old_done_ = true;
  return false;
}

bool SyncState::unchanged(const ObjectInfo& src, const ObjectInfo& dst) {
  if (!old_) return false;
  if (!old_valid_ && !old_done_) read_next();
  while (old_valid_ && old_cur_.key < src.key) read_next();
  if (!old_valid_ || old_cur_.key != src.key) return false;
  StateEntry now = make_entry(src, dst);
  // Without ETags on a side (local files), size and mtime must carry the proof.
  return now.src_size == old_cur_.src_size && now.src_mtime_ns == old_cur_.src_mtime_ns &&
         now.src_etag == old_cur_.src_etag && now.dst_size == old_cur_.dst_size &&
         !now.dst_etag.empty() && now.dst_etag == old_cur_.dst_etag;
}

void SyncState::record_in_order(const ObjectInfo& src, const ObjectInfo& dst) {
  if (!write_all(in_order_, format_entry(make_entry(src, dst)))) write_failed_ = true;
}

void SyncState::record_async(const ObjectInfo& src, const ObjectInfo& dst) {
  StateEntry e = make_entry(src, dst);
  if (e.dst_etag.empty()) return;  // nothing to prove a later match with
  std::lock_guard lock(mu_);
  async_[e.key] = std::move(e);
}

Status SyncState::commit() {
  if (write_failed_ || std::fflush(in_order_) != 0)
    return Status{Errc::permanent, "writing sync state failed"};
  std::rewind(in_order_);
  const std::string tmp = path_ + ".tmp." + instance_suffix();
  FILE* out = std::fopen(tmp.c_str(), "wb");
  if (!out) return Status{Errc::permanent, "cannot write " + tmp};
  bool ok = write_all(out, kHeader);
  // Merge the two sorted sources: in-order entries and the async map.
  std::string line;
  std::optional<StateEntry> a;
  auto next_a = [&] {
    a.reset();
    while (read_line(in_order_, line))
      if ((a = parse_entry(line))) return;
  };
  next_a();
  std::lock_guard lock(mu_);
  auto it = async_.begin();
  while (ok && (a || it != async_.end())) {
    if (a && (it == async_.end() || a->key < it->first)) {
      ok = write_all(out, format_entry(*a));
      next_a();
    } else {
      if (a && a->key == it->first) next_a();
      ok = write_all(out, format_entry(it->second));
      ++it;
    }
  }
  ok = ok && std::fflush(out) == 0 && fsync(fileno(out)) == 0;
  ok = std::fclose(out) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status{Errc::permanent, "cannot replace sync state " + path_};
  }
  return Status::OK();
}

std::string SyncState::default_path(const std::string& state_dir, const std::string& src_id,
                                    const std::string& dst_id) {
  std::string dir = state_dir;
  if (dir.empty()) {
    const char* xdg = std::getenv("XDG_STATE_HOME");
    const char* home = std::getenv("HOME");
    dir = xdg && *xdg ? std::string(xdg) + "/cpsync"
                      : std::string(home ? home : ".") + "/.local/state/cpsync";
  }
  return dir + "/" + hex_lower(sha256_raw(src_id + "\n" + dst_id)).substr(0, 32) + ".state";
}

}  // namespace cpsync
