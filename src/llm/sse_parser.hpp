#pragma once
// Server-Sent Events as the WHATWG spec defines them (lines end in CR, LF or CRLF; "data:" lines
// accumulate; a blank line dispatches; ":" lines are comments), fed arbitrary chunks.
#include "llm/stream_limits.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace pms::llm {

struct SseEvent {
  std::string event;  // "message" when the stream names none
  std::string data;
  std::string id;
};

class SseParser {
 public:
  explicit SseParser(std::size_t max_event = kMaxStreamEventBytes) : max_event_(max_event) {}
  // Throws LlmError(stream_error) when one event grows beyond the limit.
  void feed(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event);

 private:
  void line(std::string_view l, const std::function<void(const SseEvent&)>& on_event);
  std::string line_;
  bool skip_lf_ = false;  // the previous chunk ended in CR: a leading LF belongs to it
  bool has_data_ = false;
  SseEvent current_;
  std::size_t max_event_;
};

}  // namespace pms::llm
