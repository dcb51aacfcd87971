#include "llm/no_llm_client.hpp"

#include "llm/llm_error.hpp"

namespace pms::llm {

boost::asio::awaitable<ChatResult> NoLlmClient::chat(const ChatRequest&, StreamSink&, CancelToken*) {
  throw LlmError(LlmErrc::unreachable, "no LLM is configured (--llm none): questions are answered by the built-in question planner");
  co_return ChatResult{};
}

boost::asio::awaitable<LlmStatus> NoLlmClient::probe() {
  co_return LlmStatus{false, false, "no LLM is configured (--llm none): questions are answered by the built-in question planner", {}};
}

}  // namespace pms::llm
