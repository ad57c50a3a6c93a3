// tests/e2e/replicate_test.cc — `cpsync replicate` through the binary against RGW, Azurite
// (blobs and queues), the OSS test server and Redis. Event files in the providers'
// documented shapes with awkward keys (space, '+', '%', unicode) drive S3 -> Azure, OSS ->
// S3 and Azure -> OSS: duplicates and out-of-order events are dropped by the sequencer
// state, events of other buckets or prefixes are counted and ignored, removals apply only
// with --delete, and the destination equals the source after every batch. An Azure Storage
// Queue of Event Grid messages is consumed with --watch, the replicator SIGKILLed mid-batch
// and restarted: nothing lost, deleted keys stay deleted, a poison message ends in
// QUEUE-poison. A Redis stream is drained with --once. A message that keeps failing goes to
// the --dead-letter file.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "core/encoding.h"
#include "remotes/azure/azure_queue.h"
#include "sync/queue_redis.h"
#include "tests/e2e/background_cpsync.h"
#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;
using nlohmann::json;

namespace {

// S3's key form in notifications: URL-encoded, '+' for a space.
std::string s3_key(const std::string& key) {
  std::string e = cpsync::uri_encode(key, /*keep_slash=*/true), out;
  for (size_t i = 0; i < e.size(); ++i) {
    if (e.compare(i, 3, "%20") == 0) {
      out += '+';
      i += 2;
    } else {
      out += e[i];
    }
  }
  return out;
}

json s3_record(const std::string& name, const std::string& bucket, const std::string& key,
               const std::string& seq, const std::string& etag = "") {
  json object = {{"key", s3_key(key)}, {"sequencer", seq}};
  if (name.rfind("ObjectCreated:", 0) == 0) {
    object["size"] = 1;
    object["eTag"] = etag.empty() ? "d41d8cd98f00b204e9800998ecf8427e" : etag;
  }
  return {{"eventVersion", "2.1"},
          {"eventSource", "aws:s3"},
          {"awsRegion", "us-east-1"},
          {"eventTime", "2026-12-07T09:00:00.000Z"},
          {"eventName", name},
          {"userIdentity", {{"principalId", "AWS:EXAMPLE"}}},
          {"s3",
           {{"s3SchemaVersion", "1.0"},
            {"configurationId", "replicate"},
            {"bucket", {{"name", bucket}, {"arn", "arn:aws:s3:::" + bucket}}},
            {"object", object}}}};
}

std::string records(std::vector<json> rs) {
  return json{{"Records", std::move(rs)}}.dump();
}

json event_grid(const std::string& type, const std::string& container, const std::string& blob,
                const std::string& seq) {
  json data = {{"api", type == "Microsoft.Storage.BlobCreated" ? "PutBlob" : "DeleteBlob"},
               {"clientRequestId", "6d79dbfb-0e37-4fc4-981f-442c9ca65760"},
               {"requestId", "831e1650-001e-001b-66ab-eeb76e000000"},
               {"contentType", "application/octet-stream"},
               {"blobType", "BlockBlob"},
               {"url", "https://acct.blob.core.windows.net/" + container + "/" +
                           cpsync::uri_encode(blob, true)},
               {"sequencer", seq},
               {"storageDiagnostics", {{"batchId", "b68529f3-68cd-4744-baa4-3c0498ec19f0"}}}};
  if (type == "Microsoft.Storage.BlobCreated") {
    data["eTag"] = "0x8D4BCC2E4835CD0";
    data["contentLength"] = 1;
  }
  return {{"topic",
           "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
           "Microsoft.Storage/storageAccounts/acct"},
          {"subject", "/blobServices/default/containers/" + container + "/blobs/" + blob},
          {"eventType", type},
          {"eventTime", "2026-12-07T09:00:00.0000000Z"},
          {"id", "831e1650-001e-001b-66ab-eeb76e069631"},
          {"data", data},
          {"dataVersion", ""},
          {"metadataVersion", "1"}};
}

// A 32-hex-digit sequencer, as Azure's.
std::string seq32(int n) {
  std::string s = std::to_string(n);
  return std::string(32 - s.size(), '0') + s;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  write_file_text(path, text);
}

// Runs replicate --json and returns its report.
json replicate(const std::string& config, std::vector<std::string> args, int expect = 0) {
  args.insert(args.begin(), "replicate");
  args.push_back("--json");
  RunResult r = run_cpsync(config, args);
  INFO("stderr: " << r.err);
  REQUIRE(r.code == expect);
  auto lines = split_lines(r.out);
  REQUIRE(!lines.empty());
  return json::parse(lines.back());
}

void check_equal(const std::string& config, const std::string& a, const std::string& b) {
  auto r = run_cpsync(config, {"check", a, b, "--checksum"});
  INFO("check " << a << " " << b << ": " << r.err);
  CHECK(r.code == 0);
}

const std::vector<std::string> kKeys = {"space key.txt", "plus+key.txt",
                                        "unicode-\xC3\xA9 \xC3\xBC.txt", "pct%41 100%.txt",
                                        "dir/sub/deep.bin"};

}  // namespace

