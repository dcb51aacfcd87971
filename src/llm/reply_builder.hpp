#pragma once
// Folds the deltas of one streamed reply, whatever the wire format, into a ChatResult, and
// forwards answer text and reasoning to the sink as they arrive. Content passes through the
// TaggedTextParser, so <think> and <tool_call> text never reaches the answer.
// What one reply may hold is bounded (stream_limits.hpp): past `max_reply` bytes of content,
// reasoning and tool calls the builder throws LlmError(stream_error), which stops the stream.
#include "llm/chat_types.hpp"
#include "llm/stream_limits.hpp"
#include "llm/tagged_text_parser.hpp"

namespace pms::llm {

class ReplyBuilder {
 public:
  explicit ReplyBuilder(StreamSink& sink, std::size_t max_reply = kMaxReplyBytes);

  void content(std::string_view delta);
  void thinking(std::string_view delta);
  // The wire decoder counts the bytes a call was read from with account(): only it knows them.
  // Arguments beyond kMaxToolArgumentsBytes are replaced by an arguments_error.
  void tool_call(ToolCall call);
  void completion_tokens(std::int64_t n) { result_.completion_tokens = n; }
  void finish_reason(std::string reason) { result_.finish_reason = std::move(reason); }
  // Counts `bytes` more of the reply against the bound; throws LlmError(stream_error) past it.
  void account(std::size_t bytes);

  ChatResult finish();

 private:
  void forward_content(std::string_view text);
  void forward_thinking(std::string_view text);
  StreamSink& sink_;
  TaggedTextParser parser_;
  ChatResult result_;
  std::size_t max_reply_;
  std::size_t used_ = 0;
};

}  // namespace pms::llm
