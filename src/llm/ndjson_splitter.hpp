#pragma once
// Splits a byte stream into lines (Ollama's NDJSON), whatever the chunk boundaries.
#include "llm/stream_limits.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace pms::llm {

class NdjsonSplitter {
 public:
  explicit NdjsonSplitter(std::size_t max_line = kMaxStreamEventBytes) : max_line_(max_line) {}

  // Calls `on_line` for every complete, non-blank line (without its "\n" or "\r\n").
  // Throws LlmError(stream_error) when a line grows beyond the limit.
  void feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);
  // Delivers a last line that had no newline.
  void finish(const std::function<void(std::string_view)>& on_line);

 private:
  std::string pending_;
  std::size_t max_line_;
};

}  // namespace pms::llm