TEST_CASE(
    "replicate: S3 -> Azure from an event file: awkward keys, envelopes, duplicates, "
    "out of order, other buckets, --delete",
    "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "az", [&](const std::string& ab) {
      const std::string src = "s3:" + sb + "/data", dst = "az:" + ab + "/copy";
      for (size_t i = 0; i < kKeys.size(); ++i)
        rcat(config, tmp, src + "/" + kKeys[i], random_bytes(100 + i * 37, i));
      const std::string state = tmp / "state.events";
      const std::vector<std::string> base = {src,       dst, "--events",     tmp / "b1", "--delete",
                                             "--batch", "1", "--state-file", state};
      auto k = [&](size_t i) { return "data/" + kKeys[i]; };
      const json sns = {{"Type", "Notification"},
                        {"MessageId", "2b8d5ef0-1b2f-5b5c-8f10-000000000001"},
                        {"TopicArn", "arn:aws:sns:us-east-1:123456789012:replicate"},
                        {"Message", records({s3_record("ObjectCreated:Put", sb, k(2), "0A")})}};
      const json sqs = {
          {"Messages",
           {{{"MessageId", "m-1"},
             {"ReceiptHandle", "AQEBexample"},
             {"Body", records({s3_record("ObjectCreated:CompleteMultipartUpload", sb, k(3), "0A"),
                               s3_record("ObjectCreated:Copy", sb, k(4), "0A")})}}}}};
      const std::string first = records({s3_record("ObjectCreated:Put", sb, k(0), "0A"),
                                         s3_record("ObjectCreated:Post", sb, k(1), "0A")});
      write_lines(
          tmp / "b1",
          {first, sns.dump(), sqs.dump(),
           records({s3_record("ObjectCreated:Put", "another-bucket", k(0), "0B"),
                    s3_record("ObjectCreated:Put", sb, "elsewhere/x", "0B")}),
           R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-07T09:00:00.000Z","Bucket":")" +
               sb +
               R"(","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"})",
           first});
      auto r = replicate(config, base);
      INFO(r.dump());
      CHECK(r["messages"] == 6);
      CHECK(r["copied"] == 5);
      CHECK(r["stale"] == 2);  // the duplicate line
      CHECK(r["out_of_scope"] == 2);
      CHECK(r["ignored"] == 1);
      CHECK(r["acked"] == 6);
      CHECK(r["dead"] == 0);
      check_equal(config, src, dst);

      // Batch 2: a removal, then an older create of the same key (out of order); a create
      // whose object changed since; a removal whose object is back at the source.
      run_ok(config, {"deletefile", src + "/" + kKeys[1]});
      rcat(config, tmp, src + "/" + kKeys[0], "new content");
      write_lines(tmp / "b2", {records({s3_record("ObjectRemoved:Delete", sb, k(1), "10")}),
                               records({s3_record("ObjectCreated:Put", sb, k(1), "05")}),
                               records({s3_record("ObjectCreated:Put", sb, k(0), "20",
                                                  "0123456789abcdef0123456789abcdef")}),
                               records({s3_record("ObjectRemoved:Delete", sb, k(4), "10")})});
      auto args = base;
      args[3] = tmp / "b2";
      r = replicate(config, args);
      INFO(r.dump());
      CHECK(r["deleted"] == 1);
      CHECK(r["stale"] == 1);
      CHECK(r["changed"] == 1);
      CHECK(r["copied"] == 1);
      CHECK(r["already_there"] == 1);  // k4: still at the source, so not deleted
      check_equal(config, src, dst);

      // Batch 3, without --delete: the removal is skipped (additive replication); a
      // remove and re-create of one key in one message apply only the newer.
      run_ok(config, {"deletefile", src + "/" + kKeys[2]});
      write_lines(tmp / "b3", {records({s3_record("ObjectRemoved:Delete", sb, k(2), "30"),
                                        s3_record("ObjectRemoved:Delete", sb, k(3), "30"),
                                        s3_record("ObjectCreated:Put", sb, k(3), "31")})});
      r = replicate(config, {src, dst, "--events", tmp / "b3", "--state-file", state});
      INFO(r.dump());
      CHECK(r["deletes_skipped"] == 1);
      CHECK(r["coalesced"] == 1);
      CHECK(r["already_there"] == 1);
      CHECK(run_ok(config, {"ls", dst}).out.find(kKeys[2]) != std::string::npos);
      CHECK(run_cpsync(config, {"check", src, dst, "--one-way"}).code == 0);
    });
  });
}

