#include "mcp/jsonrpc.hpp"

namespace pms::mcp {

namespace {

// JSON-RPC allows a string, a number or null as an id; MCP narrows it to a string or an integer.
bool valid_id(const json::value& id) { return id.is_string() || id.is_int64() || id.is_uint64(); }

}  // namespace

Incoming parse_message(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes)
    return RpcError{RpcErrc::invalid_request, "the message is over the limit of " + std::to_string(max_bytes) + " bytes", nullptr};
  std::string err;
  auto parsed = try_parse(text, &err);
  if (!parsed) return RpcError{RpcErrc::parse_error, "not valid JSON: " + err, nullptr};
  return read_message(*parsed);
}

std::optional<json::array> parse_batch(std::string_view text, std::size_t max_bytes) {
  if (text.size() > max_bytes) return std::nullopt;
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || text[start] != '[') return std::nullopt;
  auto parsed = try_parse(text);
  if (!parsed || !parsed->is_array() || parsed->get_array().empty()) return std::nullopt;
  return std::move(parsed->get_array());
}

Incoming read_message(const json::value& message) {
  if (message.is_array())
    return RpcError{RpcErrc::invalid_request,
                    "JSON-RPC batches are not supported from MCP 2025-06-18 on (nor inside a batch): send one message at a time", nullptr};
  if (!message.is_object()) return RpcError{RpcErrc::invalid_request, "a JSON-RPC message must be a JSON object", nullptr};
  auto& msg = message.get_object();
  const json::value* id = msg.if_contains("id");
  json::value reply_id = id && valid_id(*id) ? *id : json::value(nullptr);
  auto version = string_member(msg, "jsonrpc");
  if (!version || *version != "2.0") return RpcError{RpcErrc::invalid_request, "\"jsonrpc\" must be \"2.0\"", reply_id};
  if (id && !valid_id(*id)) return RpcError{RpcErrc::invalid_request, "\"id\" must be a string or an integer", nullptr};
  const json::value* method = msg.if_contains("method");
  if (!method) {
    if (id && (msg.contains("result") || msg.contains("error"))) return NoReply{};
    return RpcError{RpcErrc::invalid_request, "a request needs a \"method\"", reply_id};
  }
  if (!method->is_string() || method->get_string().empty())
    return RpcError{RpcErrc::invalid_request, "\"method\" must be a non-empty string", reply_id};
  Request req;
  req.id = reply_id;
  req.notification = id == nullptr;
  req.method = std::string(method->get_string());
  if (const json::value* params = msg.if_contains("params")) {
    if (!params->is_object()) {
      if (req.notification) return NoReply{};
      return RpcError{RpcErrc::invalid_params, "\"params\" must be an object", reply_id};
    }
    req.params = params->get_object();
  }
  return req;
}

std::string result_response(const json::value& id, json::value result) {
  return dump(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

std::string error_response(const json::value& id, RpcErrc code, std::string_view message) {
  return dump(json::object{{"jsonrpc", "2.0"},
                           {"id", id},
                           {"error", json::object{{"code", static_cast<int>(code)}, {"message", message}}}});
}

}  // namespace pms::mcp
