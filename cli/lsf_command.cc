// cli/lsf_command.cc — `lsf`: rclone's listing for scripts, one entry per line with the
// fields --format names joined by --separator; one level by default (directories end in
// '/'), -R for all. Written page by page as the listing arrives; hashes a listing lacks are
// read from the object's metadata (a HEAD on S3/OSS) or, for local files, computed.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/dir_synth.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/object_hash.h"
#include "cli/remote_args.h"
#include "core/log.h"
#include "core/mime_types.h"
#include "sync/filter.h"
#include "sync/parallel_listing.h"

namespace cpsync {
namespace {

constexpr std::string_view kFormatLetters = "psthemT";

struct LsfArgs {
  std::string location;
  FilterOptions filter;
  std::string format = "p";
  std::string separator = ";";
  std::string hash = "MD5";
  std::string time_format;  // -t: one of kTimeFormats; "" is rclone's default
  bool recursive = false;
  bool dirs_only = false;
  bool files_only = false;
  bool absolute = false;
  bool csv = false;
  bool download = false;
  bool use_server_modtime = false;
  int list_parallel = kDefaultListParallel;
};

// rclone's named --time-format values (Go layouts are not taken).
constexpr std::string_view kTimeFormats[] = {"DateTime", "DateOnly", "RFC3339", "RFC3339Nano",
                                             "unix",     "unixnano", "max"};

// t in the named format, local time as rclone prints it.
std::string format_time(TimePoint t, std::string_view f) {
  using namespace std::chrono;
  auto secs = time_point_cast<seconds>(t);
  if (secs > t) secs -= seconds(1);  // floor for times before 1970
  const long long nanos = duration_cast<nanoseconds>(t - secs).count();
  if (f == "unix") return std::to_string(secs.time_since_epoch().count());
  if (f == "unixnano")
    return std::to_string(duration_cast<nanoseconds>(t.time_since_epoch()).count());
  std::time_t tt = system_clock::to_time_t(system_clock::time_point(secs.time_since_epoch()));
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[64];
  const bool rfc = f.starts_with("RFC3339");
  std::strftime(buf, sizeof buf,
                f == "DateOnly" ? "%Y-%m-%d"
                : rfc           ? "%Y-%m-%dT%H:%M:%S"
                                : "%Y-%m-%d %H:%M:%S",
                &tm);
  std::string out = buf;
  if (f == "max" || f == "RFC3339Nano") {  // the fraction without its trailing zeros (Go's .999)
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09lld", nanos);
    std::string fr = frac;
    while (fr.ends_with('0')) fr.pop_back();
    if (fr != ".") out += fr;
  }
  if (rfc) {
    if (tm.tm_gmtoff == 0) return out + "Z";
    const long off = tm.tm_gmtoff < 0 ? -tm.tm_gmtoff : tm.tm_gmtoff;
    std::snprintf(buf, sizeof buf, "%c%02ld:%02ld", tm.tm_gmtoff < 0 ? '-' : '+', off / 3600,
                  off % 3600 / 60);
    out += buf;
  }
  return out;
}

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// rclone's --csv: a field holding a comma, quote or line break is quoted, quotes doubled.
std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

Status check_args(const LsfArgs& a) {
  if (a.format.empty()) return {Errc::invalid_argument, "lsf: --format is empty"};
  for (char c : a.format) {
    if (kFormatLetters.find(c) == std::string_view::npos) {
      return {Errc::invalid_argument,
              std::string("lsf: --format: unknown letter '") + c +
                  "' (p path, s size, t modtime, h hash, e ETag, m MIME type, T tier)"};
    }
  }
  if (a.dirs_only && a.files_only) {
    return {Errc::invalid_argument, "lsf: --dirs-only and --files-only exclude each other"};
  }
  if (!a.time_format.empty() && std::find(std::begin(kTimeFormats), std::end(kTimeFormats),
                                          a.time_format) == std::end(kTimeFormats)) {
    return {Errc::invalid_argument,
            "lsf: --time-format " + a.time_format +
                ": unknown (DateTime, DateOnly, RFC3339, RFC3339Nano, unix, unixnano or max)"};
  }
  if (a.list_parallel < 1) return {Errc::invalid_argument, "--list-parallel must be at least 1"};
  if (!parse_hash_kind(a.hash)) {
    return {Errc::invalid_argument, "lsf: --hash " + a.hash + ": unknown hash (MD5 or SHA-256)"};
  }
  return Status::OK();
}

int run_lsf(AppContext& ctx, const LsfArgs& a) {
  if (Status s = check_args(a); !s.ok()) return ctx.fail(s, kExitUsage);
  auto filter = Filter::build(a.filter, now());
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  const HashKind kind = *parse_hash_kind(a.hash);
  const bool want_time = a.format.find('t') != std::string::npos;
  const bool want_hash = a.format.find('h') != std::string::npos;
  const bool read_hashes = want_hash && hash_by_reading(loc->remote(), kind, a.download);

  WalkOptions o;
  o.recursive = a.recursive && a.filter.max_depth != 1;
  o.bucket_dirs = true;
  o.list_parallel = a.list_parallel;
  // S3/OSS listings lack the stored mtime, and the MD5 of multipart objects: one HEAD each
  // for what the format shows (none with --use-server-modtime and no hash).
  if ((want_time && !a.use_server_modtime) || (want_hash && !read_hashes)) {
    const bool all = want_time && !a.use_server_modtime;
    o.stored_mtime_if = [all](const ObjectInfo& info) { return all || !info.md5; };
  }
  const int max_depth = a.recursive ? a.filter.max_depth : 1;
  const std::string sep = a.csv ? "," : a.separator;

  auto hash_of = [&](const ObjectInfo& info, std::string_view rel) -> std::string {
    if (!read_hashes) return stored_hash(info, kind);
    const std::string bucket =
        loc->root() ? std::string(rel.substr(0, rel.find('/'))) : loc->r.bucket;
    auto h = read_hash(loc->remote(), ObjectRef{bucket, info.key}, info.size, kind);
    if (h.ok()) return *h;
    log_error(std::string(rel) + ": hash: " + h.status().to_string());
    return "ERROR";  // rclone's marker for a hash that could not be read
  };

  auto put = [&](const ObjectInfo& info, std::string_view rel, bool is_dir) -> Status {
    if (is_dir ? a.files_only : a.dirs_only) return Status::OK();
    const int depth = 1 + static_cast<int>(std::count(rel.begin(), rel.end(), '/'));
    if (max_depth >= 0 && depth > max_depth) return Status::OK();
    std::string line;
    for (size_t i = 0; i < a.format.size(); ++i) {
      std::string v;
      switch (a.format[i]) {
        case 'p':
          v = (a.absolute ? "/" : "") + std::string(rel) + (is_dir ? "/" : "");
          break;
        case 's':
          v = is_dir ? "-1" : std::to_string(info.size);
          break;
        case 't':
          v = format_time(info.mtime == TimePoint{} ? now() : info.mtime,
                          a.time_format.empty() ? "DateTime" : a.time_format);
          break;
        case 'h':
          if (!is_dir) v = hash_of(info, rel);
          break;
        case 'e':
          v = info.etag;
          break;
        case 'm': {
          const size_t slash = rel.rfind('/');
          const std::string_view name =
              slash == std::string_view::npos ? rel : rel.substr(slash + 1);
          v = is_dir                      ? std::string("inode/directory")
              : info.content.type.empty() ? mime_type_for(name)
                                          : info.content.type;
          break;
        }
        case 'T':
          if (!is_dir) v = info.tier;
          break;
      }
      if (i > 0) line += sep;
      line += a.csv ? csv_field(v) : v;
    }
    ctx.out << line << '\n';
    return Status::OK();
  };

  DirSynth synth;
  Status st = walk(
      *loc, o,
      [&](const ObjectInfo& info, std::string_view rel) -> Status {
        if (o.recursive) {
          CPSYNC_RETURN_IF_ERROR(synth.on_entry(rel, info.is_dir, [&](std::string_view dir) {
            return put(ObjectInfo{}, dir, true);
          }));
        }
        if (!info.is_dir && !filter->include(rel, info.size, info.mtime)) return Status::OK();
        return put(info, rel, info.is_dir);
      },
      [&] { ctx.out.flush(); });
  ctx.out.flush();
  if (!st.ok()) return ctx.fail(st);
  return kExitOk;
}

}  // namespace

void add_lsf_command(CLI::App& app, AppContext& ctx) {
  auto a = std::make_shared<LsfArgs>();
  auto* cmd = app.add_subcommand(
      "lsf", "List objects and directories in a form for scripts (one level; -R for all)");
  cmd->add_option("remote", a->location, "Location: remote:bucket/path, remote: or a local path")
      ->required();
  cmd->add_option("-F,--format", a->format,
                  "Fields to print: p path, s size, t modtime, h hash, e ETag, m MIME type, "
                  "T tier (default p)");
  cmd->add_option("-t,--time-format", a->time_format,
                  "How t prints: DateTime (default), DateOnly, RFC3339, RFC3339Nano, unix, "
                  "unixnano, max");
  cmd->add_option("-s,--separator", a->separator, "Between the fields (default ;)");
  cmd->add_option("--hash", a->hash, "The hash h prints: MD5 (default) or SHA-256");
  cmd->add_flag("-R,--recursive", a->recursive, "List every level");
  cmd->add_flag("--dirs-only", a->dirs_only, "Only directories");
  cmd->add_flag("--files-only", a->files_only, "Only objects");
  cmd->add_flag("--absolute", a->absolute, "Put a / in front of each path");
  cmd->add_flag("--csv", a->csv, "CSV: fields separated by commas and quoted where needed");
  cmd->add_flag("--download", a->download, "Compute hashes by reading the objects");
  cmd->add_flag("--use-server-modtime", a->use_server_modtime,
                "S3/OSS: use the upload time, not the stored mtime (saves a HEAD per object)");
  cmd->add_option("--list-parallel", a->list_parallel,
                  "Listing requests in flight for a recursive listing (1: one after another)")
      ->capture_default_str();
  add_filter_flags(*cmd, a->filter);
  on_run(cmd, ctx, [&ctx, a] { return run_lsf(ctx, *a); });
}

}  // namespace cpsync
