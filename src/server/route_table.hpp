#pragma once
// The REST API as a table: one line per method and path. http_routes.cpp matches requests against
// it behind the checks every request passes (Host, Origin, CORS, token, tenant, content type), so
// a handler only does its own work and may throw: the wrapper maps exceptions to client errors.
#include "server/app_context.hpp"
#include "server/http_response.hpp"
#include "server/request_scope.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <span>
#include <string_view>

namespace pms::server {

// `param`: the path segments the route's '*'s stand for, joined by '/' ("c1" for
// "/api/conversations/*", "c1/3" for "/api/conversations/*/messages/*/feedback").
using RouteHandler = boost::asio::awaitable<HttpResponse> (*)(AppContext& app, const HttpRequest& req, RequestScope scope,
                                                            std::string_view param);

struct Route {
  boost::beast::http::verb method;
  std::string_view path;  // exact, but for '*' segments: each matches one non-empty segment
  RouteHandler handler;
};

// /health, every /api/* route and MCP's /mcp. Routes under /api/ and /mcp need the token (when
// configured) and a tenant (when tenants are configured); /health needs neither.
std::span<const Route> api_routes();
// GET /api/entities/<kind>/<id>: a thing an answer names, for the chat's detail panel (entity_routes.cpp).
std::span<const Route> entity_routes();

}  // namespace pms::server
