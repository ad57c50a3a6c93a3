// cli/hash_commands.cc — `md5sum` and `hashsum NAME`: one `<hash>  <path>` line per object
// below the location (recursive, filters apply), the format of md5sum(1) and rclone. The
// hash is the one the remote stores (an empty, padded field where none is stored, as in
// rclone); --download computes it by reading each object, and local files are always read.
// -C/--checkfile FILE compares the hashes with a sum file in that format instead (rclone's):
// one error line per difference, the count at the end, exit 1 when any.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/object_hash.h"
#include "cli/remote_args.h"
#include "core/crypto.h"
#include "core/log.h"
#include "sync/filter.h"
#include "sync/parallel_listing.h"

namespace cpsync {
namespace {

struct HashArgs {
  std::string hash;  // hashsum's first argument
  std::string location;
  FilterOptions filter;
  bool download = false;
  bool base64 = false;
  std::string checkfile;  // -C: compare with this sum file instead of printing
  int list_parallel = kDefaultListParallel;
};

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A sum file as md5sum(1) writes it: "<hash>  <path>" or "<hash> *<path>" per line; blank
// lines are skipped. Path -> lower-case hash (base64 kept as written).
Result<std::map<std::string, std::string>> read_sum_file(const std::string& file, bool base64) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status{Errc::invalid_argument, "--checkfile " + file + ": cannot be read"};
  std::map<std::string, std::string> sums;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.ends_with('\r')) line.pop_back();
    if (line.empty()) continue;
    const size_t sp = line.find(' ');
    if (sp == 0 || sp == std::string::npos || sp + 2 > line.size() ||
        (line[sp + 1] != ' ' && line[sp + 1] != '*') || sp + 2 == line.size()) {
      return Status{Errc::invalid_argument,
                    "--checkfile " + file + ":" + std::to_string(n) + ": not \"<hash>  <path>\""};
    }
    std::string hash = line.substr(0, sp);
    sums[line.substr(sp + 2)] = base64 ? hash : lower(hash);
  }
  return sums;
}

int run_hashsum(AppContext& ctx, const HashArgs& a, HashKind kind) {
  auto filter = Filter::build(a.filter, std::chrono::time_point_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now()));
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  if (a.list_parallel < 1)
    return ctx.fail({Errc::invalid_argument, "--list-parallel must be at least 1"}, kExitUsage);
  std::map<std::string, std::string> sums;
  const bool checking = !a.checkfile.empty();
  if (checking) {
    auto got = read_sum_file(a.checkfile, a.base64);
    if (!got.ok()) return ctx.fail(got.status(), kExitUsage);
    sums = std::move(*got);
  }
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  uint64_t differ = 0, matched = 0, unchecked = 0;
  const bool reading = hash_by_reading(loc->remote(), kind, a.download);
  WalkOptions o;
  o.recursive = a.filter.max_depth != 1;
  o.list_parallel = a.list_parallel;
  // The MD5 of a multipart S3/OSS object is in its md5chksum metadata: one HEAD for each
  // object whose listing has no MD5.
  if (!reading) o.stored_mtime_if = [](const ObjectInfo& info) { return !info.md5; };
  uint64_t failed = 0;
  Status first_error;
  const int width = a.base64 ? (kind == HashKind::md5 ? 24 : 44) : hash_width(kind);
  Status st = walk(
      *loc, o,
      [&](const ObjectInfo& info, std::string_view rel) -> Status {
        if (info.is_dir || !filter->include(rel, info.size, info.mtime)) return Status::OK();
        std::string h;
        if (reading) {
          const std::string bucket =
              loc->root() ? std::string(rel.substr(0, rel.find('/'))) : loc->r.bucket;
          auto got = read_hash(loc->remote(), ObjectRef{bucket, info.key}, info.size, kind);
          if (got.ok()) {
            h = *got;
          } else {
            // rclone prints ERROR in the hash's place and goes on with the others.
            log_error(std::string(rel) + ": " + got.status().to_string());
            if (first_error.ok()) first_error = got.status();
            ++failed;
            h = "ERROR";
          }
        } else {
          h = stored_hash(info, kind);
        }
        if (a.base64 && !h.empty() && h != "ERROR") {
          std::string raw;
          if (hex_decode(h, raw)) h = base64_encode(raw);
        }
        if (checking) {  // as rclone's check: the sum file is the source
          auto it = sums.find(std::string(rel));
          if (it == sums.end()) {
            ++differ;
            log_object(LogLevel::error, rel, "file not in " + a.checkfile);
          } else if (h.empty() || h == "ERROR") {
            if (h.empty()) ++unchecked;  // no stored hash: neither match nor difference
            sums.erase(it);
          } else if ((a.base64 ? h : lower(h)) == it->second) {
            ++matched;
            sums.erase(it);
          } else {
            ++differ;
            log_object(LogLevel::error, rel, lower(hash_kind_name(kind)) + " differ");
            sums.erase(it);
          }
          return Status::OK();
        }
        if (h.size() < static_cast<size_t>(width)) h.insert(0, width - h.size(), ' ');
        ctx.out << h << "  " << rel << '\n';
        return Status::OK();
      },
      [&] { ctx.out.flush(); });
  ctx.out.flush();
  if (!st.ok()) return ctx.fail(st);
  if (failed > 0) {
    return ctx.fail(first_error.with_context(std::to_string(failed) + " of the hashes failed"));
  }
  if (!checking) return kExitOk;
  for (const auto& [path, hash] : sums) {  // listed in the sum file, not found
    ++differ;
    log_object(LogLevel::error, path, "file not in " + a.location);
  }
  if (unchecked > 0) ctx.err << "cpsync: " << unchecked << " hashes could not be checked\n";
  ctx.err << "cpsync: " << matched << " matching files\n";
  ctx.err << "cpsync: " << differ << " differences found\n";
  return differ > 0 ? kExitCheckDiffers : kExitOk;
}