TEST_CASE("replicate: OSS -> S3 from MNS (base64) and EventBridge events", "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, oss_section("oss") + s3_section("s3"));
  with_bucket(config, "oss", [&](const std::string& ob) {
    with_bucket(config, "s3", [&](const std::string& sb) {
      const std::string src = "oss:" + ob, dst = "s3:" + sb + "/mirror";
      for (size_t i = 0; i < kKeys.size(); ++i)
        rcat(config, tmp, src + "/" + kKeys[i], random_bytes(50 + i, 100 + i));
      auto mns_event = [&](const std::string& name, const std::string& key) {
        return json{
            {"eventName", name},
            {"eventSource", "acs:oss"},
            {"eventTime", "2026-12-07T09:00:00.000Z"},
            {"eventVersion", "1.0"},
            {"oss",
             {{"bucket", {{"name", ob}, {"arn", "acs:oss:cn-hangzhou:1:" + ob}}},
              {"object",
               {{"key", key}, {"size", 1}, {"eTag", "\"0CC175B9C0F1B6A831C399E269772661\""}}},
              {"ossSchemaVersion", "1.0"}}},
            {"region", "cn-hangzhou"},
            {"requestParameters", {{"sourceIPAddress", "127.0.0.1"}}},
            {"userIdentity", {{"principalId", "1"}}}};
      };
      std::vector<json> created;
      for (size_t i = 0; i < 3; ++i)
        created.push_back(mns_event("ObjectCreated:PutObject", kKeys[i]));
      auto eventbridge = [&](const std::string& name, const std::string& key) {
        return json{{"datacontenttype", "application/json;charset=utf-8"},
                    {"id", "1E2F3A4B-" + key},
                    {"source", "acs.oss"},
                    {"specversion", "1.0"},
                    {"subject", "acs:oss:cn-hangzhou:1:" + ob + "/" + key},
                    {"time", "2026-12-07T09:00:00Z"},
                    {"type", "oss:" + name},
                    {"data", mns_event(name, key)}}
            .dump();
      };
      write_lines(tmp / "e1", {cpsync::base64_encode(json{{"events", created}}.dump()),
                               eventbridge("ObjectCreated:PutObject", kKeys[3]),
                               eventbridge("ObjectCreated:CompleteMultipartUpload", kKeys[4])});
      auto r = replicate(config, {src, dst, "--events", tmp / "e1", "--no-state"});
      INFO(r.dump());
      CHECK(r["copied"] == 5);
      check_equal(config, src, dst);
      run_ok(config, {"deletefile", src + "/" + kKeys[3]});
      write_lines(tmp / "e2", {eventbridge("ObjectRemoved:DeleteObject", kKeys[3])});
      r = replicate(config, {src, dst, "--events", tmp / "e2", "--no-state", "--delete"});
      CHECK(r["deleted"] == 1);
      check_equal(config, src, dst);
    });
  });
}

