// cli/tree_command.cc — `tree`: rclone's (and tree(1)'s) drawing of a location's objects and
// directories, with --level, -s size, -D date, -t/-r sorting, -d directories only and a
// "N directories, M files" report. Drawing needs to know each directory's last entry, so
// the listing is held in memory (a node per object; use lsf -R for very large trees).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/remote_args.h"
#include "sync/filter.h"
#include "sync/parallel_listing.h"

namespace cpsync {
namespace {

struct TreeArgs {
  std::string location;
  FilterOptions filter;
  int level = -1;
  bool size = false, date = false, sort_modtime = false, reverse = false;
  bool dirs_only = false, all = false, noreport = false, dirsfirst = false;
  int list_parallel = kDefaultListParallel;
};

struct Node {
  bool dir = false;
  uint64_t size = 0;
  TimePoint mtime{};
  std::map<std::string, Node> children;  // byte order, as listings are
};

// The node for rel (creating its parent directories); nullptr when a path segment is an
// object already (a key "a" and a key "a/b": the object wins the name, as on a filesystem).
Node* insert(Node& root, std::string_view rel, bool dir) {
  Node* n = &root;
  size_t pos = 0;
  for (;;) {
    const size_t slash = rel.find('/', pos);
    const std::string name(
        rel.substr(pos, slash == std::string_view::npos ? rel.npos : slash - pos));
    Node& child = n->children[name];
    if (slash == std::string_view::npos) {
      child.dir = child.dir || dir;
      return &child;
    }
    if (!child.dir && !child.children.empty()) return nullptr;
    child.dir = true;
    n = &child;
    pos = slash + 1;
  }
}

std::string month_day_time(TimePoint t) {
  if (t == TimePoint{})
    t = std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now());  // a directory of no time
  std::time_t tt = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %d %H:%M", &tm);
  return buf;
}

class Printer {
 public:
  Printer(const TreeArgs& a, std::ostream& out) : a_(a), out_(out) {}

  void print(const Node& n, const std::string& indent, int depth) {
    std::vector<std::pair<const std::string*, const Node*>> kids;
    for (const auto& [name, child] : n.children) {
      if (!a_.all && name.starts_with('.')) continue;
      if (a_.dirs_only && !child.dir) continue;
      kids.emplace_back(&name, &child);
    }
    std::stable_sort(kids.begin(), kids.end(), [&](const auto& x, const auto& y) {
      if (a_.dirsfirst && x.second->dir != y.second->dir) return x.second->dir;
      if (a_.sort_modtime) {
        if (x.second->mtime != y.second->mtime)
          return (x.second->mtime < y.second->mtime) != a_.reverse;
        return false;
      }
      return a_.reverse && *x.first > *y.first;
    });
    for (size_t i = 0; i < kids.size(); ++i) {
      const bool last = i + 1 == kids.size();
      const Node& c = *kids[i].second;
      out_ << indent << (last ? "└── " : "├── ") << props(c) << *kids[i].first << '\n';
      if (c.dir) {
        ++dirs_;
        if (a_.level < 0 || depth < a_.level)
          print(c, indent + (last ? "    " : "│   "), depth + 1);
      } else {
        ++files_;
      }
    }
  }

  uint64_t dirs() const { return dirs_; }
  uint64_t files() const { return files_; }

 private:
  // "[       1000 Dec 07 13:20]  " with -s and -D, as tree(1) prints them.
  std::string props(const Node& n) const {
    if (!a_.size && !a_.date) return "";
    std::string p = "[";
    if (a_.size) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%11llu", static_cast<unsigned long long>(n.dir ? 0 : n.size));
      p += buf;
    }
    if (a_.date) p += (a_.size ? " " : "") + month_day_time(n.mtime);
    return p + "]  ";
  }

  const TreeArgs& a_;
  std::ostream& out_;
  uint64_t dirs_ = 0, files_ = 0;
};

int run_tree(AppContext& ctx, const TreeArgs& a) {
  const TimePoint now =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  auto filter = Filter::build(a.filter, now);
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  if (a.level == 0 || a.level < -1)
    return ctx.fail({Errc::invalid_argument, "tree: --level must be 1 or more"}, kExitUsage);
  if (a.list_parallel < 1)
    return ctx.fail({Errc::invalid_argument, "--list-parallel must be at least 1"}, kExitUsage);
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  WalkOptions o;
  const int depth = a.level > 0 ? a.level : a.filter.max_depth;
  o.recursive = depth != 1;
  o.bucket_dirs = true;
  o.list_parallel = a.list_parallel;
  if (a.date || a.sort_modtime) o.stored_mtime_if = [](const ObjectInfo&) { return true; };
  Node root;
  root.dir = true;
  Status st = walk(*loc, o, [&](const ObjectInfo& info, std::string_view rel) -> Status {
    if (depth > 0 && 1 + std::count(rel.begin(), rel.end(), '/') > depth) return Status::OK();
    if (!info.is_dir && !filter->include(rel, info.size, info.mtime)) return Status::OK();
    if (Node* n = insert(root, rel, info.is_dir)) {
      n->size = info.size;
      n->mtime = info.mtime == TimePoint{} ? now : info.mtime;
    }
    return Status::OK();
  });
  if (!st.ok()) return ctx.fail(st);
  Printer p(a, ctx.out);
  ctx.out << "/\n";
  p.print(root, "", 1);
  if (!a.noreport) {
    ctx.out << '\n' << p.dirs() << " directories";  // rclone's words, even for 1
    if (!a.dirs_only) ctx.out << ", " << p.files() << " files";
    ctx.out << '\n';
  }
  ctx.out.flush();
  return kExitOk;
}

}  // namespace

void add_tree_command(CLI::App& app, AppContext& ctx) {
  auto a = std::make_shared<TreeArgs>();
  auto* cmd = app.add_subcommand("tree", "Draw the objects and directories of the path as a tree");
  cmd->add_option("remote", a->location, "Location: remote:bucket/path, remote: or a local path")
      ->required();
  cmd->add_option("--level", a->level, "Descend at most this many levels");
  cmd->add_flag("-s,--size", a->size, "Show each object's size in bytes");
  cmd->add_flag("-D,--date", a->date, "Show each entry's modification time");
  cmd->add_flag("-t,--sort-modtime", a->sort_modtime, "Sort by modification time");
  cmd->add_flag("-r,--sort-reverse", a->reverse, "Reverse the order");
  cmd->add_flag("-d,--dirs-only", a->dirs_only, "Only directories");
  cmd->add_flag("-a,--all", a->all, "Also names starting with '.'");
  cmd->add_flag("--dirsfirst", a->dirsfirst, "Directories before objects");
  cmd->add_flag("--noreport", a->noreport, "No \"N directories, M files\" line");
  cmd->add_option("--list-parallel", a->list_parallel,
                  "Listing requests in flight for a recursive listing (1: one after another)")
      ->capture_default_str();
  add_filter_flags(*cmd, a->filter);
  on_run(cmd, ctx, [&ctx, a] { return run_tree(ctx, *a); });
}

}  // namespace cpsync
