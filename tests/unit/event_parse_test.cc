// tests/unit/event_parse_test.cc — the storage event parser on messages in each provider's
// documented shape (S3 raw, SNS, SQS, EventBridge; OSS through MNS with a base64 body and
// through EventBridge; Azure Event Grid and CloudEvents), awkward keys decoded, what is
// ignored, what is poison; sequencer order; the bounded sequencer state and its file.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "sync/events/sequencer_state.h"
#include "sync/events/storage_event.h"

using namespace cpsync;
using nlohmann::json;

namespace {

json s3_record(const std::string& name, const std::string& bucket, const std::string& key,
               const std::string& seq) {
  return {{"eventVersion", "2.1"},
          {"eventSource", "aws:s3"},
          {"awsRegion", "us-east-1"},
          {"eventTime", "2026-12-07T09:00:00.000Z"},
          {"eventName", name},
          {"s3",
           {{"s3SchemaVersion", "1.0"},
            {"bucket", {{"name", bucket}, {"arn", "arn:aws:s3:::" + bucket}}},
            {"object",
             {{"key", key},
              {"size", 1024},
              {"eTag", "0123456789abcdef0123456789abcdef"},
              {"sequencer", seq}}}}}};
}

ParsedMessage parsed(const std::string& text) {
  auto p = parse_event_message(text);
  INFO(text);
  REQUIRE(p.ok());
  return std::move(p).value();
}

}  // namespace

TEST_CASE("events: S3 notifications raw, in SNS, in SQS, with URL-encoded keys", "[events]") {
  const json raw = {
      {"Records",
       {s3_record("ObjectCreated:Put", "src", "photos/red+flower%2B1+%25+%C3%A9t%C3%A9.jpg",
                  "0055AED6DCD90281E5"),
        s3_record("ObjectRemoved:Delete", "src", "a%2Fb", "0055AED6DCD90281E6")}}};
  auto p = parsed(raw.dump());
  REQUIRE(p.events.size() == 2);
  CHECK(p.events[0].kind == StorageEvent::Kind::created);
  CHECK(p.events[0].bucket == "src");
  CHECK(p.events[0].key == "photos/red flower+1 % \xC3\xA9t\xC3\xA9.jpg");
  CHECK(p.events[0].size == 1024);
  CHECK(p.events[0].etag == "0123456789abcdef0123456789abcdef");
  CHECK(p.events[0].sequencer == "0055AED6DCD90281E5");
  CHECK(p.events[1].kind == StorageEvent::Kind::removed);
  CHECK(p.events[1].key == "a/b");

  const json sns = {{"Type", "Notification"},
                    {"MessageId", "2b8d5ef0-0000-0000-0000-000000000000"},
                    {"TopicArn", "arn:aws:sns:us-east-1:123456789012:events"},
                    {"Message", raw.dump()}};
  CHECK(parsed(sns.dump()).events.size() == 2);
  // `aws sqs receive-message` output whose body is the SNS envelope.
  const json sqs = {
      {"Messages", {{{"MessageId", "m1"}, {"ReceiptHandle", "AQEB..."}, {"Body", sns.dump()}}}}};
  auto q = parsed(sqs.dump());
  REQUIRE(q.events.size() == 2);
  CHECK(q.events[0].key == "photos/red flower+1 % \xC3\xA9t\xC3\xA9.jpg");

  // The test event S3 sends when a notification is configured, and other event types.
  auto t = parsed(
      R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-07T09:00:00.000Z","Bucket":"src"})");
  CHECK(t.events.empty());
  CHECK(t.ignored == 1);
  auto other =
      parsed(json{{"Records", {s3_record("ObjectRestore:Completed", "src", "k", "01")}}}.dump());
  CHECK(other.events.empty());
  CHECK(other.ignored == 1);
}

