#include "server/mcp_routes.hpp"

#include "agent/blocking_call.hpp"
#include "mcp/jsonrpc.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>

namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

constexpr std::string_view kSessionHeader = "Mcp-Session-Id";
constexpr std::string_view kVersionHeader = "MCP-Protocol-Version";

// A JSON-RPC error as an HTTP error: for what is refused before any session handles it.
HttpResponse rpc_refusal(const HttpRequest& req, http::status status, mcp::RpcErrc code, std::string_view message) {
  auto res = json_response(req, status, nullptr);
  res.body() = mcp::error_response(nullptr, code, message);
  res.prepare_payload();
  return res;
}

HttpResponse accepted(const HttpRequest& req) {
  auto res = no_content(req);
  res.result(http::status::accepted);
  res.prepare_payload();
  return res;
}

// The response to one request: an SSE stream of that one message, which ends with it.
HttpResponse reply_to(const HttpRequest& req, const std::string& message, const std::string& session_id) {
  bool sse = req[http::field::accept].find("text/event-stream") != std::string_view::npos;
  auto res = json_response(req, http::status::ok, nullptr);
  if (sse) res.set(http::field::content_type, "text/event-stream");
  if (!session_id.empty()) res.set(kSessionHeader, session_id);
  res.body() = sse ? "event: message\ndata: " + message + "\n\n" : message;
  res.prepare_payload();
  return res;
}

std::optional<HttpResponse> version_refusal(const HttpRequest& req) {
  auto version = req[kVersionHeader];
  auto supported = mcp::supported_protocol_versions();
  if (version.empty() || std::find(supported.begin(), supported.end(), version) != supported.end()) return std::nullopt;
  std::string known;
  for (auto v : supported) known += (known.empty() ? "" : ", ") + std::string(v);
  return rpc_refusal(req, http::status::bad_request, mcp::RpcErrc::invalid_request,
                     "unsupported MCP-Protocol-Version '" + std::string(version) + "'; this server speaks " + known);
}

}  // namespace

asio::awaitable<HttpResponse> mcp_post(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  const std::size_t limit = mcp::SessionOptions{}.max_message_bytes;
  auto incoming = mcp::parse_message(req.body(), limit);
  // A batch goes to its session, which takes it on 2025-03-26 and refuses it otherwise.
  if (auto* e = std::get_if<mcp::RpcError>(&incoming); e && !mcp::parse_batch(req.body(), limit))
    co_return rpc_refusal(req, http::status::bad_request, e->code, e->message);
  auto* request = std::get_if<mcp::Request>(&incoming);
  bool initialize = request && !request->notification && request->method == "initialize";
  std::shared_ptr<mcp::TenantSession> session;
  std::string new_id;
  if (initialize) {
    session = std::make_shared<mcp::TenantSession>(app.store(), app.config().tenant_field, scope.tenant, app.tools(),
                                                   [&app](const std::string& tenant) { return app.catalog(tenant); });
  } else {
    if (auto refused = version_refusal(req)) co_return std::move(*refused);
    auto id = req[kSessionHeader];
    if (id.empty())
      co_return rpc_refusal(req, http::status::bad_request, mcp::RpcErrc::invalid_request,
                            "this message needs the Mcp-Session-Id header its session's initialize answered with");
    session = app.mcp_sessions.find(id, scope.tenant);
    if (!session)
      co_return rpc_refusal(req, http::status::not_found, mcp::RpcErrc::invalid_request,
                            "no MCP session '" + std::string(id) + "' (it ended or expired): initialize a new one");
  }
  // tools/call reads the database: on the database pool, cancelled when the client goes away.
  auto reply = co_await agent::run_blocking(app.db_executor(),
                                            [&] { return session->session().handle(req.body(), scope.disconnected.get()); });
  if (!reply) co_return accepted(req);
  if (initialize && !session->session().protocol_version().empty()) new_id = app.mcp_sessions.add(session);
  co_return reply_to(req, *reply, new_id);
}

asio::awaitable<HttpResponse> mcp_delete(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto id = req[kSessionHeader];
  if (id.empty())
    co_return rpc_refusal(req, http::status::bad_request, mcp::RpcErrc::invalid_request, "DELETE /mcp needs the Mcp-Session-Id header of the session to end");
  if (!app.mcp_sessions.remove(id, scope.tenant))
    co_return rpc_refusal(req, http::status::not_found, mcp::RpcErrc::invalid_request, "no MCP session '" + std::string(id) + "'");
  co_return no_content(req);
}

}  // namespace pms::server
