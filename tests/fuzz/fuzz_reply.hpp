#pragma once
// Runs a stream decoder into a ReplyBuilder and records everything it produced, for comparing
// the results of two chunkings. Only LlmError may escape a decoder; anything else is a bug.
#include "llm/llm_error.hpp"
#include "llm/reply_builder.hpp"

#include <functional>
#include <string>
#include <vector>

namespace pms::fuzz {

struct Reply {
  std::string streamed_content, streamed_thinking;  // what the sink saw, in order
  std::string content, thinking;
  std::vector<std::string> tool_calls;  // name, arguments and argument error of each
  std::string error;                    // the LlmError, if the stream was refused
  bool operator==(const Reply&) const = default;
};

inline Reply collect_reply(const std::function<void(llm::ReplyBuilder&)>& decode) {
  struct Sink : llm::StreamSink {
    Reply* r;
    void on_content(std::string_view t) override { r->streamed_content.append(t); }
    void on_thinking(std::string_view t) override { r->streamed_thinking.append(t); }
  };
  Reply r;
  Sink sink;
  sink.r = &r;
  llm::ReplyBuilder builder(sink);
  try {
    decode(builder);
    auto result = builder.finish();
    r.content = result.content;
    r.thinking = result.thinking;
    for (auto& c : result.tool_calls) r.tool_calls.push_back(c.id + '|' + c.name + '|' + dump(c.arguments) + '|' + c.arguments_error);
  } catch (const llm::LlmError& e) {
    r.error = e.what();
  }
  return r;
}

}  // namespace pms::fuzz
