// sync/events/azure_queue_source.cc — Get Messages in batches of at most 32 (the service's
// limit), polling while the queue is empty; Delete Message with the pop receipt.
#include "sync/events/azure_queue_source.h"

#include <algorithm>
#include <thread>

namespace cpsync {

Result<std::unique_ptr<AzureQueueEventSource>> AzureQueueEventSource::open(
    std::shared_ptr<const azure::AzureQueueClient> client, std::string queue, std::string display,
    std::chrono::milliseconds lease) {
  CPSYNC_RETURN_IF_ERROR(client->create_queue(queue).with_context(display));
  return std::unique_ptr<AzureQueueEventSource>(
      new AzureQueueEventSource(std::move(client), std::move(queue), std::move(display), lease));
}

Result<std::vector<EventMessage>> AzureQueueEventSource::receive(size_t max,
                                                                 std::chrono::milliseconds wait) {
  const int n = static_cast<int>(std::clamp<size_t>(max, 1, 32));
  const int visibility = static_cast<int>(
      std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(lease_).count()));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    CPSYNC_ASSIGN_OR_RETURN(auto got, client_->get_messages(queue_, n, visibility));
    if (!got.empty() || std::chrono::steady_clock::now() >= deadline) {
      std::vector<EventMessage> out;
      for (auto& q : got) {
        EventMessage m;
        m.id = std::move(q.id);
        m.receipt = std::move(q.pop_receipt);
        m.deliveries = std::max<int64_t>(1, q.dequeue_count);
        m.body = std::move(q.text);
        out.push_back(std::move(m));
      }
      return out;
    }
    // Queues have no blocking read: poll a few times a second until the wait is over.
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(250), deadline - std::chrono::steady_clock::now()));
  }
}

Status AzureQueueEventSource::extend(std::vector<EventMessage>& messages) {
  const int visibility = static_cast<int>(
      std::max<int64_t>(1, std::chrono::ceil<std::chrono::seconds>(lease_).count()));
  for (auto& m : messages) {
    azure::QueueMessage q{m.id, m.receipt, 0, ""};
    CPSYNC_RETURN_IF_ERROR(client_->extend_visibility(queue_, q, visibility));
    m.receipt = std::move(q.pop_receipt);
  }
  return Status::OK();
}

Status AzureQueueEventSource::ack(const EventMessage& m) {
  Status st = client_->delete_message(queue_, azure::QueueMessage{m.id, m.receipt, 0, ""});
  // Deleted already, or our lease ran out and another reader holds it now: that reader
  // acknowledges it after its own (idempotent) replay.
  if (!st.ok() && st.code == Errc::not_found) return Status::OK();
  return st;
}

Status AzureQueueEventSource::dead_letter(const EventMessage& m, const std::string&) {
  if (!poison_created_) {
    CPSYNC_RETURN_IF_ERROR(client_->create_queue(queue_ + "-poison"));
    poison_created_ = true;
  }
  CPSYNC_RETURN_IF_ERROR(client_->put_message(queue_ + "-poison", m.body));
  return ack(m);
}

}  // namespace cpsync
