#pragma once
#include "server/app_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace pms::server {

// Serves HTTP/1.1 requests on one connection (keep-alive) until it closes or upgrades to the
// WebSocket chat at /ws/chat.
boost::asio::awaitable<void> run_http_session(boost::beast::tcp_stream stream, AppContext& app);

}  // namespace pms::server
