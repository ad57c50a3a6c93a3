// sync/parallel_listing.cc — range discovery and the concurrent range listers (see
// parallel_listing.h).
#include "sync/parallel_listing.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace cpsync {
namespace {

// U+10FFFF, the last valid UTF-8 code point: prefix + this sorts after every key of the prefix
// that does not itself continue with it, and listing APIs accept it (OSS refuses invalid UTF-8).
constexpr const char* kLastChar = "\xf4\x8f\xbf\xbf";

// One piece of the output, in key order: keys a delimiter listing already returned, or a
// range still to list recursively.
struct Segment {
  std::vector<ObjectInfo> keys;  // when !listed
  bool listed = false;
  ListRequest req;         // listed: the recursive listing of the range
  std::string skip;        // listed: keys starting with this belong to an earlier range
  bool whole_dir = false;  // listed: exactly one common prefix (may be cut further)
  std::deque<std::vector<ObjectInfo>> pages;  // listed, fetched and not yet delivered
  bool done = false;
  Status status;
};

bool at_stop(const std::string& key, const std::string& stop) {
  return !stop.empty() && key >= stop;
}

Segment range_segment(const std::string& bucket, std::string prefix, std::string start_after,
                      std::string skip, bool whole_dir) {
  Segment s;
  s.listed = true;
  s.req.bucket = bucket;
  s.req.prefix = std::move(prefix);
  s.req.start_after = std::move(start_after);
  s.req.recursive = true;
  s.skip = std::move(skip);
  s.whole_dir = whole_dir;
  return s;
}

// Cuts base (prefix, start_after) into segments by one delimiter listing of at most
// max_pages pages: the keys found, a range per common prefix, and (when the pages ran out
// first) a tail range after the last entry seen. Appends them to out in key order.
Status discover(Remote& remote, const ListRequest& base, const std::string& stop, size_t max_pages,
                std::vector<Segment>& out) {
  ListRequest d = base;
  d.recursive = false;
  std::string skip;
  // A start inside a sub-directory: that directory's rest is one range, and the delimiter
  // listing starts after it (services differ on whether they roll such keys up).
  if (!base.start_after.empty() && base.start_after.starts_with(base.prefix)) {
    const size_t slash = base.start_after.find('/', base.prefix.size());
    if (slash != std::string::npos) {
      std::string dir = base.start_after.substr(0, slash + 1);
      out.push_back(range_segment(base.bucket, dir, base.start_after, "", false));
      d.start_after = dir + kLastChar;
      skip = dir;
    }
  }
  std::vector<ObjectInfo> keys;
  auto flush = [&] {
    if (keys.empty()) return;
    Segment s;
    s.keys = std::move(keys);
    keys.clear();
    out.push_back(std::move(s));
  };
  std::string tail_start = d.start_after, tail_skip = skip;
  size_t pages = 0;
  bool ended = false, cut = false;
  Status st = remote.list(d, [&](std::vector<ObjectInfo>& page) -> Status {
    for (auto& e : page) {
      if (at_stop(e.key, stop)) {
        ended = true;
        break;
      }
      if (!skip.empty() && e.key.starts_with(skip)) continue;
      if (e.is_dir) {
        flush();
        out.push_back(range_segment(base.bucket, e.key, "", "", true));
        tail_start = e.key + kLastChar;
        tail_skip = e.key;
      } else {
        tail_start = e.key;
        tail_skip.clear();
        keys.push_back(std::move(e));
      }
    }
    if (ended) return Status{Errc::cancelled, "discovery reached the stop key"};
    if (++pages >= max_pages) {
      cut = true;
      return Status{Errc::cancelled, "discovery pages used up"};
    }
    return Status::OK();
  });
  if ((ended || cut) && st.code == Errc::cancelled) st = Status::OK();
  if (!st.ok()) return st;
  flush();
  if (cut) out.push_back(range_segment(base.bucket, base.prefix, tail_start, tail_skip, false));
  return Status::OK();
}

size_t count_ranges(const std::vector<Segment>& segs) {
  return static_cast<size_t>(
      std::count_if(segs.begin(), segs.end(), [](const Segment& s) { return s.listed; }));
}

// Lists the ranges of segs on worker threads and delivers everything in order.
class Runner {
 public:
  Runner(Remote& remote, std::vector<Segment>& segs, const ParallelListOptions& o)
      : remote_(remote), segs_(segs), o_(o) {
    for (size_t i = 0; i < segs_.size(); ++i)
      if (segs_[i].listed) ranges_.push_back(i);
    window_ = 2 * static_cast<size_t>(o_.parallel);
    const size_t n = std::min(ranges_.size(), static_cast<size_t>(o_.parallel));
    for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
  }

