// tests/integration/faults_sync_test.cc — syncs S3 -> Azure and then Azure -> OSS through
// fault proxies (tests/peers/faultproxy) that inject ~5% throttling (S3 SlowDown 503,
// Azure ServerBusy 503, OSS ServerBusy 503, 429 with Retry-After), ~2% connection resets
// (mid-request and mid-response) and ~1% flipped bytes in response bodies. Each sync
// completes within a few runs (cpsync's --retries), every object's MD5 equals the source,
// and a watcher polling the destination never sees a partial or wrong object. The proxies'
// counters prove the faults happened; the endpoint limiters show the throttling adaptation.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/buffer_pool.h"
#include "core/concurrency_limiter.h"
#include "core/crypto.h"
#include "core/retry.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/oss_test_env.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

namespace cpsync::testing {
namespace {

constexpr int kSmallObjects = 500;

// 300 MiB by default; CPSYNC_FAULTS_LARGE_MIB overrides it for experiments.
uint64_t large_size() {
  const char* v = std::getenv("CPSYNC_FAULTS_LARGE_MIB");
  uint64_t mib = v && *v ? std::strtoull(v, nullptr, 10) : 300;
  return (mib ? mib : 300) << 20;
}

struct Want {
  uint64_t size = 0;
  std::string md5;
};
using Expected = std::map<std::string, Want>;

// A remote of the given peer kind whose endpoint is `endpoint` (a proxy) instead.
std::unique_ptr<Remote> remote_at(const std::string& kind, const std::string& endpoint) {
  ConfigSection s = peer_section(kind);
  s.name = "f" + kind;
  s.values["endpoint"] = endpoint;
  return make_remote_from(s);
}

std::vector<std::string> fault_args(const std::string& provider, int seed) {
  return {"--seed",
          std::to_string(seed),
          "--provider",
          provider,
          "--throttle-rate",
          "0.04",  // 503 with the provider's throttling error
          "--throttle-429-rate",
          "0.01",  // 429 with Retry-After
          "--retry-after",
          "1",
          "--reset-rate",
          "0.01",  // connection reset mid-response
          "--reset-request-rate",
          "0.01",  // connection reset mid-request (uploads)
          "--corrupt-rate",
          "0.01"};  // one flipped byte in a response body
}

// Polls a destination (directly, not through a proxy) while a sync runs. Every object it
// sees must be one of the expected keys, with the expected size, and its bytes (read once
// per ETag) must have the expected MD5: nothing partial or wrong is ever visible.
class DestinationWatcher {
 public:
  DestinationWatcher(Remote& r, std::string bucket, const Expected& want)
      : r_(r), bucket_(std::move(bucket)), want_(want), thread_([this] { loop(); }) {}
  ~DestinationWatcher() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<std::string> violations() {
    std::lock_guard lock(mu_);
    return violations_;
  }
  int polls() const { return polls_; }
  size_t verified() const { return seen_.size(); }

