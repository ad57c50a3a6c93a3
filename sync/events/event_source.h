// sync/events/event_source.h — where event replication reads its messages: a file or stdin
// of one message per line (line_source.h), an Azure Storage Queue (azure_queue_source.h) or
// a Redis stream (redis_stream_source.h). A message is acknowledged only when the
// replicator has applied and verified all its events; a failed one is delivered again
// (after its lease, or at once for a file) and after max attempts goes to the source's
// dead-letter place. An EventSource is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace cpsync {

struct EventMessage {
  std::string id;          // message id, stream entry id, or "line N"
  std::string body;        // the message text (parse_event_message)
  int64_t deliveries = 1;  // times delivered, this one included
  std::string receipt;     // what acknowledging needs besides the id (Azure's pop receipt)
};

class EventSource {
 public:
  virtual ~EventSource() = default;
  // "events.jsonl", "azure queue az/events", "redis://127.0.0.1:6379/events", for messages.
  virtual std::string describe() const = 0;
  // Up to max messages; waits up to `wait` when none is ready. An empty batch: none now.
  virtual Result<std::vector<EventMessage>> receive(size_t max, std::chrono::milliseconds wait) = 0;
  // True when receive() will never return another message (a file read to its end).
  virtual bool finished() const { return false; }
  // The message is done: delete it from the queue.
  virtual Status ack(const EventMessage& m) = 0;
  // The message failed and may be tried again: a queue redelivers it after its lease by
  // itself (the default does nothing); a file source delivers it again.
  virtual Status retry_later(const EventMessage& m) {
    (void)m;
    return Status::OK();
  }
  // Renews the lease of messages being worked on, so that no other reader takes them
  // meanwhile (receipts may change). Called by the replicator every third of the lease
  // from another thread, only while no other call of this source runs. Default: nothing.
  virtual Status extend(std::vector<EventMessage>& messages) {
    (void)messages;
    return Status::OK();
  }
  // The lease extend() renews; zero when the source has none.
  virtual std::chrono::milliseconds lease() const { return std::chrono::milliseconds(0); }
  // Puts the message (its body unchanged, so it can be replayed) in the dead-letter place,
  // then acknowledges it.
  virtual Status dead_letter(const EventMessage& m, const std::string& reason) = 0;
  // Where dead letters go, for the report ("" when only reported).
  virtual std::string dead_letter_place() const = 0;
};

}  // namespace cpsync
