#pragma once
// The OpenAI-compatible /v1/chat/completions wire format (llama.cpp server, vLLM, ...): the
// request body, and the SSE events of a streamed reply, including tool calls streamed as
// delta.tool_calls fragments whose `arguments` arrive in pieces.
#include "core/config.hpp"
#include "llm/chat_types.hpp"
#include "llm/reply_builder.hpp"
#include "llm/sse_parser.hpp"

#include <map>

namespace pms::llm {

std::string openai_chat_body(const ChatRequest& req, const LlmConfig& cfg);

class OpenAiStreamDecoder {
 public:
  explicit OpenAiStreamDecoder(ReplyBuilder& reply) : reply_(reply) {}
  // Returns true on "data: [DONE]". Throws LlmError for an error event or data that is not JSON.
  bool apply(const SseEvent& event);
  // Hands the assembled tool calls to the reply builder.
  void finish();

 private:
  struct PartialCall {
    std::string id, name, arguments;
  };
  ReplyBuilder& reply_;
  std::map<std::int64_t, PartialCall> calls_;
};

// The message of an OpenAI-style error body ({"error": {"message": ...}}), or the body itself.
std::string openai_error_message(std::string_view body);

}  // namespace pms::llm