 private:
  void violation(std::string v) {
    std::lock_guard lock(mu_);
    if (violations_.size() < 20) violations_.push_back(std::move(v));
  }
  void check(const ObjectInfo& o) {
    auto it = want_.find(o.key);
    if (it == want_.end()) return violation("unexpected object " + o.key);
    if (o.size != it->second.size)
      return violation(o.key + ": size " + std::to_string(o.size) + ", want " +
                       std::to_string(it->second.size));
    if (seen_.count(o.key) && seen_[o.key] == o.etag) return;
    Digest md5(Digest::Algo::md5);
    uint64_t n = 0;
    Status st = r_.read(ObjectRef{bucket_, o.key}, ByteRange{}, [&](const char* d, size_t len) {
      md5.update(d, len);
      n += len;
      return Status::OK();
    });
    if (st.code == Errc::not_found) return;  // deleted or replaced meanwhile: next poll
    if (!st.ok()) return violation(o.key + ": read: " + st.to_string());
    std::string got = hex_lower(md5.digest());
    if (n != it->second.size || got != it->second.md5)
      return violation(o.key + ": visible with MD5 " + got + " (" + std::to_string(n) +
                       " bytes), want " + it->second.md5);
    seen_[o.key] = o.etag;
  }
  void loop() {
    while (!stop_) {
      Status st = r_.list(ListRequest{bucket_, "", true, ""}, [&](std::vector<ObjectInfo>& page) {
        for (const auto& o : page) check(o);
        return Status::OK();
      });
      if (!st.ok() && st.code != Errc::not_found) violation("list: " + st.to_string());
      ++polls_;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  Remote& r_;
  const std::string bucket_;
  const Expected& want_;
  std::atomic<bool> stop_{false};
  std::atomic<int> polls_{0};
  std::map<std::string, std::string> seen_;  // key -> ETag whose bytes were verified
  std::mutex mu_;
  std::vector<std::string> violations_;
  std::thread thread_;
};

struct LegResult {
  int runs = 0;
  double seconds = 0;
  uint64_t errors = 0;  // over all runs
};

// Syncs src -> dst (both through proxies), up to 3 runs as --retries 3 does, with a watcher
// on the destination; then every destination object's MD5 must equal the source's.
LegResult sync_leg(const SyncEndpoint& src, const SyncEndpoint& dst, Remote& dst_direct,
                   const std::string& dst_bucket, const Expected& want) {
  BufferPool pool{96u << 20, 8u << 20};
  SyncOptions o;
  o.mode = SyncMode::sync;
  o.transfer.pool = &pool;
  o.transfer.chunk_size = 8u << 20;
  o.transfer.streams = 4;
  o.transfers = 4;
  o.checkers = 4;

  // Every request's tries (the remotes' send path): 10, with short sleeps for the test.
  const RetryPolicy saved = default_retry_policy();
  RetryPolicy fast = saved;
  fast.max_attempts = 10;
  fast.base = std::chrono::milliseconds(10);
  fast.cap = std::chrono::milliseconds(500);
  set_default_retry_policy(fast);
  struct Restore {
    RetryPolicy p;
    ~Restore() { set_default_retry_policy(p); }
  } restore{saved};

  LegResult res;
  const auto t0 = std::chrono::steady_clock::now();
  Status last;
  {
    DestinationWatcher watcher(dst_direct, dst_bucket, want);
    for (; res.runs < 3;) {
      SyncStats stats;
      last = run_sync(src, dst, o, stats);
      ++res.runs;
      res.errors += stats.errors;
      std::printf("  %s -> %s run %d: %s, %llu copied, %llu errors\n", src.display.c_str(),
                  dst.display.c_str(), res.runs, last.ok() ? "ok" : last.to_string().c_str(),
                  static_cast<unsigned long long>(stats.transferred.load()),
                  static_cast<unsigned long long>(stats.errors.load()));
      if (last.ok() && stats.errors == 0) break;
    }
    watcher.stop();
    std::printf("  watcher: %d polls, %zu objects verified by MD5 as they appeared\n",
                watcher.polls(), watcher.verified());
    const auto v = watcher.violations();
    INFO("watcher polls " << watcher.polls());
    for (const auto& line : v) UNSCOPED_INFO(line);
    CHECK(v.empty());
    CHECK(watcher.polls() > 0);
    CHECK(watcher.verified() > 0);
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  INFO(last.to_string());
  REQUIRE(last.ok());

  const auto got = snapshot(dst_direct, dst_bucket, "");
  CHECK(got.size() == want.size());
  for (const auto& [key, w] : want) {
    INFO("destination object " << key);
    auto it = got.find(key);
    REQUIRE(it != got.end());
    CHECK(it->second == w.md5);
  }
  return res;
}

uint64_t injected(const nlohmann::json& stats, const char* what) {
  return stats["injected"][what].get<uint64_t>();
}

void print_proxy(const char* name, const nlohmann::json& s) {
  const auto& i = s["injected"];
  std::printf(
      "  proxy %-5s requests %llu, MiB up %.1f, down %.1f; injected: 503 %llu, 429 %llu, "
      "reset mid-request %llu, mid-response %llu, corrupt %llu\n",
      name, static_cast<unsigned long long>(s["requests"].get<uint64_t>()),
      s["bytesUp"].get<double>() / (1 << 20), s["bytesDown"].get<double>() / (1 << 20),
      static_cast<unsigned long long>(i["throttle"].get<uint64_t>()),
      static_cast<unsigned long long>(i["throttle429"].get<uint64_t>()),
      static_cast<unsigned long long>(i["resetRequest"].get<uint64_t>()),
      static_cast<unsigned long long>(i["resetResponse"].get<uint64_t>()),
      static_cast<unsigned long long>(i["corrupt"].get<uint64_t>()));
}

}  // namespace

TEST_CASE("sync S3 -> Azure -> OSS through fault proxies: every MD5 intact, nothing partial",
          "[cross][faults]") {
  const auto t_start = std::chrono::steady_clock::now();
  PeerBucket s3("s3"), az("azure"), oss("oss");

  // The source: 500 small objects and one large one, each stored with its MD5 known
  // (single PUTs: the S3 ETag is the MD5), so damaged bytes are caught before commit.
  Expected want;
  for (int i = 0; i < kSmallObjects; ++i) {
    const std::string key = "d" + std::to_string(i % 7) + "/obj-" + std::to_string(i);
    const std::string data = pattern_data(1 + (i * 7919) % 40000, static_cast<uint32_t>(i));
    auto put = s3.remote->put(ObjectRef{s3.bucket, key}, data.data(), data.size(), UploadOptions{});
    INFO(key << ": " << put.status().to_string());
    REQUIRE(put.ok());
    want[key] = Want{data.size(), md5_hex(data)};
  }
  const uint64_t big_size = large_size();
  const std::string big_key = "big/large-" + std::to_string(big_size >> 20) + "MiB.bin";
  {
    const std::string big = pattern_data(big_size, 4242);
    UploadOptions uo;
    uo.size = big.size();
    auto put = s3.remote->put(ObjectRef{s3.bucket, big_key}, big.data(), big.size(), uo);
    INFO(put.status().to_string());
    REQUIRE(put.ok());
    want[big_key] = Want{big.size(), md5_hex(big)};
  }

  const std::string s3_endpoint = peer_env("ceph")["S3_ENDPOINT"];
  const std::string az_endpoint = peer_env("azurite")["AZURE_ENDPOINT"];
  const std::string oss_endpoint = peer_env("oss")["OSS_ENDPOINT"];
  FaultProxy ps3(s3_endpoint, fault_args("s3", 21));
  FaultProxy paz(url_origin(az_endpoint), fault_args("azure", 22));
  FaultProxy poss(oss_endpoint, fault_args("oss", 23));
  auto fs3 = remote_at("s3", ps3.url());
  auto faz = remote_at("azure", paz.url(url_path(az_endpoint)));
  auto foss = remote_at("oss", poss.url());

  std::printf("faults_sync_test: %d objects + %llu MiB\n", kSmallObjects,
              static_cast<unsigned long long>(big_size >> 20));
  LegResult leg1 = sync_leg(SyncEndpoint{fs3.get(), s3.bucket, "", "fs3:" + s3.bucket},
                            SyncEndpoint{faz.get(), az.bucket, "", "faz:" + az.bucket}, *az.remote,
                            az.bucket, want);
  LegResult leg2 = sync_leg(SyncEndpoint{faz.get(), az.bucket, "", "faz:" + az.bucket},
                            SyncEndpoint{foss.get(), oss.bucket, "", "foss:" + oss.bucket},
                            *oss.remote, oss.bucket, want);
  std::printf("  S3 -> Azure: %d run(s), %.1f s; Azure -> OSS: %d run(s), %.1f s\n", leg1.runs,
              leg1.seconds, leg2.runs, leg2.seconds);

  // The faults really happened, of every kind, on every proxy.
  const auto st_s3 = ps3.stats(), st_az = paz.stats(), st_oss = poss.stats();
  print_proxy("s3", st_s3);
  print_proxy("azure", st_az);
  print_proxy("oss", st_oss);
  for (const auto* s : {&st_s3, &st_az, &st_oss}) {
    INFO(s->dump());
    CHECK(injected(*s, "throttle") > 0);
    CHECK(injected(*s, "throttle429") > 0);
    CHECK(injected(*s, "resetRequest") + injected(*s, "resetResponse") > 0);
  }
  // Bodies go up to Azure and OSS (resets mid-request) and come down from S3 and Azure
  // (resets mid-response, flipped bytes); OSS, only written, answers without bodies.
  INFO(st_s3.dump() << "\n" << st_az.dump() << "\n" << st_oss.dump());
  CHECK(injected(st_az, "resetRequest") > 0);
  CHECK(injected(st_oss, "resetRequest") > 0);
  CHECK(injected(st_s3, "resetResponse") + injected(st_az, "resetResponse") > 0);
  CHECK(injected(st_s3, "corrupt") > 0);
  CHECK(injected(st_az, "corrupt") > 0);

  // Throttling adapted the in-flight limit of every proxied endpoint.
  for (const auto& [host, l] : endpoint_limiter_stats()) {
    if (host != ps3.host() && host != paz.host() && host != poss.host()) continue;
    std::printf(
        "  limiter %s: %llu requests, %llu throttles, %llu cuts, lowest limit %d, "
        "final %.1f, peak in flight %d\n",
        host.c_str(), static_cast<unsigned long long>(l.requests),
        static_cast<unsigned long long>(l.throttles), static_cast<unsigned long long>(l.cuts),
        l.lowest_limit, l.limit, l.peak_in_flight);
    INFO(host);
    CHECK(l.throttles > 0);
    CHECK(l.cuts > 0);
    CHECK(l.lowest_limit < l.peak_in_flight);
  }
  std::printf("  total %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());
}

}  // namespace cpsync::testing
