// sync/events/line_source.cc — lines of a file or stdin as event messages.
#include "sync/events/line_source.h"

#include <cerrno>
#include <cstring>

namespace cpsync {

Result<std::unique_ptr<LineEventSource>> LineEventSource::open(const std::string& path,
                                                               const std::string& dead) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return Status{Errc::not_found, "--events " + path + ": " + std::strerror(errno)};
  return std::unique_ptr<LineEventSource>(new LineEventSource(f, path, dead));
}

LineEventSource::~LineEventSource() {
  if (f_ && f_ != stdin) std::fclose(f_);
}

std::string LineEventSource::describe() const {
  return path_ == "-" ? "stdin" : path_;
}

Result<std::vector<EventMessage>> LineEventSource::receive(size_t max, std::chrono::milliseconds) {
  std::vector<EventMessage> out;
  while (out.size() < max && !retry_.empty()) {
    out.push_back(std::move(retry_.front()));
    retry_.pop_front();
  }
  std::string line;
  while (out.size() < max && !eof_) {
    line.clear();
    int c;
    while ((c = std::fgetc(f_)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
    if (c == EOF) {
      if (std::ferror(f_))
        return Status{Errc::permanent, "--events " + describe() + ": " + std::strerror(errno)};
      eof_ = true;
    }
    ++line_;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    EventMessage m;
    m.id = "line " + std::to_string(line_);
    m.body = std::move(line);
    out.push_back(std::move(m));
  }
  return out;
}

Status LineEventSource::ack(const EventMessage&) {
  return Status::OK();
}

Status LineEventSource::retry_later(const EventMessage& m) {
  EventMessage again = m;
  ++again.deliveries;
  retry_.push_back(std::move(again));
  return Status::OK();
}

Status LineEventSource::dead_letter(const EventMessage& m, const std::string&) {
  if (dead_path_.empty()) return Status::OK();
  FILE* f = std::fopen(dead_path_.c_str(), "ab");
  if (!f)
    return Status{Errc::permanent, "--dead-letter " + dead_path_ + ": " + std::strerror(errno)};
  const bool ok = std::fwrite(m.body.data(), 1, m.body.size(), f) == m.body.size() &&
                  std::fputc('\n', f) != EOF;
  const bool closed = std::fclose(f) == 0;
  if (!ok || !closed)
    return Status{Errc::permanent, "--dead-letter " + dead_path_ + ": write failed"};
  return Status::OK();
}

}  // namespace cpsync