TEST_CASE("replicate: Azure -> OSS from Event Grid and CloudEvents", "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, azure_section("az") + oss_section("oss"));
  with_bucket(config, "az", [&](const std::string& ab) {
    with_bucket(config, "oss", [&](const std::string& ob) {
      const std::string src = "az:" + ab + "/in", dst = "oss:" + ob + "/out";
      for (size_t i = 0; i < kKeys.size(); ++i)
        rcat(config, tmp, src + "/" + kKeys[i], random_bytes(70 + i, 200 + i));
      json grid = json::array();
      for (size_t i = 0; i < 4; ++i)
        grid.push_back(
            event_grid("Microsoft.Storage.BlobCreated", ab, "in/" + kKeys[i], seq32(10)));
      json ce = event_grid("Microsoft.Storage.BlobCreated", ab, "in/" + kKeys[4], seq32(10));
      ce.erase("eventType");
      ce.erase("topic");
      ce["type"] = "Microsoft.Storage.BlobCreated";
      ce["specversion"] = "1.0";
      ce["source"] =
          "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct";
      write_lines(tmp / "g1", {grid.dump(), ce.dump(), grid.dump()});
      const std::string state = tmp / "state";
      auto r = replicate(config, {src, dst, "--events", tmp / "g1", "--batch", "1", "--state-file",
                                  state, "--delete"});
      INFO(r.dump());
      CHECK(r["copied"] == 5);
      CHECK(r["stale"] == 4);
      check_equal(config, src, dst);
      // A deletion, with a late (older) BlobCreated after it.
      run_ok(config, {"deletefile", src + "/" + kKeys[0]});
      write_lines(
          tmp / "g2",
          {json::array(
               {event_grid("Microsoft.Storage.BlobDeleted", ab, "in/" + kKeys[0], seq32(20))})
               .dump(),
           event_grid("Microsoft.Storage.BlobCreated", ab, "in/" + kKeys[0], seq32(15)).dump()});
      r = replicate(config, {src, dst, "--events", tmp / "g2", "--batch", "1", "--state-file",
                             state, "--delete"});
      INFO(r.dump());
      CHECK(r["deleted"] == 1);
      CHECK(r["stale"] == 1);
      check_equal(config, src, dst);
    });
  });
}

TEST_CASE("replicate: --stats logs the stats block while it runs", "[e2e][events][stats]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3"));
  with_bucket(config, "s3", [&](const std::string& sb) {
    const std::string src = "s3:" + sb;
    rcat(config, tmp, src + "/a.txt", "hello");
    write_lines(tmp / "ev", {records({s3_record("ObjectCreated:Put", sb, "a.txt", "01")})});
    RunResult r =
        run_cpsync(config, {"replicate", src, tmp / "out", "--events", tmp / "ev", "--no-state",
                            "--stats", "1ms", "--stats-log-level", "NOTICE"});
    INFO("stderr: " << r.err);
    CHECK(r.code == 0);
    CHECK(read_file_text(tmp / "out/a.txt") == "hello");
    // A block at least at the end (the run lasts longer than 1 ms), with the copy counted.
    CHECK(r.err.find("Transferred:") != std::string::npos);
    CHECK(r.err.find("Copied:        1 (") != std::string::npos);
    CHECK(run_cpsync(config, {"replicate", src, tmp / "out", "--events", tmp / "ev", "--no-state"})
              .err.find("Transferred:") == std::string::npos);
  });
}