TEST_CASE("events: EventBridge for S3", "[events]") {
  const json created = {{"version", "0"},
                        {"id", "17793124-05d4-b198-2fde-7ededc63b103"},
                        {"detail-type", "Object Created"},
                        {"source", "aws.s3"},
                        {"account", "111122223333"},
                        {"time", "2026-12-07T09:00:00Z"},
                        {"region", "us-east-2"},
                        {"resources", {"arn:aws:s3:::src"}},
                        {"detail",
                         {{"version", "0"},
                          {"bucket", {{"name", "src"}}},
                          {"object",
                           {{"key", "dir/my+file.txt"},
                            {"size", 5},
                            {"etag", "b1946ac92492d2347c6235b4d2611184"},
                            {"sequencer", "00617F08299329D189"}}},
                          {"reason", "PutObject"}}}};
  auto p = parsed(created.dump());
  REQUIRE(p.events.size() == 1);
  CHECK(p.events[0].format == "s3-eventbridge");
  CHECK(p.events[0].key == "dir/my file.txt");
  CHECK(p.events[0].size == 5);
  json deleted = created;
  deleted["detail-type"] = "Object Deleted";
  deleted["detail"]["object"].erase("size");
  CHECK(parsed(deleted.dump()).events.at(0).kind == StorageEvent::Kind::removed);
  json other = created;
  other["detail-type"] = "Object Restore Completed";
  CHECK(parsed(other.dump()).ignored == 1);
}

TEST_CASE("events: OSS through MNS (base64 body) and EventBridge", "[events]") {
  const json oss = {
      {"events",
       {{{"eventName", "ObjectCreated:PutObject"},
         {"eventSource", "acs:oss"},
         {"eventTime", "2026-12-07T09:00:00.000Z"},
         {"eventVersion", "1.0"},
         {"oss",
          {{"bucket", {{"name", "ossbucket"}, {"arn", "acs:oss:cn-hangzhou:1:ossbucket"}}},
           {"object",
            {{"key", "a+b %41 c.txt"},
             {"size", 7},
             {"eTag", "\"0CC175B9C0F1B6A831C399E269772661\""},
             {"deltaSize", 7}}},
           {"ossSchemaVersion", "1.0"}}},
         {"region", "cn-hangzhou"}}}}};
  auto p = parsed(base64_encode(oss.dump()));
  REQUIRE(p.events.size() == 1);
  CHECK(p.events[0].format == "oss");
  CHECK(p.events[0].key == "a+b %41 c.txt");  // OSS keys are not URL-encoded
  CHECK(p.events[0].etag == "0CC175B9C0F1B6A831C399E269772661");
  CHECK(p.events[0].sequencer.empty());

  const json eb = {{"datacontenttype", "application/json;charset=utf-8"},
                   {"id", "1-2-3"},
                   {"source", "acs.oss"},
                   {"specversion", "1.0"},
                   {"subject", "acs:oss:cn-hangzhou:1:ossbucket/x.txt"},
                   {"type", "oss:ObjectRemoved:DeleteObject"},
                   {"data", oss["events"][0]}};
  json d = eb;
  d["data"]["eventName"] = "ObjectRemoved:DeleteObject";
  auto e = parsed(d.dump());
  REQUIRE(e.events.size() == 1);
  CHECK(e.events[0].format == "oss-eventbridge");
  CHECK(e.events[0].kind == StorageEvent::Kind::removed);
}

