// sync/events/storage_event.cc — recognises each provider's event shape by its fields and
// turns its records into StorageEvents. Envelopes (SNS, SQS, base64) are unwrapped first.
#include "sync/events/storage_event.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "core/crypto.h"
#include "core/encoding.h"

namespace cpsync {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 4;  // envelopes inside envelopes: SQS > SNS > S3 at most

// j[a][b]... as a string; "" when a step is missing or the value is not a string.
std::string str_at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* p : path) {
    if (!cur->is_object()) return "";
    auto it = cur->find(p);
    if (it == cur->end()) return "";
    cur = &*it;
  }
  return cur->is_string() ? cur->get<std::string>() : "";
}

// A size given as a number or a numeric string; 0 otherwise.
uint64_t size_at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* p : path) {
    if (!cur->is_object()) return 0;
    auto it = cur->find(p);
    if (it == cur->end()) return 0;
    cur = &*it;
  }
  if (cur->is_number_unsigned()) return cur->get<uint64_t>();
  if (cur->is_number_integer())
    return static_cast<uint64_t>(std::max<int64_t>(0, cur->get<int64_t>()));
  if (cur->is_string()) {
    const std::string s = cur->get<std::string>();
    if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::stoull(s);
  }
  return 0;
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

Status bad(const std::string& what) {
  return Status{Errc::invalid_argument, "not a storage event: " + what};
}

Status parse_value(const json& j, ParsedMessage& out, int depth);
Status parse_text(std::string_view text, ParsedMessage& out, int depth);

// S3 keys in notifications and EventBridge events are URL-encoded with '+' for a space.
Status decoded_s3_key(const std::string& raw, std::string& key) {
  if (!uri_decode(raw, key, /*plus_as_space=*/true))
    return bad("object key '" + raw + "' is not URL-encoded");
  return Status::OK();
}

// {"Records":[{eventSource "aws:s3", eventName "ObjectCreated:Put", s3:{bucket, object}}]}
Status parse_s3_records(const json& records, ParsedMessage& out) {
  if (!records.is_array()) return bad("Records is not an array");
  for (const json& r : records) {
    std::string name = str_at(r, {"eventName"});
    if (starts_with(name, "s3:")) name = name.substr(3);  // Ceph and MinIO prefix it
    const std::string source = str_at(r, {"eventSource"});
    if (!r.contains("s3") || (!source.empty() && source.find("s3") == std::string::npos)) {
      ++out.ignored;
      continue;
    }
    StorageEvent e;
    if (starts_with(name, "ObjectCreated:")) {
      e.kind = StorageEvent::Kind::created;
    } else if (starts_with(name, "ObjectRemoved:") ||
               starts_with(name, "LifecycleExpiration:Delete")) {
      e.kind = StorageEvent::Kind::removed;
    } else {
      ++out.ignored;  // restores, replication, tagging, ACL changes, ...
      continue;
    }
    e.format = "s3";
    e.name = name;
    e.bucket = str_at(r, {"s3", "bucket", "name"});
    const std::string raw_key = str_at(r, {"s3", "object", "key"});
    if (e.bucket.empty() || raw_key.empty())
      return bad(name + " without bucket name or object key");
    CPSYNC_RETURN_IF_ERROR(decoded_s3_key(raw_key, e.key));
    e.size = size_at(r, {"s3", "object", "size"});
    e.etag = unquote(str_at(r, {"s3", "object", "eTag"}));
    e.sequencer = str_at(r, {"s3", "object", "sequencer"});
    out.events.push_back(std::move(e));
  }
  return Status::OK();
}

