// sync/events/redis_stream_source.cc — XAUTOCLAIM first (entries of stopped readers), then
// XREADGROUP; XACK + XDEL to acknowledge; MULTI/EXEC to dead-letter.
#include "sync/events/redis_stream_source.h"

namespace cpsync {
namespace {

// [[id, [field, value, ...]], ...] -> messages (the body field, else the first value).
void entries_to_messages(const RedisReply& entries, std::vector<EventMessage>& out) {
  for (const auto& e : entries.elements) {
    if (e.elements.size() < 2 || e.elements[1].type != RedisReply::Type::array) continue;
    const auto& f = e.elements[1].elements;
    EventMessage m;
    m.id = e.elements[0].str;
    for (size_t i = 0; i + 1 < f.size(); i += 2)
      if (f[i].str == "body") m.body = f[i + 1].str;
    if (m.body.empty() && f.size() >= 2) m.body = f[1].str;
    out.push_back(std::move(m));
  }
}

}  // namespace

Result<std::unique_ptr<RedisStreamEventSource>> RedisStreamEventSource::open(
    const QueueUrl& url, std::chrono::milliseconds lease, std::string consumer) {
  CPSYNC_ASSIGN_OR_RETURN(auto conn, RedisConn::connect(url, std::chrono::seconds(10)));
  auto r = conn->command({"XGROUP", "CREATE", url.name, kReplicateGroup, "0", "MKSTREAM"});
  if (!r.ok() && r.status().message.find("BUSYGROUP") == std::string::npos) return r.status();
  return std::unique_ptr<RedisStreamEventSource>(
      new RedisStreamEventSource(std::move(conn), url, lease, std::move(consumer)));
}

int64_t RedisStreamEventSource::deliveries(const std::string& id) {
  auto r = conn_->command({"XPENDING", stream_, kReplicateGroup, id, id, "1"});
  if (!r.ok() || r->elements.empty() || r->elements[0].elements.size() < 4) return 1;
  return r->elements[0].elements[3].integer;
}

Result<std::vector<EventMessage>> RedisStreamEventSource::receive(size_t max,
                                                                  std::chrono::milliseconds wait) {
  std::vector<EventMessage> out;
  const std::string count = std::to_string(max);
  // Entries whose reader stopped renewing them come first.
  CPSYNC_ASSIGN_OR_RETURN(
      RedisReply claimed,
      conn_->command({"XAUTOCLAIM", stream_, kReplicateGroup, consumer_,
                      std::to_string(lease_.count()), claim_cursor_, "COUNT", count}));
  if (claimed.elements.size() >= 2) {
    claim_cursor_ = claimed.elements[0].str;
    entries_to_messages(claimed.elements[1], out);
    for (auto& m : out) m.deliveries = deliveries(m.id);
    if (!out.empty()) return out;
  }
  std::vector<std::string> cmd = {"XREADGROUP", "GROUP", kReplicateGroup,
                                  consumer_,    "COUNT", count};
  if (wait.count() > 0) {
    cmd.insert(cmd.end(), {"BLOCK", std::to_string(wait.count())});
    conn_->set_timeout(wait + std::chrono::seconds(10));
  }
  cmd.insert(cmd.end(), {"STREAMS", stream_, ">"});
  CPSYNC_ASSIGN_OR_RETURN(RedisReply read, conn_->command(cmd));
  if (!read.is_nil() && !read.elements.empty() && read.elements[0].elements.size() >= 2)
    entries_to_messages(read.elements[0].elements[1], out);
  return out;
}

// XCLAIM with min-idle 0 resets the entries' idle time; JUSTID: no delivery counted.
Status RedisStreamEventSource::extend(std::vector<EventMessage>& messages) {
  if (messages.empty()) return Status::OK();
  std::vector<std::string> cmd = {"XCLAIM", stream_, kReplicateGroup, consumer_, "0"};
  for (const auto& m : messages) cmd.push_back(m.id);
  cmd.push_back("JUSTID");
  auto r = conn_->command(cmd);
  return r.ok() ? Status::OK() : r.status();
}

Status RedisStreamEventSource::ack(const EventMessage& m) {
  CPSYNC_ASSIGN_OR_RETURN(RedisReply r, conn_->command({"XACK", stream_, kReplicateGroup, m.id}));
  (void)r;
  auto d = conn_->command({"XDEL", stream_, m.id});
  return d.ok() ? Status::OK() : d.status();
}

Status RedisStreamEventSource::dead_letter(const EventMessage& m, const std::string& reason) {
  for (const std::vector<std::string>& cmd :
       {std::vector<std::string>{"MULTI"},
        {"XADD", dead_, "*", "body", m.body, "reason", reason, "id", m.id},
        {"XACK", stream_, kReplicateGroup, m.id},
        {"XDEL", stream_, m.id},
        {"EXEC"}}) {
    auto r = conn_->command(cmd);
    if (!r.ok()) return r.status().with_context("dead-lettering " + m.id);
  }
  return Status::OK();
}

}  // namespace cpsync
