#pragma once
// What the agent and the LLM clients exchange, independent of any wire format.
#include "core/json_util.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pms::llm {

struct ToolCall {
  std::string id;  // assigned by the server (OpenAI) or by us (Ollama, text tool calls)
  std::string name;
  json::value arguments;  // an object when the model wrote valid JSON
  std::string arguments_error;  // why `arguments` could not be read, if it could not
};

struct ChatMessage {
  std::string role;  // "system", "user", "assistant", "tool"
  std::string content;
  std::vector<ToolCall> tool_calls;  // assistant messages that call tools
  std::string tool_name;             // tool messages: which tool answered
  std::string tool_call_id;          // tool messages: which call they answer
};

struct ToolSpec {
  std::string name;
  std::string description;
  json::object parameters;  // JSON Schema
};

// The JSON Schema a reply's content must match (constrained decoding), and its name (OpenAI's
// json_schema.name: letters, digits, '_' and '-').
struct ResponseSchema {
  std::string name;
  json::object schema;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  std::vector<ToolSpec> tools;  // empty: the model must answer in text
  // Set: the reply's content must be JSON matching this JSON Schema (constrained decoding: Ollama's
  // `format`, OpenAI's `response_format` json_schema, which llama.cpp and vLLM enforce).
  std::optional<ResponseSchema> response_schema;
};

// Receives a reply while it streams. Content never contains reasoning or tool-call markup.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual void on_content(std::string_view text) = 0;
  virtual void on_thinking(std::string_view text) = 0;
};

struct ChatResult {
  std::string content;
  std::string thinking;
  std::vector<ToolCall> tool_calls;
  std::int64_t completion_tokens = -1;  // as reported by the server, -1 if it did not
  std::string finish_reason;
};

// `body` serialized with "tools" (as both wires write them: {"type": "function", "function": {name,
// description, parameters}}) added when there are any. The schemas are serialized where they are,
// not copied into the body: they are most of a request's JSON, and the same for every call.
std::string with_tools(const json::object& body, const std::vector<ToolSpec>& tools);

// JSON forms used to persist messages and to show them through the API.
json::object to_json(const ChatMessage& m);
ChatMessage message_from_json(const json::object& o);

// Reads a tool call's arguments from text: JSON object, or an error kept in `arguments_error`.
void set_arguments_from_text(ToolCall& call, std::string_view text);

}  // namespace pms::llm
