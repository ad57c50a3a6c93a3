// sync/queue_redis.cc — hiredis behind RedisConn; the queue URL parser.
#include "sync/queue_redis.h"

#include <hiredis/hiredis.h>

#include <cctype>
#include <charconv>

namespace cpsync {
namespace {

RedisReply copy_reply(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::string;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::status;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::integer;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::array;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(copy_reply(r->element[i]));
      break;
    default:
      break;  // nil
  }
  return out;
}

timeval to_timeval(std::chrono::milliseconds t) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(t.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000);
  return tv;
}

}  // namespace

std::string QueueUrl::display() const {
  return "redis://" + host + ":" + std::to_string(port) + "/" + name;
}

Result<QueueUrl> parse_queue_url(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Status{Errc::invalid_argument,
                  "--queue '" + (text.find('@') == std::string::npos ? text : "redis://...") +
                      "': " + why + " (expected redis://HOST:PORT/NAME)"};
  };
  const std::string scheme = "redis://";
  if (text.rfind(scheme, 0) != 0) return bad("not a redis:// URL");
  std::string rest = text.substr(scheme.size());
  QueueUrl u;
  if (size_t at = rest.rfind('@'); at != std::string::npos) {
    std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const size_t colon = userinfo.find(':');
    if (colon != 0) return bad("give a password as redis://:PASSWORD@HOST:PORT/NAME");
    u.password = userinfo.substr(1);
  }
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) return bad("no queue name after the host");
  std::string hostport = rest.substr(0, slash);
  u.name = rest.substr(slash + 1);
  if (u.name.empty()) return bad("no queue name after the host");
  for (char c : u.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-')
      return bad("the queue name may hold only letters, digits, '.', '_' and '-'");
  if (size_t colon = hostport.rfind(':'); colon != std::string::npos) {
    const std::string p = hostport.substr(colon + 1);
    int port = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || end != p.data() + p.size() || port < 1 || port > 65535)
      return bad("bad port '" + p + "'");
    u.port = port;
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return bad("no host");
  u.host = hostport;
  return u;
}

Result<std::unique_ptr<RedisConn>> RedisConn::connect(const QueueUrl& url,
                                                      std::chrono::milliseconds timeout) {
  const std::string where = "redis " + url.host + ":" + std::to_string(url.port);
  redisContext* c = redisConnectWithTimeout(url.host.c_str(), url.port, to_timeval(timeout));
  if (!c) return Status{Errc::transient, where + ": cannot allocate a connection"};
  if (c->err) {
    Status st{Errc::transient, where + ": cannot connect (" + std::string(c->errstr) +
                                   "); is the Redis server running?"};
    redisFree(c);
    return st;
  }
  redisSetTimeout(c, to_timeval(timeout));
  std::unique_ptr<RedisConn> conn(new RedisConn(c, where));
  if (!url.password.empty()) {
    auto r = conn->command({"AUTH", url.password});
    if (!r.ok()) {
      if (r.status().code == Errc::transient) return r.status();
      return Status{Errc::access_denied, where + ": the password in the queue URL was refused"};
    }
  }
  return conn;
}

RedisConn::~RedisConn() {
  redisFree(c_);
}

void RedisConn::set_timeout(std::chrono::milliseconds timeout) {
  redisSetTimeout(c_, to_timeval(timeout));
}

Result<RedisReply> RedisConn::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  if (c_->err)
    return Status{Errc::transient, where_ + ": connection lost (" + std::string(c_->errstr) + ")"};
  auto* r = static_cast<redisReply*>(
      redisCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()));
  if (!r)
    return Status{Errc::transient, where_ + ": " + (args.empty() ? "" : args[0]) + " failed (" +
                                       std::string(c_->errstr) + ")"};
  if (r->type == REDIS_REPLY_ERROR) {
    Status st{Errc::permanent, where_ + ": " + args[0] + ": " + std::string(r->str, r->len)};
    freeReplyObject(r);
    return st;
  }
  RedisReply out = copy_reply(r);
  freeReplyObject(r);
  return out;
}

}  // namespace cpsync
