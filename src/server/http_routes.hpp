#pragma once
// The edge every HTTP request and WebSocket upgrade passes, in this order: the Host allowlist
// (421 host_not_allowed), the Origin of state-changing requests (403 origin_not_allowed), CORS
// preflights, the token (401 unauthorized), the tenant (401 tenant_required), the JSON content type
// of API bodies (415 unsupported_media_type); then the route table (route_table.hpp), the web UI's
// files, or 404/405. Handlers' exceptions become client errors ({"error": {"code", "message"}}).
#include "server/app_context.hpp"
#include "server/http_response.hpp"
#include "server/request_scope.hpp"

#include <boost/asio/awaitable.hpp>

#include <variant>

namespace pms::server {

// `disconnected` fires when the client goes away while the answer is being prepared.
boost::asio::awaitable<Reply> handle_http_request(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected);

// A WebSocket upgrade to /ws/chat passes the same checks: the scope it may open, or the refusal.
std::variant<RequestScope, HttpResponse> admit_websocket(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected);

}  // namespace pms::server
