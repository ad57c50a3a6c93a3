// remotes/azure/azure_queue.h — a client of the Azure Queue service (Storage Queues, which
// Event Grid delivers to) on the Azure request pipeline: the account's credentials
// (SharedKey, SAS or Azure AD) with the queue endpoint, Azure's retries and error mapping.
// Create Queue, Get Messages, Update Message (visibility), Delete Message, Put Message. Immutable:
// safe from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "remotes/azure/azure_client.h"
#include "remotes/azure/azure_options.h"

namespace cpsync::azure {

struct QueueMessage {
  std::string id;
  std::string pop_receipt;
  int64_t dequeue_count = 0;
  std::string text;  // MessageText as stored (Event Grid's is base64 of the event JSON)
};

// The queue endpoint of a blob endpoint: https://ACCOUNT.queue.core.windows.net for
// https://ACCOUNT.blob.core.windows.net (any cloud's suffix); "" when it cannot be derived
// (emulators and custom endpoints: give it explicitly).
std::string queue_endpoint_for(const std::string& blob_endpoint);

// Parses a QueueMessagesList body. Errc::corrupt on a malformed one.
Result<std::vector<QueueMessage>> parse_queue_messages(std::string_view xml);

class AzureQueueClient {
 public:
  // o as for the blob remote, with o.endpoint the queue service URL.
  explicit AzureQueueClient(AzureOptions o) : client_(std::move(o)) {}

  // Creates the queue; an existing one is fine.
  Status create_queue(const std::string& queue) const;
  // Up to n (1..32) messages, invisible to others for visibility_s seconds.
  Result<std::vector<QueueMessage>> get_messages(const std::string& queue, int n,
                                                 int visibility_s) const;
  // A message already deleted (or whose receipt expired) is Errc::not_found.
  Status delete_message(const std::string& queue, const QueueMessage& m) const;
  // Keeps a received message invisible for visibility_s more seconds (Update Message without
  // content); m.pop_receipt is replaced by the new one, which later calls need.
  Status extend_visibility(const std::string& queue, QueueMessage& m, int visibility_s) const;
  // Adds a message (at most 64 KiB of text).
  Status put_message(const std::string& queue, const std::string& text) const;

 private:
  AzureClient client_;
};

}  // namespace cpsync::azure
