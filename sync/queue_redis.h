// sync/queue_redis.h — one connection to a Redis server through hiredis, and the queue URL
// (redis://[:PASSWORD@]HOST:PORT/NAME). Replies are copied into plain values, so no hiredis
// type leaves this file pair. A RedisConn is used by one thread at a time; open one per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

struct redisContext;

namespace cpsync {

struct QueueUrl {
  std::string host;
  int port = 6379;
  std::string password;  // from redis://:PASSWORD@...; never printed
  std::string name;      // the job's name: the Redis keys are cpsync:NAME:*
  // "redis://HOST:PORT/NAME", without the password: for messages.
  std::string display() const;
};

// Errc::invalid_argument with one line naming the problem for anything but
// redis://[:PASSWORD@]HOST[:PORT]/NAME with NAME of letters, digits and ._-
Result<QueueUrl> parse_queue_url(const std::string& text);

struct RedisReply {
  enum class Type { nil, string, integer, array, status };
  Type type = Type::nil;
  std::string str;  // string and status replies
  long long integer = 0;
  std::vector<RedisReply> elements;  // array replies

  bool is_nil() const { return type == Type::nil; }
};

class RedisConn {
 public:
  // Connects (and AUTHs) within timeout. Errc::transient naming the server when it is
  // unreachable, Errc::access_denied when the password is refused.
  static Result<std::unique_ptr<RedisConn>> connect(const QueueUrl& url,
                                                    std::chrono::milliseconds timeout);
  ~RedisConn();
  RedisConn(const RedisConn&) = delete;
  RedisConn& operator=(const RedisConn&) = delete;

  // Runs one command (binary-safe arguments). A Redis error reply is Errc::permanent with
  // the server's text (e.g. "BUSYGROUP ..."); a broken connection is Errc::transient.
  // After a transport error the connection is dead: open a new one.
  Result<RedisReply> command(const std::vector<std::string>& args);
  // The read timeout for later commands (blocking reads need more than their BLOCK time).
  void set_timeout(std::chrono::milliseconds timeout);

 private:
  RedisConn(redisContext* c, std::string where) : c_(c), where_(std::move(where)) {}
  redisContext* c_;
  std::string where_;  // "redis 127.0.0.1:6379", for messages
};

}  // namespace cpsync
