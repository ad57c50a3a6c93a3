// cli/remote_args.cc — locations, the streamed walk and the text forms shared by the
// object, listing and bucket commands (see remote_args.h).
#include "cli/remote_args.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "cli/app.h"
#include "cli/exit_codes.h"
#include "cli/stored_mtime.h"
#include "sync/parallel_listing.h"

namespace cpsync {
namespace {

std::string base_name(std::string_view key) {
  size_t slash = key.rfind('/');
  return std::string(slash == std::string_view::npos ? key : key.substr(slash + 1));
}

// A sink status that stops a listing after its first page (probes).
Status stop_listing() {
  return Status{Errc::cancelled, "probe done"};
}

Status dir_not_found(const Location& loc) {
  return Status{Errc::not_found, loc.text() + ": directory not found"};
}

Status bucket_not_found(const Location& loc, const std::string& bucket) {
  Status s{Errc::not_found, "remote '" + loc.remote().name() + "': bucket '" + bucket +
                                "' not found (" + loc.text() + ")"};
  s.missing = Missing::bucket;
  return s;
}

// Lists one bucket (or local directory) below prefix; rel keys get rel_prefix in front.
Status walk_prefix(const Location& loc, const std::string& bucket, const std::string& prefix,
                   const std::string& rel_prefix, bool recursive, const WalkOptions& o,
                   const WalkSink& sink, const PageDone& page_done, uint64_t* count) {
  ListRequest req;
  req.bucket = bucket;
  req.prefix = prefix;
  req.recursive = recursive;
  PageSink on_page = [&](std::vector<ObjectInfo>& page) -> Status {
    if (o.stored_mtime_if)
      CPSYNC_RETURN_IF_ERROR(fill_stored_mtimes(loc.remote(), bucket, page, o.stored_mtime_if));
    for (const ObjectInfo& info : page) {
      if (info.key.size() <= prefix.size()) continue;  // the marker of the prefix itself
      std::string_view rel = std::string_view(info.key).substr(prefix.size());
      if (info.is_dir) {
        if (rel.back() == '/') rel.remove_suffix(1);
        if (rel.empty()) continue;
      } else if (rel.back() == '/') {
        continue;  // a directory marker object
      }
      ++*count;
      CPSYNC_RETURN_IF_ERROR(
          sink(info, rel_prefix.empty() ? std::string(rel) : rel_prefix + std::string(rel)));
    }
    if (page_done) page_done();
    return Status::OK();
  };
  Status st;
  if (recursive && o.list_parallel > 1 && !loc.local()) {
    ParallelListOptions po;
    po.parallel = o.list_parallel;
    st = list_parallel(loc.remote(), req, po, on_page);
  } else {
    st = loc.remote().list(req, on_page);
  }
  if (st.code == Errc::not_found && !bucket.empty() && !loc.local()) {
    Status s = bucket_not_found(loc, bucket);
    s.provider_code = st.provider_code;
    return s;
  }
  return st;
}

}  // namespace

ObjectRef Location::object() const {
  return ObjectRef{r.bucket, r.prefix};
}

std::string Location::dir_prefix() const {
  if (r.prefix.empty() || r.prefix.back() == '/') return r.prefix;
  return r.prefix + "/";
}

bool Location::names_object() const {
  if (local()) return r.prefix != "/" && !r.prefix.empty();
  return !r.bucket.empty() && !r.prefix.empty();
}

int resolve_exit_code(const Status& s) {
  if (s.provider_code == kBadConfig) return kExitFatal;
  return s.code == Errc::invalid_argument ? kExitUsage : exit_code_for(s);
}

std::optional<Location> resolve_location(AppContext& ctx, const std::string& text, int* exit_code) {
  auto config = ctx.config();
  if (!config.ok()) {
    *exit_code = ctx.fail(config.status(), kExitFatal);
    return std::nullopt;
  }
  auto resolved = resolve_remote(text, **config, ctx.registry());
  if (!resolved.ok()) {
    *exit_code = ctx.fail(resolved.status(), resolve_exit_code(resolved.status()));
    return std::nullopt;
  }
  return Location{std::move(resolved).value()};
}

Result<ObjectInfo> stat_object(const Location& loc) {
  if (!loc.names_object()) {
    return Status{
        Errc::invalid_argument,
        loc.text() + ": not an object path (use " +
            (loc.local() ? std::string("/dir/file") : loc.remote().name() + ":bucket/key") + ")"};
  }
  auto info = loc.remote().stat(loc.object());
  if (!info.ok() && info.status().code == Errc::not_found) {
    Status s{Errc::not_found, loc.text() + ": object not found"};
    s.provider_code = info.status().provider_code;
    s.missing = info.status().missing;
    return s;
  }
  return info;
}

int fail_object(AppContext& ctx, const Location& loc, const Status& s) {
  if (s.code != Errc::not_found) return ctx.fail(s);
  if (loc.local()) return ctx.fail(s, kExitFileNotFound);
  if (s.missing == Missing::bucket) {
    return ctx.fail(bucket_not_found(loc, loc.r.bucket), kExitDirNotFound);
  }
  // A HEAD answers 404 without a body for both: one listing request tells them apart.
  ListRequest probe;
  probe.bucket = loc.r.bucket;
  probe.prefix = loc.r.prefix;
  probe.recursive = false;
  Status st = loc.remote().list(probe, [](std::vector<ObjectInfo>&) { return stop_listing(); });
  if (st.code == Errc::not_found) {
    return ctx.fail(bucket_not_found(loc, loc.r.bucket), kExitDirNotFound);
  }
  return ctx.fail(s, kExitFileNotFound);
}

Status walk(const Location& loc, const WalkOptions& o, const WalkSink& sink,
            const PageDone& page_done) {
  uint64_t count = 0;
  if (loc.local()) {
    const std::string& path = loc.r.prefix;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return dir_not_found(loc);
      return Status{Errc::permanent, loc.text() + ": " + std::strerror(errno)};
    }
    if (S_ISREG(st.st_mode)) {
      auto info = loc.remote().stat(loc.object());
      if (!info.ok()) return info.status();
      CPSYNC_RETURN_IF_ERROR(sink(*info, base_name(path)));
      if (page_done) page_done();
      return Status::OK();
    }
    return walk_prefix(loc, "", loc.dir_prefix(), "", o.recursive, o, sink, page_done, &count);
  }
  if (loc.root()) {
    if (!o.buckets_at_root) {
      return Status{Errc::invalid_argument,
                    loc.text() + ": needs a bucket (" + loc.remote().name() + ":bucket/path)"};
    }
    // Bucket names are few; collect them, then walk each bucket in turn.
    std::vector<ObjectInfo> buckets;
    CPSYNC_RETURN_IF_ERROR(loc.remote().list_buckets([&](std::vector<ObjectInfo>& page) {
      for (auto& b : page) buckets.push_back(std::move(b));
      return Status::OK();
    }));
    for (ObjectInfo& b : buckets) {
      const std::string name = b.key;
      b.is_dir = true;
      if (!o.recursive) {
        CPSYNC_RETURN_IF_ERROR(sink(b, name));
        continue;
      }
      if (o.bucket_dirs) CPSYNC_RETURN_IF_ERROR(sink(b, name));
      CPSYNC_RETURN_IF_ERROR(
          walk_prefix(loc, name, "", name + "/", true, o, sink, page_done, &count));
    }
    if (page_done) page_done();
    return Status::OK();
  }
  const std::string prefix = loc.dir_prefix();
  CPSYNC_RETURN_IF_ERROR(
      walk_prefix(loc, loc.r.bucket, prefix, "", o.recursive, o, sink, page_done, &count));
  if (count == 0 && loc.names_object()) {
    // Nothing below "path/": the location may name one object.
    auto info = loc.remote().stat(loc.object());
    if (info.ok()) {
      CPSYNC_RETURN_IF_ERROR(sink(*info, base_name(loc.r.prefix)));
      if (page_done) page_done();
    } else if (info.status().code != Errc::not_found) {
      return info.status();
    }
  }
  return Status::OK();
}

