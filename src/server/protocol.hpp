#pragma once
// The events the server sends on the WebSocket chat (docs/protocol.md). Pure functions, no I/O.
// Every event carries "type" and an ISO-8601 UTC "timestamp".
#include "agent/agent.hpp"
#include "core/json_util.hpp"
#include "server/client_message.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pms::server {

// Where a list answer's page is in the whole list ({offset, shown, total, next}), when it is one of more.
std::optional<json::object> page(const agent::TurnOutcome& outcome);
// POST /api/chat's answer: response, conversation_id, answered_by, timestamp, and page.
json::object answer_body(const agent::TurnOutcome& outcome);

namespace event {
std::string connected(std::string_view client_id);
std::string user_message(std::string_view content, std::string_view conversation_id);
std::string queued(int position);
std::string llm_start(int step);
std::string token(std::string_view content);
std::string thinking(std::string_view content);
std::string llm_end(double elapsed_s);
std::string tool_start(std::string_view tool, const json::value& arguments, const json::object& names = {});
std::string tool_end(std::string_view tool, std::string_view output, double elapsed_ms, bool ok);
std::string complete(const agent::TurnOutcome& outcome);
std::string error(std::string_view code, std::string_view message, std::string_view conversation_id = {});
std::string pong();
}  // namespace event

}  // namespace pms::server