TEST_CASE("events: Azure Event Grid and CloudEvents schemas", "[events]") {
  const json eg = json::array(
      {{{"topic",
         "/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct"},
        {"subject", "/blobServices/default/containers/c1/blobs/dir/new file+1%.txt"},
        {"eventType", "Microsoft.Storage.BlobCreated"},
        {"id", "831e1650-001e-001b-66ab-eeb76e069631"},
        {"data",
         {{"api", "PutBlockList"},
          {"eTag", "0x8D4BCC2E4835CD0"},
          {"contentLength", 524288},
          {"blobType", "BlockBlob"},
          {"url", "https://acct.blob.core.windows.net/c1/dir/new%20file%2B1%25.txt"},
          {"sequencer", "00000000000004420000000000028963"}}},
        {"dataVersion", ""},
        {"metadataVersion", "1"},
        {"eventTime", "2026-12-07T09:00:00.000Z"}},
       {{"subject", "/blobServices/default/containers/c1/blobs/x"},
        {"eventType", "Microsoft.Storage.BlobTierChanged"},
        {"data", json::object()}}});
  auto p = parsed(eg.dump());
  REQUIRE(p.events.size() == 1);
  CHECK(p.ignored == 1);
  CHECK(p.events[0].bucket == "c1");
  CHECK(p.events[0].key == "dir/new file+1%.txt");
  CHECK(p.events[0].size == 524288);
  CHECK(p.events[0].sequencer == "00000000000004420000000000028963");
  // CloudEvents; no subject: the blob URL, decoded.
  const json ce = {
      {"specversion", "1.0"},
      {"type", "Microsoft.Storage.BlobDeleted"},
      {"source",
       "/subscriptions/x/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/acct"},
      {"id", "1"},
      {"data",
       {{"api", "DeleteBlob"},
        {"url", "http://127.0.0.1:10000/devstoreaccount1/c1/dir/new%20file%2B1%25.txt"},
        {"sequencer", "00000000000004420000000000028964"}}}};
  auto c = parsed(ce.dump());
  REQUIRE(c.events.size() == 1);
  CHECK(c.events[0].kind == StorageEvent::Kind::removed);
  CHECK(c.events[0].bucket == "devstoreaccount1");  // path style: account first
  // Storage Queue bodies (base64 of the event) parse the same.
  CHECK(parsed(base64_encode(eg[0].dump())).events.size() == 1);
}

TEST_CASE("events: what no format knows is a one-line invalid_argument", "[events]") {
  for (
      const std::string bad :
      {"", "hello", "{\"a\":1}", "[1]", "{\"Records\":5}", "{\"Records\":[{",
       R"({"Records":[{"eventName":"ObjectCreated:Put","eventSource":"aws:s3","s3":{"bucket":{"name":"b"},"object":{"key":"%zz"}}}]})"}) {
    auto p = parse_event_message(bad);
    INFO(bad);
    REQUIRE(!p.ok());
    CHECK(p.status().code == Errc::invalid_argument);
    CHECK(p.status().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("events: sequencers compare as hex numbers of any width", "[events]") {
  CHECK(sequencer_less("0055AED6DCD90281E5", "0055AED6DCD90281E6"));
  CHECK(sequencer_less("FF", "0100"));
  CHECK(sequencer_less("ff", "0100"));
  CHECK(!sequencer_less("0A", "a"));
  CHECK(!sequencer_less("a", "0A"));
  CHECK(sequencer_less("00000000000004420000000000028963", "00000000000004420000000000028964"));
}

TEST_CASE("events: the sequencer state drops duplicates and older events, bounded, on disk",
          "[events]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cpsync-seq-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "sub" / "state.events").string();
  {
    SequencerState s(3);
    REQUIRE(s.open(path).ok());
    CHECK(!s.stale("b/k", "05"));
    s.applied("b/k", "05");
    CHECK(s.stale("b/k", "05"));  // duplicate
    CHECK(s.stale("b/k", "4"));   // older
    CHECK(!s.stale("b/k", "06"));
    CHECK(!s.stale("b/k", ""));  // no sequencer: never stale
    s.applied("b/k", "03");      // older: ignored
    CHECK(s.stale("b/k", "05"));   // still 05
    for (const char* k : {"b/1", "b/2", "b/3"}) s.applied(k, "01");
    CHECK(s.size() == 3);  // b/k forgotten, the least recently applied
    CHECK(!s.stale("b/k", "05"));
    REQUIRE(s.save().ok());
  }
  SequencerState again(3);
  REQUIRE(again.open(path).ok());
  CHECK(again.size() == 3);
  CHECK(again.stale("b/2", "01"));
  std::ofstream(path) << "not json";
  SequencerState broken;
  CHECK(broken.open(path).code == Errc::corrupt);
  std::filesystem::remove_all(dir);
}