std::string human_size(uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f %s", v, kUnits[unit]);
  return buf;
}

std::string human_count(uint64_t n) {
  static const char* const kUnits[] = {"k", "M", "G", "T", "P", "E"};
  if (n < 1000) return std::to_string(n);
  double v = static_cast<double>(n);
  int unit = -1;
  while (v >= 1000 && unit < 5) {
    v /= 1000;
    ++unit;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f%s", v, kUnits[unit]);
  return buf;
}

std::string format_list_time(TimePoint t, bool fraction) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  if (secs > t) secs -= seconds(1);  // floor for times before 1970
  const auto nanos = duration_cast<nanoseconds>(t - secs).count();
  std::time_t tt = system_clock::to_time_t(system_clock::time_point(secs.time_since_epoch()));
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  if (fraction) std::snprintf(buf + n, sizeof buf - n, ".%09lld", static_cast<long long>(nanos));
  return buf;
}

std::string format_rfc3339_nano(TimePoint t) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  if (secs > t) secs -= seconds(1);
  const auto nanos = duration_cast<nanoseconds>(t - secs).count();
  std::time_t tt = system_clock::to_time_t(system_clock::time_point(secs.time_since_epoch()));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%09lldZ", static_cast<long long>(nanos));
  return buf;
}

}  // namespace cpsync
