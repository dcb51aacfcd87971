#pragma once
// The REST routes: /health, /api/status, /api/chat, /api/databases, /api/collections and
// /api/conversations[/{id}]. Every answer is JSON; a handler never throws (bad input is 4xx,
// anything unexpected 500, both with {"error": {"code", "message"}}).
#include "server/app_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace pms::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

boost::asio::awaitable<HttpResponse> handle_http_request(AppContext& app, const HttpRequest& req);

// A JSON error response, also used by the session for requests it refuses itself.
HttpResponse error_response(const HttpRequest& req, boost::beast::http::status status, std::string_view code,
                            std::string_view message);

}  // namespace pms::server
