#pragma once
// POST /api/chat: one turn answered as one JSON response ({"message", "conversation_id"?} in,
// {"response", "conversation_id", "answered_by", "timestamp"} out).
#include "server/app_context.hpp"
#include "server/http_response.hpp"
#include "server/request_scope.hpp"

#include <boost/asio/awaitable.hpp>

namespace pms::server {

boost::asio::awaitable<HttpResponse> post_chat(AppContext& app, const HttpRequest& req, RequestScope scope);

}  // namespace pms::server