// EventBridge: {"detail-type":"Object Created","source":"aws.s3","detail":{bucket,object}}
Status parse_s3_eventbridge(const json& j, ParsedMessage& out) {
  const std::string type = str_at(j, {"detail-type"});
  StorageEvent e;
  if (type == "Object Created") {
    e.kind = StorageEvent::Kind::created;
  } else if (type == "Object Deleted") {
    e.kind = StorageEvent::Kind::removed;
  } else {
    ++out.ignored;
    return Status::OK();
  }
  e.format = "s3-eventbridge";
  e.name = type;
  e.bucket = str_at(j, {"detail", "bucket", "name"});
  const std::string raw_key = str_at(j, {"detail", "object", "key"});
  if (e.bucket.empty() || raw_key.empty()) return bad(type + " without bucket name or object key");
  CPSYNC_RETURN_IF_ERROR(decoded_s3_key(raw_key, e.key));
  e.size = size_at(j, {"detail", "object", "size"});
  e.etag = unquote(str_at(j, {"detail", "object", "etag"}));
  e.sequencer = str_at(j, {"detail", "object", "sequencer"});
  out.events.push_back(std::move(e));
  return Status::OK();
}

// One OSS event record: {eventName "ObjectCreated:PutObject", oss:{bucket, object}}.
// OSS gives the key as stored (not URL-encoded).
Status parse_oss_record(const json& r, const std::string& format, ParsedMessage& out) {
  const std::string name = str_at(r, {"eventName"});
  StorageEvent e;
  if (starts_with(name, "ObjectCreated:")) {
    e.kind = StorageEvent::Kind::created;
  } else if (starts_with(name, "ObjectRemoved:")) {
    e.kind = StorageEvent::Kind::removed;
  } else {
    ++out.ignored;  // ObjectDownloaded:GetObject, ObjectReplication:*, ...
    return Status::OK();
  }
  e.format = format;
  e.name = name;
  e.bucket = str_at(r, {"oss", "bucket", "name"});
  e.key = str_at(r, {"oss", "object", "key"});
  if (e.bucket.empty() || e.key.empty()) return bad(name + " without bucket name or object key");
  e.size = size_at(r, {"oss", "object", "size"});
  e.etag = unquote(str_at(r, {"oss", "object", "eTag"}));
  e.sequencer = str_at(r, {"oss", "object", "sequencer"});
  out.events.push_back(std::move(e));
  return Status::OK();
}