TEST_CASE("replicate: a message that keeps failing goes to the --dead-letter file",
          "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3"));
  with_bucket(config, "s3", [&](const std::string& sb) {
    const std::string src = "s3:" + sb;
    // A name no local filesystem takes (a 300-byte path segment): every copy fails.
    const std::string too_long = "x/" + std::string(300, 'n');
    rcat(config, tmp, src + "/" + too_long, "x");
    rcat(config, tmp, src + "/fine.txt", "fine");
    write_lines(tmp / "ev", {records({s3_record("ObjectCreated:Put", sb, too_long, "01")}),
                             "this is not an event",
                             records({s3_record("ObjectCreated:Put", sb, "fine.txt", "01")})});
    const std::string out = tmp / "out";
    auto r = replicate(config,
                       {src, out, "--events", tmp / "ev", "--max-attempts", "2", "--dead-letter",
                        tmp / "dead", "--no-state"},
                       6);
    INFO(r.dump());
    CHECK(r["dead"] == 2);
    CHECK(r["failed"] == 2);  // the failing copy, twice
    CHECK(r["copied"] == 1);
    auto dead = split_lines(read_file_text(tmp / "dead"));
    REQUIRE(dead.size() == 2);
    CHECK(dead[0] == "this is not an event");
    CHECK(dead[1].find(std::string(300, 'n')) != std::string::npos);
    CHECK(read_file_text(out + "/fine.txt") == "fine");
  });
}

