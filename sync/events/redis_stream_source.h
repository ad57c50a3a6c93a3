// sync/events/redis_stream_source.h — event messages from a Redis stream
// (redis://[:PASSWORD@]HOST:PORT/STREAM; each entry's field "body", else its first field,
// holds one message) read as a member of the consumer group cpsync-replicate, so several
// replicators share a stream. Entries stay pending until acknowledged (XACK, then XDEL); an
// entry whose reader stopped for longer than the lease is taken over (XAUTOCLAIM), its
// delivery count from XPENDING. Dead letters: the stream STREAM:dead (fields body, reason,
// id). One thread; its own connection.
#pragma once

#include <memory>
#include <string>

#include "sync/events/event_source.h"
#include "sync/queue_redis.h"

namespace cpsync {

inline constexpr const char* kReplicateGroup = "cpsync-replicate";

class RedisStreamEventSource : public EventSource {
 public:
  // Connects and creates the group (and the stream) unless they exist.
  static Result<std::unique_ptr<RedisStreamEventSource>> open(const QueueUrl& url,
                                                              std::chrono::milliseconds lease,
                                                              std::string consumer);

  std::string describe() const override { return url_.display(); }
  Result<std::vector<EventMessage>> receive(size_t max, std::chrono::milliseconds wait) override;
  Status ack(const EventMessage& m) override;
  Status extend(std::vector<EventMessage>& messages) override;
  std::chrono::milliseconds lease() const override { return lease_; }
  Status dead_letter(const EventMessage& m, const std::string& reason) override;
  std::string dead_letter_place() const override {
    return url_.display() + " (stream " + dead_ + ")";
  }

 private:
  RedisStreamEventSource(std::unique_ptr<RedisConn> c, QueueUrl url,
                         std::chrono::milliseconds lease, std::string consumer)
      : conn_(std::move(c)),
        url_(std::move(url)),
        stream_(url_.name),
        dead_(url_.name + ":dead"),
        lease_(lease),
        consumer_(std::move(consumer)) {}
  int64_t deliveries(const std::string& id);

  std::unique_ptr<RedisConn> conn_;
  QueueUrl url_;
  std::string stream_, dead_;
  std::chrono::milliseconds lease_;
  std::string consumer_;
  std::string claim_cursor_ = "0-0";
};

}  // namespace cpsync
