#pragma once
// The REST routes: /health, /api/status, /api/chat, /api/databases, /api/collections and
// /api/conversations[/{id}]. Every answer is JSON; a handler never throws (bad input is 4xx,
// anything unexpected 500, both with {"error": {"code", "message"}}).
#include "server/app_context.hpp"

#include <boost/asio/awaitable.hpp>
#include "server/http_response.hpp"

namespace pms::server {

boost::asio::awaitable<HttpResponse> handle_http_request(AppContext& app, const HttpRequest& req);

}  // namespace pms::server