TEST_CASE(
    "replicate: an Azure Storage Queue of Event Grid messages with --watch, SIGKILLed "
    "mid-batch and restarted",
    "[e2e][events]") {
  TempDir tmp;
  auto env = peer_env("azurite");
  const std::string qendpoint = env["AZURE_QUEUE_ENDPOINT"];
  REQUIRE(!qendpoint.empty());
  const std::string config = write_config(tmp, azure_section("az") + s3_section("s3"));
  cpsync::azure::AzureOptions qo;
  qo.endpoint = qendpoint;
  qo.account = env["AZURE_ACCOUNT"];
  qo.mode = cpsync::azure::AuthMode::shared_key;
  qo.remote_name = "az";
  auto creds = cpsync::azure::make_shared_key(qo.account, env["AZURE_KEY"]);
  REQUIRE(creds.ok());
  qo.creds = *creds;
  const cpsync::azure::AzureQueueClient queue(qo);
  const std::string q = unique_bucket("events");
  REQUIRE(queue.create_queue(q).ok());

  const int n = 240, removed = 20;
  for (int i = 0; i < n; ++i)
    write_file_text(
        tmp / ("src/d" + std::to_string(i % 5) + "/blob " + std::to_string(i) + "+.txt"),
        random_bytes(200 + static_cast<size_t>(i) % 300, 1000 + i));
  with_bucket(config, "az", [&](const std::string& ab) {
    with_bucket(config, "s3", [&](const std::string& sb) {
      const std::string src = "az:" + ab + "/data", dst = "s3:" + sb + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--transfers", "8"});
      // Event Grid puts each event in a message of its own, base64-encoded.
      for (int i = 0; i < n; ++i) {
        const std::string blob =
            "data/d" + std::to_string(i % 5) + "/blob " + std::to_string(i) + "+.txt";
        REQUIRE(
            queue
                .put_message(
                    q, cpsync::base64_encode(
                           event_grid("Microsoft.Storage.BlobCreated", ab, blob, seq32(i)).dump()))
                .ok());
      }
      // The last `removed` blobs are deleted at the source: BlobDeleted after their create.
      for (int i = n - removed; i < n; ++i) {
        const std::string rel =
            "d" + std::to_string(i % 5) + "/blob " + std::to_string(i) + "+.txt";
        run_ok(config, {"deletefile", src + "/" + rel});
        REQUIRE(queue
                    .put_message(q, cpsync::base64_encode(
                                        json::array({event_grid("Microsoft.Storage.BlobDeleted", ab,
                                                                "data/" + rel, seq32(1000 + i))})
                                            .dump()))
                    .ok());
      }
      REQUIRE(queue.put_message(q, "not an event at all").ok());

      const std::vector<std::string> cmd = {"replicate",
                                            src,
                                            dst,
                                            "--events",
                                            "azqueue:az/" + q,
                                            "--queue-endpoint",
                                            qendpoint,
                                            "--watch",
                                            "--delete",
                                            "--lease",
                                            "3s",
                                            "--batch",
                                            "16",
                                            "--transfers",
                                            "2",
                                            "--state-file",
                                            tmp / "state",
                                            "-v"};
      const auto start = std::chrono::steady_clock::now();
      pid_t first = spawn_cpsync(config, cmd, tmp / "r1.out", tmp / "r1.err");
      // Kill it once some copies landed: it holds a batch then (copies come in batches).
      size_t landed = 0;
      while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
        landed = split_lines(run_cpsync(config, {"ls", dst}).out).size();
        if (landed >= 40) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      REQUIRE(landed >= 40);
      REQUIRE(::kill(first, SIGKILL) == 0);
      CHECK(wait_exit(first, 10) == 128 + SIGKILL);
      INFO("first run: " << read_file_text(tmp / "r1.err").substr(0, 4000));
      CHECK(landed < static_cast<size_t>(n - removed));

      pid_t second = spawn_cpsync(config, cmd, tmp / "r2.out", tmp / "r2.err");
      bool equal = false;
      while (!equal && std::chrono::steady_clock::now() - start < std::chrono::seconds(180)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        equal = run_cpsync(config, {"check", src, dst}).code == 0;
      }
      // Past the lease: anything unacknowledged would be visible again now.
      std::this_thread::sleep_for(std::chrono::seconds(4));
      REQUIRE(::kill(second, SIGTERM) == 0);
      const int code = wait_exit(second, 60);
      const std::string err2 = read_file_text(tmp / "r2.err");
      INFO("second run: " << err2.substr(err2.size() > 4000 ? err2.size() - 4000 : 0));
      CHECK((code == 0 || code == 6));
      CHECK(equal);
      WARN("Azure queue: "
           << n + removed << " events, killed after " << landed << " copies; equal after "
           << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
           << " s");
      check_equal(config, src, dst);
      CHECK(split_lines(run_ok(config, {"ls", dst}).out).size() ==
            static_cast<size_t>(n - removed));
      auto left = queue.get_messages(q, 32, 1);
      REQUIRE(left.ok());
      CHECK(left->empty());
      auto poison = queue.get_messages(q + "-poison", 32, 1);
      REQUIRE(poison.ok());
      REQUIRE(poison->size() == 1);
      CHECK(poison->at(0).text == "not an event at all");
    });
  });
}

