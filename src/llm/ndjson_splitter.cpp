#include "llm/ndjson_splitter.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

namespace {
void deliver(std::string_view line, const std::function<void(std::string_view)>& on_line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.find_first_not_of(" \t") != std::string_view::npos) on_line(line);
}
}  // namespace

void NdjsonSplitter::feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line) {
  while (!bytes.empty()) {
    auto nl = bytes.find('\n');
    if (nl == std::string_view::npos) {
      pending_.append(bytes);
      if (pending_.size() > max_line_) {
        std::string().swap(pending_);  // a splitter kept after the error holds no megabytes
        throw LlmError(LlmErrc::stream_error, "the LLM server sent a line longer than " + describe_size(max_line_) +
                                                  " (a reply streams in short lines): the reply was stopped");
      }
      return;
    }
    if (pending_.empty()) {
      deliver(bytes.substr(0, nl), on_line);
    } else {
      pending_.append(bytes.substr(0, nl));
      deliver(pending_, on_line);
      pending_.clear();
    }
    bytes.remove_prefix(nl + 1);
  }
}

void NdjsonSplitter::finish(const std::function<void(std::string_view)>& on_line) {
  if (!pending_.empty()) deliver(pending_, on_line);
  pending_.clear();
}

}  // namespace pms::llm
