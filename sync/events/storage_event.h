// sync/events/storage_event.h — one storage event (an object created or removed) as the
// providers' notification formats describe it, and the parser of one message of a queue or
// one line of an event file into such events. Formats: S3 event notifications (raw, in an
// SNS envelope, as an SQS message body or an `aws sqs receive-message` answer), EventBridge
// "Object Created"/"Object Deleted" for S3, OSS events (MNS, base64 bodies included, and
// EventBridge), Azure Event Grid BlobCreated/BlobDeleted (Event Grid and CloudEvents
// schemas). Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cpsync {

struct StorageEvent {
  enum class Kind { created, removed };
  Kind kind = Kind::created;
  std::string format;  // "s3", "s3-eventbridge", "oss", "oss-eventbridge", "azure"
  std::string name;    // the provider's event name, e.g. "ObjectCreated:Put"
  std::string bucket;  // bucket or container
  std::string key;     // decoded object key (S3 keys arrive URL-encoded, '+' for space)
  uint64_t size = 0;   // 0 when the event has none (removals)
  std::string etag;    // unquoted; may be empty
  // Orders the events of one key (S3, Azure); "" when the format has none (OSS).
  std::string sequencer;
};

struct ParsedMessage {
  std::vector<StorageEvent> events;
  // Records that are not object events (s3:TestEvent, Event Grid subscription validation,
  // other event types such as tier changes): counted and ignored.
  uint64_t ignored = 0;
};

// Parses one message (or one line). A body that is not JSON is tried as base64 (MNS and
// Storage Queue bodies). Errc::invalid_argument, naming what is wrong, for text that is no
// known event format: such a message is poison.
Result<ParsedMessage> parse_event_message(std::string_view text);

// Sequencer order: hex strings compared as numbers (the shorter left-padded with '0', case
// ignored), which also orders Azure's fixed-width sequencers. True when a is before b.
bool sequencer_less(std::string_view a, std::string_view b);

}  // namespace cpsync