TEST_CASE("replicate: a Redis stream drained with --once", "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  const std::string base = peer_env("redis")["REDIS_URL"];
  const std::string stream = unique_bucket("events");
  auto url = cpsync::parse_queue_url(base + "/" + stream);
  REQUIRE(url.ok());
  auto conn = cpsync::RedisConn::connect(*url, std::chrono::seconds(5));
  REQUIRE(conn.ok());
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "az", [&](const std::string& ab) {
      const std::string src = "s3:" + sb, dst = "az:" + ab;
      for (int i = 0; i < 30; ++i) {
        const std::string key = "k " + std::to_string(i) + "%+";
        rcat(config, tmp, src + "/" + key, "v" + std::to_string(i));
        REQUIRE((*conn)
                    ->command({"XADD", stream, "*", "body",
                               records({s3_record("ObjectCreated:Put", sb, key,
                                                  "0" + std::to_string(i))})})
                    .ok());
      }
      REQUIRE((*conn)->command({"XADD", stream, "*", "body", "{\"no\":\"event\"}"}).ok());
      auto r = replicate(config, {src, dst, "--events", base + "/" + stream, "--no-state"}, 6);
      INFO(r.dump());
      CHECK(r["copied"] == 30);
      CHECK(r["dead"] == 1);
      check_equal(config, src, dst);
      auto len = (*conn)->command({"XLEN", stream});
      REQUIRE(len.ok());
      CHECK(len->integer == 0);
      auto dead = (*conn)->command({"XLEN", stream + ":dead"});
      REQUIRE(dead.ok());
      CHECK(dead->integer == 1);
      (void)(*conn)->command({"DEL", stream, stream + ":dead"});
    });
  });
}

TEST_CASE("replicate: a batch's lease is renewed while its copies run", "[e2e][events]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  const std::string base = peer_env("redis")["REDIS_URL"];
  const std::string stream = unique_bucket("lease");
  auto url = cpsync::parse_queue_url(base + "/" + stream);
  REQUIRE(url.ok());
  auto conn = cpsync::RedisConn::connect(*url, std::chrono::seconds(5));
  REQUIRE(conn.ok());
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "az", [&](const std::string& ab) {
      const std::string src = "s3:" + sb, dst = "az:" + ab;
      const int n = 6;
      for (int i = 0; i < n; ++i)
        write_file_text(tmp / ("src/big" + std::to_string(i)), random_bytes(32 << 20, i));
      run_ok(config, {"copy", tmp / "src", src, "--transfers", "4"});
      for (int i = 0; i < n; ++i)
        REQUIRE((*conn)
                    ->command({"XADD", stream, "*", "body",
                               records({s3_record("ObjectCreated:Put", sb,
                                                  "big" + std::to_string(i), "01")})})
                    .ok());
      // Reader A takes all six in one batch and copies them one at a time (seconds) with a
      // 1 s lease; reader B, started well after A's lease would have run out, finds nothing
      // to take over: A keeps renewing it.
      const std::vector<std::string> a_cmd = {
          "replicate", src,  dst,           "--events", base + "/" + stream, "--watch",
          "--lease",   "1s", "--transfers", "1",        "--no-state",        "--json"};
      pid_t a = spawn_cpsync(config, a_cmd, tmp / "a.out", tmp / "a.err");
      const auto start = std::chrono::steady_clock::now();
      size_t landed = 0;
      while (landed == 0 && std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        landed = split_lines(run_cpsync(config, {"ls", dst}).out).size();
      }
      REQUIRE(landed >= 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      const size_t before_b = split_lines(run_cpsync(config, {"ls", dst}).out).size();
      auto b = replicate(
          config, {src, dst, "--events", base + "/" + stream, "--lease", "1s", "--no-state"});
      INFO(b.dump());
      CHECK(before_b < static_cast<size_t>(n));  // A was still at work when B looked
      CHECK(b["messages"] == 0);
      // A finishes, acknowledges all six, and stops on SIGTERM.
      bool all = false;
      while (!all && std::chrono::steady_clock::now() - start < std::chrono::seconds(120)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        auto len = (*conn)->command({"XLEN", stream});
        all = len.ok() && len->integer == 0;
      }
      CHECK(all);
      REQUIRE(::kill(a, SIGTERM) == 0);
      CHECK(wait_exit(a, 30) == 0);
      auto ra = json::parse(split_lines(read_file_text(tmp / "a.out")).back());
      CHECK(ra["acked"] == n);
      CHECK(ra["copied"] == n);
      check_equal(config, src, dst);
      (void)(*conn)->command({"DEL", stream});
    });
  });
}
