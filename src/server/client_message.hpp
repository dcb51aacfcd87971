#pragma once
// Parsing the frames a chat client sends (docs/protocol.md). Pure: no I/O and no Asio, so it is
// unit-tested and fuzzed on its own.
#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace pms::server {

struct ClientMessage {
  enum class Type { message, ping, cancel };
  Type type = Type::message;
  std::string text;             // type message
  std::string conversation_id;  // type message, empty: start a new conversation
  std::string mode;             // type message: "auto", "model" or "planner" for this turn; empty: the server's --answer-mode
  std::string project;          // type message: the project the turn is limited to (projectDisplayId or _id); empty: all
};

struct ProtocolError {
  std::string code;  // invalid_json, invalid_message, unknown_type, message_too_large
  std::string message;
};

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view frame, std::size_t max_bytes);

// Conversation ids are 1-128 characters of [A-Za-z0-9._:-].
bool valid_conversation_id(std::string_view id);
// Whether `mode` names an answer mode a message may ask for.
bool valid_answer_mode(std::string_view mode);
// A message's "project" (WebSocket frame or POST /api/chat body): absent, null or "" for all
// projects, else a string of at most 128 bytes put in `project`. Returns what is wrong, or "".
std::string read_project_ref(const boost::json::object& message, std::string& project);

}  // namespace pms::server
