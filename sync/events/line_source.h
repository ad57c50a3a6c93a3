// sync/events/line_source.h — event messages from a file or stdin ("-"), one message (an
// event or a batch) per line, so any queue consumer can pipe into `cpsync replicate`. A
// failed line is tried again at once, up to the replicator's attempts; dead letters are
// appended to a file, one line each (replayable as input), when one is given. One thread.
#pragma once

#include <cstdio>
#include <deque>
#include <memory>
#include <string>

#include "sync/events/event_source.h"

namespace cpsync {

class LineEventSource : public EventSource {
 public:
  // Errc::not_found naming the file when it cannot be opened.
  static Result<std::unique_ptr<LineEventSource>> open(const std::string& path,
                                                       const std::string& dead_letter_path);
  ~LineEventSource() override;

  std::string describe() const override;
  Result<std::vector<EventMessage>> receive(size_t max, std::chrono::milliseconds wait) override;
  bool finished() const override { return eof_ && retry_.empty(); }
  Status ack(const EventMessage& m) override;
  Status retry_later(const EventMessage& m) override;
  Status dead_letter(const EventMessage& m, const std::string& reason) override;
  std::string dead_letter_place() const override { return dead_path_; }

 private:
  LineEventSource(FILE* f, std::string path, std::string dead)
      : f_(f), path_(std::move(path)), dead_path_(std::move(dead)) {}
  FILE* f_;
  std::string path_;
  std::string dead_path_;
  bool eof_ = false;
  uint64_t line_ = 0;
  std::deque<EventMessage> retry_;
};

}  // namespace cpsync
