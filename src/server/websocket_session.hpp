#pragma once
#include "server/app_context.hpp"
#include "server/http_routes.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace pms::server {

// Accepts the WebSocket upgrade `upgrade` on `stream` and runs the chat protocol until the
// client goes away. A running answer is cancelled (upstream LLM connection closed) on disconnect.
// `tenant`: the business this connection may see (empty: the whole database).
boost::asio::awaitable<void> run_websocket_session(boost::beast::tcp_stream stream, HttpRequest upgrade, AppContext& app,
                                                   std::string tenant);

}  // namespace pms::server
