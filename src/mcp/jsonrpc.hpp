#pragma once
// JSON-RPC 2.0 as MCP uses it: one message is one JSON object (batch arrays were removed from MCP
// in revision 2025-06-18; only a session on 2025-03-26 takes them). Pure: no I/O.
#include "core/json_util.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace pms::mcp {

// The error codes of JSON-RPC 2.0.
enum class RpcErrc : int {
  parse_error = -32700,
  invalid_request = -32600,
  method_not_found = -32601,
  invalid_params = -32602,
  internal_error = -32603,
};

// A request (has an id: it gets a response) or a notification (no id: it never does).
struct Request {
  json::value id;  // a string or an integer; null for a notification
  bool notification = false;
  std::string method;
  json::object params;  // {} when absent
};

// A message that gets no reply: a response (this server sends no requests) or a malformed
// notification (a notification is never answered, not even with an error).
struct NoReply {};

// The message could not be taken as a request; `id` is the request's id when it could be read.
struct RpcError {
  RpcErrc code;
  std::string message;
  json::value id;  // null when unknown
};

using Incoming = std::variant<Request, NoReply, RpcError>;

// Reads one message of at most `max_bytes`; a batch array is an error. Never throws.
Incoming parse_message(std::string_view text, std::size_t max_bytes);
// One message already parsed (a member of a batch). Never throws.
Incoming read_message(const json::value& message);
// The members of a non-empty batch array of at most `max_bytes`, for a session on 2025-03-26 (the
// last revision with batches); nullopt when `text` is anything else.
std::optional<json::array> parse_batch(std::string_view text, std::size_t max_bytes);

// A response line (no trailing newline).
std::string result_response(const json::value& id, json::value result);
std::string error_response(const json::value& id, RpcErrc code, std::string_view message);

}  // namespace pms::mcp
