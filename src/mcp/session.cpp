#include "mcp/session.hpp"

#include "core/log.hpp"
#include "core/time_util.hpp"
#include "mcp/jsonrpc.hpp"
#include "store/query/query_error.hpp"

#include <algorithm>

namespace pms::mcp {

namespace {

// A request that is answered with a JSON-RPC error instead of a result.
struct RequestError {
  RpcErrc code;
  std::string message;
};

constexpr std::string_view kInstructions =
    "Read-only access to the project-management data this server may show (projects, work items, cycles, modules, epics, "
    "features, user stories, pages, members). Ask questions in words with ask_pms; resolve a name or display number to "
    "ids with find_entity; learn the fields with list_collections and collection_schema; then count_documents, "
    "find_documents, distinct_values and aggregate take MongoDB filters and pipelines.";

json::value initialize_result(const json::object& params, std::string& negotiated) {
  auto asked = string_member(params, "protocolVersion");
  if (!asked) throw RequestError{RpcErrc::invalid_params, "initialize needs \"protocolVersion\" (a string, e.g. \"2025-11-25\")"};
  auto versions = supported_protocol_versions();
  bool known = std::find(versions.begin(), versions.end(), *asked) != versions.end();
  negotiated = std::string(known ? *asked : versions.front());
  return json::object{{"protocolVersion", negotiated},
                      {"capabilities", json::object{{"tools", json::object{{"listChanged", false}}}}},
                      {"serverInfo", json::object{{"name", "pms-assistant"}, {"title", "PMS Assistant"}, {"version", PMS_VERSION}}},
                      {"instructions", kInstructions}};
}

json::value call_result(const Toolbox& toolbox, const json::object& params, const CancelToken* cancel) {
  auto name = string_member(params, "name");
  if (!name) throw RequestError{RpcErrc::invalid_params, "tools/call needs \"name\" (a string)"};
  static const json::object no_arguments;
  const json::object* args = &no_arguments;
  if (auto* a = params.if_contains("arguments"); a && !a->is_null()) {
    if (!a->is_object()) throw RequestError{RpcErrc::invalid_params, "\"arguments\" must be an object"};
    args = &a->get_object();
  }
  auto started = SteadyClock::now();
  auto result = toolbox.call(*name, *args, cancel);
  if (!result) {
    std::string names;
    for (auto& t : toolbox.list()) names += (names.empty() ? "" : ", ") + std::string(t.at("name").as_string());
    throw RequestError{RpcErrc::invalid_params, "unknown tool '" + std::string(*name) + "'; the tools are: " + names};
  }
  spdlog::debug("MCP tools/call {}: {} in {:.1f} ms", *name, result->is_error ? "error" : "ok", elapsed_ms(started));
  json::array content{json::object{{"type", "text"}, {"text", result->text}}};
  return json::object{{"content", std::move(content)}, {"structuredContent", std::move(result->structured)}, {"isError", result->is_error}};
}

}  // namespace

std::span<const std::string_view> supported_protocol_versions() {
  static constexpr std::string_view versions[] = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return versions;
}

Session::Session(const Toolbox& toolbox, SessionOptions options) : toolbox_(toolbox), options_(options) {}

std::optional<std::string> Session::handle(std::string_view message, const CancelToken* cancel) {
  if (protocol_version_ == "2025-03-26") {
    if (auto batch = parse_batch(message, options_.max_message_bytes)) {
      std::string replies;
      for (auto& m : *batch) {
        if (auto reply = handle_one(read_message(m), cancel)) replies += (replies.empty() ? "[" : ",") + *reply;
      }
      if (replies.empty()) return std::nullopt;  // notifications only
      return replies + "]";
    }
  }
  return handle_one(parse_message(message, options_.max_message_bytes), cancel);
}

std::optional<std::string> Session::handle_one(const Incoming& in, const CancelToken* cancel) {
  if (auto* e = std::get_if<RpcError>(&in)) return error_response(e->id, e->code, e->message);
  auto* req = std::get_if<Request>(&in);
  if (!req || req->notification) return std::nullopt;  // notifications/initialized, notifications/cancelled, ...: nothing to say
  try {
    return result_response(req->id, dispatch(*req, cancel));
  } catch (const RequestError& e) {
    return error_response(req->id, e.code, e.message);
  } catch (const store::QueryCancelled&) {
    return std::nullopt;  // the client cancelled it and expects no response
  } catch (const std::exception& e) {
    spdlog::error("MCP {} failed: {}", req->method, e.what());
    return error_response(req->id, RpcErrc::internal_error, "internal error (the details are in the server log)");
  }
}

json::value Session::dispatch(const Request& req, const CancelToken* cancel) {
  if (req.method == "initialize") {
    if (!protocol_version_.empty()) throw RequestError{RpcErrc::invalid_request, "the session is already initialized"};
    return initialize_result(req.params, protocol_version_);
  }
  if (req.method == "ping") return json::object{};
  if (req.method == "tools/list") return json::object{{"tools", toolbox_.list()}};
  if (req.method == "tools/call") return call_result(toolbox_, req.params, cancel);
  throw RequestError{RpcErrc::method_not_found, "method '" + req.method + "' is not supported; this server has tools only: "
                                                "initialize, ping, tools/list, tools/call"};
}

}  // namespace pms::mcp
