// tests/integration/transfer_pool_test.cc — the adaptive transfer pool (sync/transfer_pool.h)
// in a copy of 3,000 small objects local -> RGW through a fault proxy: the number of copies
// in parallel grows from --transfers while RGW keeps up, is cut to half or less once the
// proxy answers 30% of requests with 503 SlowDown, and grows again when the throttling
// stops; the copy completes with every object in place. A fixed pool (--transfers alone)
// stays at its width.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/fault_proxy.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

namespace cpsync::testing {
namespace {

constexpr int kObjects = 3000;

std::unique_ptr<Remote> s3_at(const std::string& endpoint) {
  ConfigSection s = peer_section("s3");
  s.name = "pools3";
  s.values["endpoint"] = endpoint;
  return make_remote_from(s);
}

void write_tree(const std::string& dir) {
  for (int i = 0; i < kObjects; ++i) {
    const std::string key = "d" + std::to_string(i % 13) + "/obj-" + std::to_string(i);
    std::filesystem::create_directories(std::filesystem::path(dir + key).parent_path());
    std::ofstream(dir + key, std::ios::binary) << content_for(key, 200 + i % 300);
  }
}

size_t count_objects(Remote& r, const std::string& bucket) {
  size_t n = 0;
  RemoteListing list(r, bucket, "");
  while (list.next()) ++n;
  REQUIRE(list.status().ok());
  return n;
}

// Polls cond every 2 ms until it holds or done is set; true if it held.
template <class Cond>
bool wait_for(const std::atomic<bool>& done, Cond cond) {
  while (!done) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return cond();
}

}  // namespace

TEST_CASE("transfer pool: grows while RGW keeps up, halves on 503 SlowDown, grows again",
          "[s3][pool]") {
  PeerBucket src("local"), dst("s3");
  write_tree(src.prefix);
  FaultProxy proxy(peer_env("ceph")["S3_ENDPOINT"], {"--seed", "5", "--provider", "s3"});
  auto s3 = s3_at(proxy.url());

  SyncRunner runner;
  runner.options.transfers = 4;
  runner.options.max_transfers = 32;
  SyncStats stats;
  std::atomic<bool> done{false};
  Status result;
  std::thread copy([&] {
    result = runner.run(SyncEndpoint{src.remote.get(), "", src.prefix, "src"},
                        SyncEndpoint{s3.get(), dst.bucket, "", "dst"}, stats);
    done = true;
  });
  std::vector<int> trace;  // the widths seen, in order
  auto width = [&] {
    const int w = stats.transfer_width;
    if (trace.empty() || trace.back() != w) trace.push_back(w);
    return w;
  };

  // RGW keeps up: the pool grows well past its start.
  const bool grew = wait_for(done, [&] { return width() >= 12; });
  // Then 30% of requests are throttled: cut to half of the widest or less.
  proxy.configure({{"throttleRate", 0.3}});
  const int peak = stats.transfer_width_peak;
  const bool cut = wait_for(done, [&] { return width() <= peak / 2; });
  const int low_seen = stats.transfer_width;
  // The throttling ends: it grows again.
  proxy.configure({{"throttleRate", 0.0}});
  const bool regrew = wait_for(done, [&] { return width() >= low_seen + 3; });
  copy.join();

  std::string seen;
  for (int w : trace) seen += std::to_string(w) + " ";
  INFO("widths: " << seen << "; proxy: " << proxy.stats().dump());
  WARN("transfer pool widths over the copy: " << seen);
  CHECK(grew);
  CHECK(cut);
  CHECK(regrew);
  CHECK(proxy.stats()["injected"]["throttle"].get<int>() > 0);
  CHECK(stats.transfer_width_peak <= 32);
  INFO(result.to_string());
  CHECK(result.ok());
  CHECK(stats.transferred == static_cast<uint64_t>(kObjects));
  CHECK(count_objects(*dst.remote, dst.bucket) == static_cast<size_t>(kObjects));
}

TEST_CASE("transfer pool: a fixed --transfers keeps its width", "[s3][pool]") {
  PeerBucket src("local"), dst("s3");
  write_tree(src.prefix);
  SyncRunner runner;
  runner.options.transfers = 6;
  runner.options.max_transfers = 0;  // --transfers given alone
  SyncStats stats;
  Status st = runner.run(SyncEndpoint{src.remote.get(), "", src.prefix, "src"},
                         SyncEndpoint{dst.remote.get(), dst.bucket, "", "dst"}, stats);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(stats.transfer_width_peak == 6);
  CHECK(stats.transfer_width == 6);
  CHECK(stats.transferred == static_cast<uint64_t>(kObjects));
}

}  // namespace cpsync::testing
