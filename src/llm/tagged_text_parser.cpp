#include "llm/tagged_text_parser.hpp"

#include <array>

namespace pms::llm {

namespace {
constexpr std::string_view kThinkOpen = "<think>";
constexpr std::string_view kThinkClose = "</think>";
constexpr std::string_view kToolOpen = "<tool_call>";
constexpr std::string_view kToolClose = "</tool_call>";

// Length of the longest suffix of `s` that is a proper prefix of one of `tags`.
std::size_t partial_tag_suffix(std::string_view s, std::initializer_list<std::string_view> tags) {
  std::size_t best = 0;
  for (auto tag : tags) {
    for (std::size_t n = std::min(s.size(), tag.size() - 1); n > best; --n) {
      if (s.substr(s.size() - n) == tag.substr(0, n)) {
        best = n;
        break;
      }
    }
  }
  return best;
}
}  // namespace

void TaggedTextParser::emit(std::string_view s) {
  if (s.empty()) return;
  switch (mode_) {
    case Mode::text:
      if (trim_leading_) {
        auto start = s.find_first_not_of(" \t\r\n");
        if (start == std::string_view::npos) return;
        s.remove_prefix(start);
        trim_leading_ = false;
      }
      if (h_.text) h_.text(s);
      break;
    case Mode::think:
      if (h_.thinking) h_.thinking(s);
      break;
    case Mode::tool_call:
      tool_body_.append(s);
      break;
  }
}

void TaggedTextParser::feed(std::string_view chunk) {
  buf_.append(chunk);
  std::string_view rest = buf_;
  while (!rest.empty()) {
    if (mode_ == Mode::text) {
      auto think = rest.find(kThinkOpen);
      auto tool = rest.find(kToolOpen);
      auto next = std::min(think, tool);
      if (next == std::string_view::npos) {
        std::size_t hold = partial_tag_suffix(rest, {kThinkOpen, kToolOpen});
        emit(rest.substr(0, rest.size() - hold));
        rest = rest.substr(rest.size() - hold);
        break;
      }
      emit(rest.substr(0, next));
      bool is_think = next == think;
      rest.remove_prefix(next + (is_think ? kThinkOpen.size() : kToolOpen.size()));
      mode_ = is_think ? Mode::think : Mode::tool_call;
      tool_body_.clear();
    } else {
      auto close_tag = mode_ == Mode::think ? kThinkClose : kToolClose;
      auto close = rest.find(close_tag);
      if (close == std::string_view::npos) {
        std::size_t hold = partial_tag_suffix(rest, {close_tag});
        emit(rest.substr(0, rest.size() - hold));
        rest = rest.substr(rest.size() - hold);
        break;
      }
      emit(rest.substr(0, close));
      rest.remove_prefix(close + close_tag.size());
      if (mode_ == Mode::tool_call && h_.tool_call) h_.tool_call(tool_body_);
      tool_body_.clear();
      mode_ = Mode::text;
      trim_leading_ = true;
    }
  }
  buf_ = std::string(rest);
}

void TaggedTextParser::finish() {
  std::string rest = std::move(buf_);
  buf_.clear();
  emit(rest);
  if (mode_ == Mode::tool_call && h_.tool_call) h_.tool_call(tool_body_);
  tool_body_.clear();
  mode_ = Mode::text;
}

}  // namespace pms::llm
