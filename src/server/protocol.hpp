#pragma once
// The WebSocket chat protocol (docs/protocol.md): parsing client frames and building server
// events. Pure functions, no I/O. Every event carries "type" and an ISO-8601 UTC "timestamp".
#include "agent/agent.hpp"
#include "core/json_util.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace pms::server {

struct ClientMessage {
  enum class Type { message, ping, cancel };
  Type type = Type::message;
  std::string text;             // type message
  std::string conversation_id;  // type message, empty: start a new conversation
};

struct ProtocolError {
  std::string code;  // invalid_json, invalid_message, unknown_type, message_too_large
  std::string message;
};

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view frame, std::size_t max_bytes);

// Conversation ids are 1-128 characters of [A-Za-z0-9._:-].
bool valid_conversation_id(std::string_view id);

namespace event {
std::string connected(std::string_view client_id);
std::string user_message(std::string_view content, std::string_view conversation_id);
std::string queued(int position);
std::string llm_start(int step);
std::string token(std::string_view content);
std::string thinking(std::string_view content);
std::string llm_end(double elapsed_s);
std::string tool_start(std::string_view tool, const json::value& arguments);
std::string tool_end(std::string_view tool, std::string_view output, double elapsed_ms, bool ok);
std::string complete(const agent::TurnOutcome& outcome);
std::string error(std::string_view code, std::string_view message, std::string_view conversation_id = {});
std::string pong();
}  // namespace event

}  // namespace pms::server