void add_hash_flags(CLI::App* cmd, HashArgs& a) {
  cmd->add_flag("--download", a.download,
                "Read each object and hash its bytes (default: the hash the remote stores)");
  cmd->add_flag("--base64", a.base64, "Print the hashes in base64, not hex");
  cmd->add_option("-C,--checkfile", a.checkfile,
                  "Compare with this sum file (\"<hash>  <path>\" lines) instead of printing; "
                  "exit 1 on differences");
  cmd->add_option("--list-parallel", a.list_parallel,
                  "Listing requests in flight for a recursive listing (1: one after another)")
      ->capture_default_str();
  add_filter_flags(*cmd, a.filter);
}

}  // namespace

void add_hash_commands(CLI::App& app, AppContext& ctx) {
  {
    auto a = std::make_shared<HashArgs>();
    auto* cmd = app.add_subcommand(
        "md5sum", "Print the MD5 of every object in the path, as md5sum does (stored hashes)");
    cmd->add_option("remote", a->location, "Location: remote:bucket/path or a local path")
        ->required();
    add_hash_flags(cmd, *a);
    on_run(cmd, ctx, [&ctx, a] { return run_hashsum(ctx, *a, HashKind::md5); });
  }
  {
    auto a = std::make_shared<HashArgs>();
    auto* cmd =
        app.add_subcommand("hashsum",
                           "Print a hash (MD5, SHA-256) of every object in the path; no arguments: "
                           "the hashes supported");
    cmd->add_option("hash", a->hash, "MD5 or SHA-256 (case-insensitive)");
    cmd->add_option("remote", a->location, "Location: remote:bucket/path or a local path");
    add_hash_flags(cmd, *a);
    on_run(cmd, ctx, [&ctx, a] {
      if (a->hash.empty()) {
        ctx.out << "Supported hashes are:\n  * md5\n  * sha256\n";
        return static_cast<int>(kExitOk);
      }
      auto kind = parse_hash_kind(a->hash);
      if (!kind) {
        return ctx.fail(
            {Errc::invalid_argument, "hashsum: unknown hash '" + a->hash + "' (MD5 or SHA-256)"},
            kExitUsage);
      }
      if (a->location.empty()) {
        return ctx.fail({Errc::invalid_argument, "hashsum: needs a location after the hash"},
                        kExitUsage);
      }
      return run_hashsum(ctx, *a, *kind);
    });
  }
}

}  // namespace cpsync
