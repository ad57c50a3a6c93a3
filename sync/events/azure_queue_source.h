// sync/events/azure_queue_source.h — event messages from an Azure Storage Queue (the Event
// Grid -> Storage Queue delivery path). A received message is invisible to other readers
// for the lease (visibility timeout) and reappears if not deleted by then; its
// DequeueCount is the delivery count. Dead letters go to the queue QUEUE-poison (the name
// Azure Functions uses), body unchanged. One thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>

#include "remotes/azure/azure_queue.h"
#include "sync/events/event_source.h"

namespace cpsync {

class AzureQueueEventSource : public EventSource {
 public:
  // Creates the queue unless it exists (so a replicator may start before its producer).
  static Result<std::unique_ptr<AzureQueueEventSource>> open(
      std::shared_ptr<const azure::AzureQueueClient> client, std::string queue, std::string display,
      std::chrono::milliseconds lease);

  std::string describe() const override { return display_; }
  Result<std::vector<EventMessage>> receive(size_t max, std::chrono::milliseconds wait) override;
  Status ack(const EventMessage& m) override;
  Status extend(std::vector<EventMessage>& messages) override;
  std::chrono::milliseconds lease() const override { return lease_; }
  Status dead_letter(const EventMessage& m, const std::string& reason) override;
  std::string dead_letter_place() const override { return "queue " + queue_ + "-poison"; }

 private:
  AzureQueueEventSource(std::shared_ptr<const azure::AzureQueueClient> c, std::string queue,
                        std::string display, std::chrono::milliseconds lease)
      : client_(std::move(c)),
        queue_(std::move(queue)),
        display_(std::move(display)),
        lease_(lease) {}

  std::shared_ptr<const azure::AzureQueueClient> client_;
  std::string queue_;
  std::string display_;
  std::chrono::milliseconds lease_;
  bool poison_created_ = false;
};

}  // namespace cpsync
