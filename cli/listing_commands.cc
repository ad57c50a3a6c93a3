// cli/listing_commands.cc — `ls`, `lsl`, `lsd`, `lsjson` and `size`, in rclone's output
// formats. Paths are relative to the location given; output is written and flushed page
// by page as the listing arrives (nothing is collected, lsjson streams its array).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/dir_synth.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/remote_args.h"
#include "core/log.h"
#include "core/mime_types.h"
#include "sync/filter.h"
#include "sync/parallel_listing.h"

namespace cpsync {
namespace {

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

struct ListArgs {
  std::string location;
  FilterOptions filter;
  bool recursive = false;           // lsd, lsjson: -R
  bool dirs_only = false;           // lsjson
  bool files_only = false;          // lsjson
  bool no_modtime = false;          // lsjson
  bool no_mimetype = false;         // lsjson
  bool use_server_modtime = false;  // S3/OSS: show and filter on the upload time, no HEADs
  bool metadata = false;            // lsjson -M
  int list_parallel = kDefaultListParallel;
};

// Which listed S3/OSS objects are stat'ed for the mtime stored with them: all when the
// mtime is shown (rclone HEADs them too), else only those the age filters could judge
// otherwise by it; none with --use-server-modtime.
std::function<bool(const ObjectInfo&)> stored_mtime_need(const ListArgs& a, const Filter& f,
                                                         bool mtime_shown) {
  if (a.use_server_modtime) return nullptr;
  if (mtime_shown) return [](const ObjectInfo&) { return true; };
  if (!f.age_needs_stored_mtime(TimePoint::max())) return nullptr;  // no age limit
  return [&f](const ObjectInfo& info) { return f.age_needs_stored_mtime(info.mtime); };
}

// Resolves the location and builds the filter; nullopt after printing the error.
struct Prepared {
  Location loc;
  Filter filter;
};
std::optional<Prepared> prepare(AppContext& ctx, const ListArgs& a, int* rc) {
  if (a.list_parallel < 1) {
    *rc = ctx.fail({Errc::invalid_argument, "--list-parallel must be at least 1"}, kExitUsage);
    return std::nullopt;
  }
  auto built = Filter::build(a.filter, now());
  if (!built.ok()) {
    *rc = ctx.fail(built.status(), kExitUsage);
    return std::nullopt;
  }
  auto loc = resolve_location(ctx, a.location, rc);
  if (!loc) return std::nullopt;
  for (const std::string& rule : built->describe()) log_debug("filter: " + rule);
  return Prepared{std::move(*loc), std::move(built).value()};
}

int depth_of(std::string_view rel) {
  return 1 + static_cast<int>(std::count(rel.begin(), rel.end(), '/'));
}

std::string base_name(std::string_view rel) {
  size_t slash = rel.rfind('/');
  return std::string(slash == std::string_view::npos ? rel : rel.substr(slash + 1));
}

// rclone's MimeType: the object's stored Content-Type when the listing gives it, else the
// one its extension has in /etc/mime.types.
std::string mime_type(const ObjectInfo& info, std::string_view name) {
  return info.content.type.empty() ? mime_type_for(name) : info.content.type;
}

// rclone's lsjson --metadata: the content headers under their lower-case header names and
// the user metadata (mtime in cpsync's neutral form, fractional unix seconds).
nlohmann::ordered_json metadata_json(const ObjectInfo& info) {
  nlohmann::ordered_json m = nlohmann::ordered_json::object();
  const std::pair<const char*, const std::string*> headers[] = {
      {"content-type", &info.content.type},
      {"content-encoding", &info.content.encoding},
      {"content-language", &info.content.language},
      {"content-disposition", &info.content.disposition},
      {"cache-control", &info.content.cache_control}};
  for (const auto& [name, value] : headers)
    if (!value->empty()) m[name] = *value;
  for (const auto& [k, v] : info.metadata) m[k] = v;
  return m;
}

int run_lsjson(AppContext& ctx, const ListArgs& a);

// ls, lsl and lsd with --json print what lsjson prints for the same selection (objects
// only, recursive unless --max-depth 1; directories only for lsd), never rclone's text.
int run_as_lsjson(AppContext& ctx, ListArgs a, bool dirs) {
  (dirs ? a.dirs_only : a.files_only) = true;
  if (!dirs) a.recursive = a.filter.max_depth != 1;
  return run_lsjson(ctx, a);
}

// ls / lsl: objects only, recursive unless --max-depth 1.
int run_ls(AppContext& ctx, const ListArgs& a, bool long_format) {
  if (ctx.flags.json) return run_as_lsjson(ctx, a, false);
  int rc = 0;
  auto p = prepare(ctx, a, &rc);
  if (!p) return rc;
  WalkOptions o;
  o.list_parallel = a.list_parallel;
  o.recursive = a.filter.max_depth != 1;
  o.stored_mtime_if = stored_mtime_need(a, p->filter, long_format);
  char line[64];
  Status st = walk(
      p->loc, o,
      [&](const ObjectInfo& info, std::string_view rel) {
        if (info.is_dir || !p->filter.include(rel, info.size, info.mtime)) return Status::OK();
        std::snprintf(line, sizeof line, "%9llu ", static_cast<unsigned long long>(info.size));
        ctx.out << line;
        if (long_format) ctx.out << format_list_time(info.mtime, true) << ' ';
        ctx.out << rel << '\n';
        return Status::OK();
      },
      [&] { ctx.out.flush(); });
  ctx.out.flush();
  if (!st.ok()) return ctx.fail(st);
  return kExitOk;
}

void print_dir_line(AppContext& ctx, const ObjectInfo& info, std::string_view rel) {
  const TimePoint t = info.mtime == TimePoint{} ? now() : info.mtime;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%12d %s %9d ", -1, format_list_time(t, false).c_str(), -1);
  ctx.out << buf << rel << '\n';
}

// lsd: the directories (or buckets at a remote's root) at one level; -R all levels.
int run_lsd(AppContext& ctx, const ListArgs& a) {
  if (ctx.flags.json) return run_as_lsjson(ctx, a, true);
  int rc = 0;
  auto p = prepare(ctx, a, &rc);
  if (!p) return rc;
  WalkOptions o;
  o.list_parallel = a.list_parallel;
  o.recursive = a.recursive && a.filter.max_depth != 1;
  o.bucket_dirs = true;
  DirSynth synth;
  const int max_depth = a.recursive ? a.filter.max_depth : 1;
  auto emit = [&](const ObjectInfo& info, std::string_view rel) {
    if (max_depth < 0 || depth_of(rel) <= max_depth) print_dir_line(ctx, info, rel);
    return Status::OK();
  };
  Status st = walk(
      p->loc, o,
      [&](const ObjectInfo& info, std::string_view rel) -> Status {
        if (!o.recursive) return info.is_dir ? emit(info, rel) : Status::OK();
        CPSYNC_RETURN_IF_ERROR(synth.on_entry(
            rel, info.is_dir, [&](std::string_view dir) { return emit(ObjectInfo{}, dir); }));
        return info.is_dir ? emit(info, rel) : Status::OK();
      },
      [&] { ctx.out.flush(); });
  ctx.out.flush();
  if (!st.ok()) return ctx.fail(st);
  return kExitOk;
}

// lsjson: one level (or -R), directories and objects, streamed as a JSON array.
int run_lsjson(AppContext& ctx, const ListArgs& a) {
  int rc = 0;
  auto p = prepare(ctx, a, &rc);
  if (!p) return rc;
  if (a.dirs_only && a.files_only) {
    return ctx.fail(Status{Errc::invalid_argument,
                           "lsjson: --dirs-only and --files-only "
                           "exclude each other"},
                    kExitUsage);
  }
  WalkOptions o;
  o.list_parallel = a.list_parallel;
  o.recursive = a.recursive && a.filter.max_depth != 1;
  o.bucket_dirs = true;
  // -M on a listing without metadata (S3, OSS): the same HEAD per object, as rclone does.
  o.stored_mtime_if = stored_mtime_need(a, p->filter, !a.no_modtime);
  if (a.metadata) o.stored_mtime_if = [](const ObjectInfo&) { return true; };
  const int max_depth = a.recursive ? a.filter.max_depth : 1;
  const bool at_root = p->loc.root();
  DirSynth synth;
  bool first = true;
  auto put = [&](const ObjectInfo& info, std::string_view rel, bool is_dir) {
    if (is_dir ? a.files_only : a.dirs_only) return Status::OK();
    if (max_depth >= 0 && depth_of(rel) > max_depth) return Status::OK();
    nlohmann::ordered_json j;
    const std::string name = base_name(rel);
    j["Path"] = std::string(rel);
    j["Name"] = name;
    j["Size"] = is_dir ? int64_t{-1} : static_cast<int64_t>(info.size);
    if (!a.no_mimetype) j["MimeType"] = is_dir ? "inode/directory" : mime_type(info, name);
    if (!a.no_modtime) {
      j["ModTime"] = format_rfc3339_nano(info.mtime == TimePoint{} ? now() : info.mtime);
    }
    j["IsDir"] = is_dir;
    if (!is_dir && info.md5 && !info.md5->empty()) j["Hashes"] = {{"md5", *info.md5}};
    if (!is_dir && !info.tier.empty()) j["Tier"] = info.tier;
    if (is_dir && at_root && depth_of(rel) == 1) j["IsBucket"] = true;
    if (a.metadata && !is_dir) j["Metadata"] = metadata_json(info);
    ctx.out << (first ? "" : ",\n")
            << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    first = false;
    return Status::OK();
  };
  ctx.out << "[\n";
  Status st = walk(
      p->loc, o,
      [&](const ObjectInfo& info, std::string_view rel) -> Status {
        if (o.recursive) {
          CPSYNC_RETURN_IF_ERROR(synth.on_entry(rel, info.is_dir, [&](std::string_view dir) {
            return put(ObjectInfo{}, dir, true);
          }));
        }
        if (!info.is_dir && !p->filter.include(rel, info.size, info.mtime)) return Status::OK();
        return put(info, rel, info.is_dir);
      },
      [&] { ctx.out.flush(); });
  if (!st.ok()) {
    ctx.out.flush();
    return ctx.fail(st);
  }
  ctx.out << (first ? "" : "\n") << "]\n";
  ctx.out.flush();
  return kExitOk;
}

// size: objects and bytes below the location (every bucket at a remote's root).
int run_size(AppContext& ctx, const ListArgs& a) {
  int rc = 0;
  auto p = prepare(ctx, a, &rc);
  if (!p) return rc;
  WalkOptions o;
  o.list_parallel = a.list_parallel;
  o.recursive = a.filter.max_depth != 1;
  o.stored_mtime_if = stored_mtime_need(a, p->filter, false);
  uint64_t count = 0, bytes = 0;
  Status st = walk(p->loc, o, [&](const ObjectInfo& info, std::string_view rel) {
    if (info.is_dir || !p->filter.include(rel, info.size, info.mtime)) return Status::OK();
    ++count;
    bytes += info.size;
    return Status::OK();
  });
  if (!st.ok()) return ctx.fail(st);
  if (ctx.flags.json) {
    ctx.out << nlohmann::ordered_json{{"count", count}, {"bytes", bytes}, {"sizeless", 0}}.dump()
            << "\n";
  } else {
    ctx.out << "Total objects: " << human_count(count) << " (" << count << ")\n"
            << "Total size: " << human_size(bytes) << " (" << bytes << " Byte)\n";
  }
  return kExitOk;
}

CLI::App* add_list_command(CLI::App& app, AppContext& ctx, const char* name, const char* help,
                           std::shared_ptr<ListArgs>& args) {
  args = std::make_shared<ListArgs>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("remote", args->location, "Location: remote:bucket/path, remote: or a local path")
      ->required();
  add_filter_flags(*cmd, args->filter);
  cmd->add_flag("--use-server-modtime", args->use_server_modtime,
                "S3/OSS: use the upload time, not the stored mtime (saves a HEAD per object)");
  cmd->add_option("--list-parallel", args->list_parallel,
                  "Listing requests in flight for a recursive listing (1: one after another)")
      ->capture_default_str();
  (void)ctx;
  return cmd;
}

}  // namespace

void add_listing_commands(CLI::App& app, AppContext& ctx) {
  std::shared_ptr<ListArgs> a;
  auto* ls = add_list_command(app, ctx, "ls", "List the objects in the path with size and path", a);
  on_run(ls, ctx, [&ctx, a] { return run_ls(ctx, *a, false); });

  auto* lsl = add_list_command(app, ctx, "lsl",
                               "List the objects in the path with size, modification time and "
                               "path",
                               a);
  on_run(lsl, ctx, [&ctx, a] { return run_ls(ctx, *a, true); });

  auto* lsd = add_list_command(
      app, ctx, "lsd", "List the directories in the path (the buckets at a remote's root)", a);
  lsd->add_flag("-R,--recursive", a->recursive, "List directories at every level");
  on_run(lsd, ctx, [&ctx, a] { return run_lsd(ctx, *a); });

  auto* lsjson = add_list_command(app, ctx, "lsjson",
                                  "List directories and objects in the path as a JSON array", a);
  lsjson->add_flag("-R,--recursive", a->recursive, "Recurse into the listing");
  lsjson->add_flag("--dirs-only", a->dirs_only, "Show only directories");
  lsjson->add_flag("--files-only", a->files_only, "Show only objects");
  lsjson->add_flag("--no-modtime", a->no_modtime, "Don't show ModTime");
  lsjson->add_flag("--no-mimetype", a->no_mimetype, "Don't show MimeType");
  lsjson->add_flag("-M,--metadata", a->metadata,
                   "Show each object's content headers and user metadata (a HEAD per object "
                   "on S3 and OSS)");
  on_run(lsjson, ctx, [&ctx, a] { return run_lsjson(ctx, *a); });

  auto* size = add_list_command(
      app, ctx, "size", "Total number and size of the objects in the path (--json for JSON)", a);
  on_run(size, ctx, [&ctx, a] { return run_size(ctx, *a); });
}

}  // namespace cpsync
