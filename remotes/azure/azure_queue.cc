// remotes/azure/azure_queue.cc — the queue requests on AzureClient (container = queue name,
// blob = "messages[/ID]": the Queue service's paths have the Blob service's shape).
#include "remotes/azure/azure_queue.h"

#include <tinyxml2.h>

namespace cpsync::azure {
namespace {

std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string child_text(const tinyxml2::XMLElement* e, const char* name) {
  const tinyxml2::XMLElement* c = e->FirstChildElement(name);
  return c && c->GetText() ? c->GetText() : "";
}

}  // namespace

std::string queue_endpoint_for(const std::string& blob_endpoint) {
  const size_t at = blob_endpoint.find(".blob.");
  const size_t scheme = blob_endpoint.find("://");
  if (at == std::string::npos || scheme == std::string::npos || at < scheme) return "";
  return blob_endpoint.substr(0, at) + ".queue." + blob_endpoint.substr(at + 6);
}

Result<std::vector<QueueMessage>> parse_queue_messages(std::string_view xml) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(xml.data(), xml.size()) != tinyxml2::XML_SUCCESS)
    return Status{Errc::corrupt, "azure queue: malformed Get Messages answer"};
  const tinyxml2::XMLElement* root = doc.FirstChildElement("QueueMessagesList");
  if (!root)
    return Status{Errc::corrupt, "azure queue: Get Messages answer without QueueMessagesList"};
  std::vector<QueueMessage> out;
  for (const auto* m = root->FirstChildElement("QueueMessage"); m;
       m = m->NextSiblingElement("QueueMessage")) {
    QueueMessage q;
    q.id = child_text(m, "MessageId");
    q.pop_receipt = child_text(m, "PopReceipt");
    q.text = child_text(m, "MessageText");
    const std::string count = child_text(m, "DequeueCount");
    q.dequeue_count = count.empty() ? 1 : std::stoll(count);
    if (q.id.empty() || q.pop_receipt.empty())
      return Status{Errc::corrupt, "azure queue: a message without MessageId or PopReceipt"};
    out.push_back(std::move(q));
  }
  return out;
}

Status AzureQueueClient::create_queue(const std::string& queue) const {
  AzureCall c;
  c.method = "PUT";
  c.bucket = queue;
  c.op = "put";
  c.verb = "create queue";
  auto r = client_.send(c);
  if (!r.ok() && r.status().code != Errc::conflict) return r.status();
  return Status::OK();
}

Result<std::vector<QueueMessage>> AzureQueueClient::get_messages(const std::string& queue, int n,
                                                                 int visibility_s) const {
  AzureCall c;
  c.bucket = queue;
  c.key = "messages";
  c.query = {{"numofmessages", std::to_string(n)},
             {"visibilitytimeout", std::to_string(visibility_s)}};
  c.op = "get";
  c.verb = "get messages";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  return parse_queue_messages(r.body);
}

Status AzureQueueClient::delete_message(const std::string& queue, const QueueMessage& m) const {
  AzureCall c;
  c.method = "DELETE";
  c.bucket = queue;
  c.key = "messages/" + m.id;
  c.query = {{"popreceipt", m.pop_receipt}};
  c.op = "delete";
  c.verb = "delete message";
  auto r = client_.send(c);
  return r.ok() ? Status::OK() : r.status();
}

Status AzureQueueClient::extend_visibility(const std::string& queue, QueueMessage& m,
                                           int visibility_s) const {
  AzureCall c;
  c.method = "PUT";
  c.bucket = queue;
  c.key = "messages/" + m.id;
  c.query = {{"popreceipt", m.pop_receipt}, {"visibilitytimeout", std::to_string(visibility_s)}};
  c.op = "put";
  c.verb = "update message";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.send(c));
  const std::string receipt = r.header_or("x-ms-popreceipt");
  if (receipt.empty())
    return Status{Errc::corrupt, "azure queue: Update Message answer without x-ms-popreceipt"};
  m.pop_receipt = receipt;
  return Status::OK();
}

Status AzureQueueClient::put_message(const std::string& queue, const std::string& text) const {
  const std::string body =
      "<QueueMessage><MessageText>" + xml_escape(text) + "</MessageText></QueueMessage>";
  AzureCall c;
  c.method = "POST";
  c.bucket = queue;
  c.key = "messages";
  c.headers.emplace_back("Content-Type", "application/xml");
  c.body = body.data();
  c.body_size = body.size();
  c.op = "put";
  c.verb = "put message";
  auto r = client_.send(c);
  return r.ok() ? Status::OK() : r.status();
}

}  // namespace cpsync::azure
