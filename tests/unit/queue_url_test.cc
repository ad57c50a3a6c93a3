// tests/unit/queue_url_test.cc — the --queue URL parser (what it accepts, the one-line
// errors, a password never echoed) and the task batch encoding round trip.
#include <catch2/catch.hpp>

#include "sync/queue.h"
#include "sync/queue_redis.h"

using namespace cpsync;

TEST_CASE("queue URL: host, port, name and an optional password", "[queue]") {
  auto u = parse_queue_url("redis://127.0.0.1:6380/logs-2026");
  REQUIRE(u.ok());
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 6380);
  CHECK(u->name == "logs-2026");
  CHECK(u->password.empty());
  CHECK(u->display() == "redis://127.0.0.1:6380/logs-2026");
  auto d = parse_queue_url("redis://redis/q.1_x");
  REQUIRE(d.ok());
  CHECK(d->port == 6379);
  auto p = parse_queue_url("redis://:s3cret@redis:6379/q");
  REQUIRE(p.ok());
  CHECK(p->password == "s3cret");
  CHECK(p->display().find("s3cret") == std::string::npos);
}

TEST_CASE("queue URL: bad ones are one-line usage errors", "[queue]") {
  for (const auto& [text, why] : std::vector<std::pair<std::string, std::string>>{
           {"http://h:1/q", "not a redis:// URL"},
           {"redis://h:1", "no queue name"},
           {"redis://h:1/", "no queue name"},
           {"redis://h:x/q", "bad port 'x'"},
           {"redis://h:70000/q", "bad port"},
           {"redis://:1/q", "no host"},
           {"redis://h/a/b", "only letters, digits"},
           {"redis://user:pw@h/q", "give a password as"},
       }) {
    auto u = parse_queue_url(text);
    INFO(text);
    REQUIRE(!u.ok());
    CHECK(u.status().code == Errc::invalid_argument);
    CHECK(u.status().message.find(why) != std::string::npos);
    CHECK(u.status().message.find('\n') == std::string::npos);
    CHECK(u.status().message.find("pw") == std::string::npos);
  }
}

TEST_CASE("queue batches: encode and decode keep every field", "[queue]") {
  QueueTask a;
  a.info.key = "dir/\xc3\xa9t\xc3\xa9.txt";
  a.info.size = 1234567890123;
  a.info.mtime = TimePoint(std::chrono::nanoseconds(1765432109876543210));
  a.info.mtime_from_metadata = true;
  a.info.etag = "abc-2";
  a.info.md5 = "d41d8cd98f00b204e9800998ecf8427e";
  a.attempts = 2;
  a.error = "not_found: gone";
  QueueTask b;
  b.op = QueueTask::Op::remove;
  b.info.key = "extra";
  auto text = encode_batch({a, b});
  REQUIRE(text.ok());
  auto back = decode_batch(*text);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);
  const QueueTask& x = (*back)[0];
  CHECK(x.op == QueueTask::Op::copy);
  CHECK(x.info.key == a.info.key);
  CHECK(x.info.size == a.info.size);
  CHECK(x.info.mtime == a.info.mtime);
  CHECK(x.info.mtime_from_metadata);
  CHECK(x.info.etag == "abc-2");
  CHECK(x.info.md5 == a.info.md5);
  CHECK(x.attempts == 2);
  CHECK(x.error == a.error);
  CHECK((*back)[1].op == QueueTask::Op::remove);
  CHECK(!(*back)[1].info.md5);
  QueueTask bad;
  bad.info.key = "\xff\xfe";
  CHECK(encode_batch({bad}).status().code == Errc::invalid_argument);
  CHECK(decode_batch("[{\"op\":1}]").status().code == Errc::corrupt);
}

TEST_CASE("a part task carries its upload, part size and number through JSON", "[queue]") {
  QueueTask p;
  p.op = QueueTask::Op::part;
  p.info.key = "big/video.mp4";
  p.info.size = 23 * 1024 * 1024;
  p.info.etag = "e1-5";
  p.info.md5 = "0123456789abcdef0123456789abcdef";
  p.part = QueuePart{"7", "2~upload.id/with+chars", 5 * 1024 * 1024, 3, 5};
  auto text = encode_batch({p});
  REQUIRE(text.ok());
  auto back = decode_batch(*text);
  REQUIRE(back.ok());
  REQUIRE(back->size() == 1);
  const QueueTask& x = (*back)[0];
  CHECK(x.op == QueueTask::Op::part);
  CHECK(x.part.upload == "7");
  CHECK(x.part.handle == p.part.handle);
  CHECK(x.part.part_size == p.part.part_size);
  CHECK(x.part.number == 3);
  CHECK(x.part.count == 5);
  CHECK(x.info.md5 == p.info.md5);
  // A part number outside 1..count is not a task cpsync wrote.
  CHECK(decode_batch(R"([{"op":"part","key":"k","size":1,"mtime":0,"upload":"1","handle":"h",)"
                     R"("part_size":5,"part":6,"parts":5}])")
            .status()
            .code == Errc::corrupt);
}