  ~Runner() {
    {
      std::lock_guard lock(mu_);
      cancelled_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  Status deliver_all(const PageSink& sink) {
    for (Segment& s : segs_) {
      if (!s.listed) {
        CPSYNC_RETURN_IF_ERROR(deliver(s.keys, sink));
        continue;
      }
      for (;;) {
        std::vector<ObjectInfo> page;
        {
          std::unique_lock lock(mu_);
          cv_.wait(lock, [&] { return !s.pages.empty() || s.done || !failure_.ok(); });
          if (!failure_.ok()) return failure_;
          if (s.pages.empty()) {
            ++delivered_;
            cv_.notify_all();
            if (!s.status.ok()) return s.status;
            break;
          }
          page = std::move(s.pages.front());
          s.pages.pop_front();
        }
        cv_.notify_all();
        CPSYNC_RETURN_IF_ERROR(deliver(page, sink));
      }
    }
    return Status::OK();
  }

 private:
  Status deliver(std::vector<ObjectInfo>& page, const PageSink& sink) {
    if (page.empty()) return Status::OK();
    for (const ObjectInfo& e : page) {
      if (have_last_ && !(last_ < e.key))
        return Status{Errc::corrupt, remote_.name() + ": parallel listing: key '" + e.key +
                                         "' does not sort after '" + last_ + "'"};
      last_ = e.key;
      have_last_ = true;
    }
    return sink(page);
  }

  void work() {
    for (;;) {
      Segment* s;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] {
          return cancelled_ || next_ >= ranges_.size() || next_ < delivered_ + window_;
        });
        if (cancelled_ || next_ >= ranges_.size()) return;
        s = &segs_[ranges_[next_++]];
      }
      bool reached = false;
      Status st = remote_.list(s->req, [&](std::vector<ObjectInfo>& page) -> Status {
        std::vector<ObjectInfo> kept;
        kept.reserve(page.size());
        for (auto& e : page) {
          if (at_stop(e.key, o_.stop)) {
            reached = true;
            break;
          }
          if (!s->skip.empty() && e.key.starts_with(s->skip)) continue;
          kept.push_back(std::move(e));
        }
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return s->pages.size() < o_.pages_per_range || cancelled_; });
        if (cancelled_) return Status{Errc::cancelled, "listing cancelled"};
        if (!kept.empty()) s->pages.push_back(std::move(kept));
        cv_.notify_all();
        return reached ? Status{Errc::cancelled, "stop key reached"} : Status::OK();
      });
      if (reached && st.code == Errc::cancelled) st = Status::OK();
      {
        std::lock_guard lock(mu_);
        s->done = true;
        s->status = st;
        if (!st.ok() && !cancelled_ && failure_.ok()) failure_ = st;
      }
      cv_.notify_all();
    }
  }

  Remote& remote_;
  std::vector<Segment>& segs_;
  const ParallelListOptions& o_;
  std::vector<size_t> ranges_;  // indices of the listed segments, in order
  size_t window_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t next_ = 0;       // ranges_ index of the next range to claim
  size_t delivered_ = 0;  // ranges fully delivered
  bool cancelled_ = false;
  Status failure_;  // the first listing error of any range
  std::vector<std::thread> threads_;
  std::string last_;  // delivery thread only
  bool have_last_ = false;
};

}  // namespace

Status list_parallel(Remote& remote, const ListRequest& req, const ParallelListOptions& o,
                     const PageSink& sink, ParallelListStats* stats) {
  ListRequest base = req;
  base.recursive = true;
  if (o.parallel <= 1) {
    bool reached = false;
    Status st = remote.list(base, [&](std::vector<ObjectInfo>& page) -> Status {
      auto end = std::find_if(page.begin(), page.end(),
                              [&](const ObjectInfo& e) { return at_stop(e.key, o.stop); });
      reached = end != page.end();
      page.erase(end, page.end());
      if (!page.empty()) CPSYNC_RETURN_IF_ERROR(sink(page));
      return reached ? Status{Errc::cancelled, "stop key reached"} : Status::OK();
    });
    if (stats) stats->ranges = 1;
    return reached && st.code == Errc::cancelled ? Status::OK() : st;
  }
  // The first pages as a plain listing: a listing of one page costs the one request it always
  // did, and only a longer one is cut into ranges, after what these pages held.
  size_t pages = 0;
  bool reached = false, more = o.first_pages == 0;
  Status first =
      more ? Status::OK() : remote.list(base, [&](std::vector<ObjectInfo>& page) -> Status {
        auto end = std::find_if(page.begin(), page.end(),
                                [&](const ObjectInfo& e) { return at_stop(e.key, o.stop); });
        reached = end != page.end();
        page.erase(end, page.end());
        if (!page.empty()) {
          base.start_after = page.back().key;
          CPSYNC_RETURN_IF_ERROR(sink(page));
        }
        if (reached) return Status{Errc::cancelled, "stop key reached"};
        if (++pages >= o.first_pages) {
          more = true;
          return Status{Errc::cancelled, "two pages listed"};
        }
        return Status::OK();
      });
  if ((reached || more) && first.code == Errc::cancelled) first = Status::OK();
  if (!first.ok() || !more) {
    if (stats) stats->ranges = 1;
    return first;
  }
  std::vector<Segment> segs;
  size_t discoveries = 1;
  CPSYNC_RETURN_IF_ERROR(
      discover(remote, base, o.stop, std::max<size_t>(1, o.discovery_pages), segs));
  // Too few ranges to keep the listers busy: cut whole directories further, a level at a
  // time (one request each, whose keys are delivered, not listed again).
  const size_t want = static_cast<size_t>(o.parallel);
  size_t ranges = count_ranges(segs);
  for (int level = 0; level < 4 && ranges < want; ++level) {
    std::vector<Segment> next;
    bool cut = false;
    for (Segment& s : segs) {
      if (!s.whole_dir || ranges >= 2 * want) {
        next.push_back(std::move(s));
        continue;
      }
      ++discoveries;
      const size_t before = count_ranges(next);
      CPSYNC_RETURN_IF_ERROR(discover(remote, s.req, o.stop, 1, next));
      ranges = ranges - 1 + (count_ranges(next) - before);
      cut = true;
    }
    segs = std::move(next);
    if (!cut) break;
  }
  if (stats) {
    stats->ranges = count_ranges(segs);
    stats->discovery_lists = discoveries;
  }
  Runner runner(remote, segs, o);
  return runner.deliver_all(sink);
}

}  // namespace cpsync
