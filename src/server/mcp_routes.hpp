#pragma once
// MCP's Streamable HTTP transport at /mcp (route_table.hpp puts it behind the same Host, Origin,
// token and tenant checks as /api/*). POST carries one JSON-RPC message: an initialize opens a
// session (its id in the Mcp-Session-Id header, bound to the request's tenant), every later
// message names it; a request is answered as an SSE stream holding its response (or as JSON when
// the client does not accept SSE), a notification with 202. DELETE ends a session. There is no
// GET stream: this server sends no requests or notifications of its own (405).
#include "server/route_table.hpp"

namespace pms::server {

boost::asio::awaitable<HttpResponse> mcp_post(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view);
boost::asio::awaitable<HttpResponse> mcp_delete(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view);

}  // namespace pms::server
