#include "llm/ndjson_splitter.hpp"

#include <stdexcept>

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
      if (pending_.size() > max_line_) throw std::length_error("a line of the LLM stream exceeds " + std::to_string(max_line_) + " bytes");
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
