#pragma once
// What the agent and the LLM clients exchange, independent of any wire format.
#include "core/json_util.hpp"

#include <cstdint>
#include <memory>
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

// The tools requests offer, with their JSON as both wires write it ({"type": "function",
// "function": {name, description, parameters}}) serialized once: the same tools go into every
// request of every turn, and their schemas are most of a request's JSON.
class ToolSet {
 public:
  explicit ToolSet(std::vector<ToolSpec> specs);
  const std::vector<ToolSpec>& specs() const { return specs_; }
  const std::string& json_array() const { return json_; }

 private:
  std::vector<ToolSpec> specs_;
  std::string json_;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  std::shared_ptr<const ToolSet> tools;  // null or none: the model must answer in text
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

// `body` serialized with the tools' "tools" array added when there are any.
std::string with_tools(const json::object& body, const ToolSet* tools);

// JSON forms used to persist messages and to show them through the API.
json::object to_json(const ChatMessage& m);
ChatMessage message_from_json(const json::object& o);

// Reads a tool call's arguments from text: JSON object, or an error kept in `arguments_error`.
void set_arguments_from_text(ToolCall& call, std::string_view text);

}  // namespace pms::llm