// Event Grid ({eventType, subject, data}) or CloudEvents ({type, subject, data}).
Status parse_azure(const json& j, const std::string& type, ParsedMessage& out) {
  StorageEvent e;
  if (type == "Microsoft.Storage.BlobCreated") {
    e.kind = StorageEvent::Kind::created;
  } else if (type == "Microsoft.Storage.BlobDeleted") {
    e.kind = StorageEvent::Kind::removed;
  } else {
    ++out.ignored;  // tier changes, validation events, directories (ADLS), ...
    return Status::OK();
  }
  e.format = "azure";
  e.name = type.substr(std::string_view("Microsoft.Storage.").size());
  // The subject names container and blob as stored: /blobServices/default/containers/C/blobs/NAME
  const std::string subject = str_at(j, {"subject"});
  constexpr std::string_view kContainers = "/blobServices/default/containers/";
  const size_t blobs = subject.find("/blobs/");
  if (starts_with(subject, kContainers) && blobs != std::string::npos &&
      blobs > kContainers.size()) {
    e.bucket = subject.substr(kContainers.size(), blobs - kContainers.size());
    e.key = subject.substr(blobs + 7);
  } else {
    // No usable subject: the blob URL (escaped): scheme://host/[account/]container/name.
    const std::string url = str_at(j, {"data", "url"});
    const size_t host_end =
        url.find('/', url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
    if (host_end == std::string::npos) return bad(type + " without subject or data.url");
    std::string path;
    if (!uri_decode(std::string_view(url).substr(host_end + 1), path))
      return bad("bad data.url " + url);
    const size_t slash = path.find('/');
    if (slash == std::string::npos) return bad("data.url " + url + " names no blob");
    e.bucket = path.substr(0, slash);
    e.key = path.substr(slash + 1);
  }
  if (e.bucket.empty() || e.key.empty()) return bad(type + " without container or blob name");
  e.size = size_at(j, {"data", "contentLength"});
  e.etag = unquote(str_at(j, {"data", "eTag"}));
  e.sequencer = str_at(j, {"data", "sequencer"});
  out.events.push_back(std::move(e));
  return Status::OK();
}

Status parse_object(const json& j, ParsedMessage& out, int depth) {
  if (j.contains("Records")) return parse_s3_records(j["Records"], out);
  // S3's test message when a notification is configured.
  if (str_at(j, {"Event"}) == "s3:TestEvent") {
    ++out.ignored;
    return Status::OK();
  }
  // SNS envelope: the notification as a JSON string in Message.
  if (str_at(j, {"Type"}) == "Notification" && j.contains("Message")) {
    if (!j["Message"].is_string()) return bad("SNS Message is not a string");
    return parse_text(j["Message"].get<std::string>(), out, depth + 1);
  }
  // `aws sqs receive-message` output, and one SQS message.
  if (j.contains("Messages") && j["Messages"].is_array()) {
    for (const json& m : j["Messages"]) CPSYNC_RETURN_IF_ERROR(parse_value(m, out, depth + 1));
    return Status::OK();
  }
  if (j.contains("Body") && j["Body"].is_string())
    return parse_text(j["Body"].get<std::string>(), out, depth + 1);
  // OSS through MNS: {"events":[...]}.
  if (j.contains("events") && j["events"].is_array()) {
    for (const json& r : j["events"]) CPSYNC_RETURN_IF_ERROR(parse_oss_record(r, "oss", out));
    return Status::OK();
  }
  if (j.contains("detail-type")) {
    if (str_at(j, {"source"}) != "aws.s3") {
      ++out.ignored;
      return Status::OK();
    }
    return parse_s3_eventbridge(j, out);
  }
  // Event Grid schema.
  if (j.contains("eventType")) return parse_azure(j, str_at(j, {"eventType"}), out);
  // CloudEvents: Azure's, and OSS through EventBridge (type "oss:ObjectCreated:PutObject").
  if (j.contains("specversion") || j.contains("type")) {
    const std::string type = str_at(j, {"type"});
    if (starts_with(type, "oss:") && j.contains("data"))
      return parse_oss_record(j["data"], "oss-eventbridge", out);
    if (starts_with(type, "Microsoft.")) return parse_azure(j, type, out);
    ++out.ignored;
    return Status::OK();
  }
  return bad("a JSON object of no known event format");
}

Status parse_value(const json& j, ParsedMessage& out, int depth) {
  if (depth > kMaxDepth) return bad("envelopes nested too deep");
  if (j.is_array()) {
    for (const json& e : j) CPSYNC_RETURN_IF_ERROR(parse_value(e, out, depth + 1));
    return Status::OK();
  }
  if (!j.is_object()) return bad("JSON that is neither an object nor an array");
  return parse_object(j, out, depth);
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Status parse_text(std::string_view text, ParsedMessage& out, int depth) {
  text = trimmed(text);
  if (text.empty()) return bad("an empty message");
  if (text.front() != '{' && text.front() != '[') {
    std::string decoded;
    if (depth < kMaxDepth && base64_decode(text, decoded) && !decoded.empty())
      return parse_text(decoded, out, depth + 1);
    return bad("neither JSON nor base64 of JSON");
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return bad("malformed JSON");
  return parse_value(j, out, depth);
}

}  // namespace

Result<ParsedMessage> parse_event_message(std::string_view text) {
  ParsedMessage out;
  CPSYNC_RETURN_IF_ERROR(parse_text(text, out, 0));
  return out;
}

bool sequencer_less(std::string_view a, std::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    const size_t pa = n - a.size(), pb = n - b.size();
    const char ca =
        i < pa ? '0' : static_cast<char>(std::toupper(static_cast<unsigned char>(a[i - pa])));
    const char cb =
        i < pb ? '0' : static_cast<char>(std::toupper(static_cast<unsigned char>(b[i - pb])));
    if (ca != cb) return ca < cb;
  }
  return false;
}

}  // namespace cpsync
