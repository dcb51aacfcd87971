#include "server/client_message.hpp"

#include "core/json_util.hpp"

#include <cctype>

namespace pms::server {

bool valid_conversation_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.' && c != ':') return false;
  }
  return true;
}

bool valid_answer_mode(std::string_view mode) { return mode == "auto" || mode == "model" || mode == "planner"; }

std::string read_project_ref(const json::object& message, std::string& project) {
  auto* p = message.if_contains("project");
  if (!p || p->is_null()) return {};
  if (!p->is_string() || p->get_string().size() > 128)
    return "\"project\" must be a project's projectDisplayId or _id (at most 128 bytes), or \"\" for all projects";
  project = std::string(p->get_string());
  return {};
}

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view frame, std::size_t max_bytes) {
  if (frame.size() > max_bytes)
    return ProtocolError{"message_too_large", "messages are limited to " + std::to_string(max_bytes) + " bytes; this one has " +
                                                  std::to_string(frame.size())};
  std::string err;
  auto v = try_parse(frame, &err);
  if (!v) return ProtocolError{"invalid_json", "the message is not valid JSON: " + err};
  if (!v->is_object()) return ProtocolError{"invalid_message", "a message must be a JSON object with a \"type\""};
  auto& o = v->get_object();
  auto type = string_member(o, "type");
  if (!type) return ProtocolError{"invalid_message", "a message needs a string \"type\": message, ping or cancel"};
  ClientMessage m;
  if (*type == "ping") {
    m.type = ClientMessage::Type::ping;
  } else if (*type == "cancel") {
    m.type = ClientMessage::Type::cancel;
  } else if (*type == "message") {
    auto text = string_member(o, "message");
    if (!text || text->find_first_not_of(" \t\r\n") == std::string_view::npos)
      return ProtocolError{"invalid_message", "a \"message\" needs a non-empty string field \"message\""};
    m.text = sanitize_utf8(*text);
    if (auto* cid = o.if_contains("conversation_id"); cid && !cid->is_null()) {
      if (!cid->is_string() || !valid_conversation_id(cid->get_string()))
        return ProtocolError{"invalid_message", "conversation_id must be 1-128 characters of letters, digits, '-', '_', '.' or ':'"};
      m.conversation_id = std::string(cid->get_string());
    }
    if (auto* mode = o.if_contains("mode"); mode && !mode->is_null()) {
      if (!mode->is_string() || !valid_answer_mode(mode->get_string()))
        return ProtocolError{"invalid_message", "mode must be \"auto\", \"model\" or \"planner\""};
      m.mode = std::string(mode->get_string());
    }
    if (auto wrong = read_project_ref(o, m.project); !wrong.empty()) return ProtocolError{"invalid_message", wrong};
  } else {
    return ProtocolError{"unknown_type", "unknown message type '" + std::string(truncate_utf8(*type, 64)) + "'; use message, ping or cancel"};
  }
  return m;
}

}  // namespace pms::server
