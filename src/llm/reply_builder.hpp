#pragma once
// Folds the deltas of one streamed reply, whatever the wire format, into a ChatResult, and
// forwards answer text and reasoning to the sink as they arrive. Content passes through the
// TaggedTextParser, so <think> and <tool_call> text never reaches the answer.
#include "llm/chat_types.hpp"
#include "llm/tagged_text_parser.hpp"

namespace pms::llm {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(StreamSink& sink);

  void content(std::string_view delta);
  void thinking(std::string_view delta);
  void tool_call(ToolCall call);
  void completion_tokens(std::int64_t n) { result_.completion_tokens = n; }
  void finish_reason(std::string reason) { result_.finish_reason = std::move(reason); }

  ChatResult finish();

 private:
  StreamSink& sink_;
  TaggedTextParser parser_;
  ChatResult result_;
};

}  // namespace pms::llm
