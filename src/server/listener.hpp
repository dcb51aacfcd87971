#pragma once
#include "server/app_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace pms::server {

// Accepts connections until the acceptor is closed; each runs on its own strand.
boost::asio::awaitable<void> listen(boost::asio::ip::tcp::acceptor& acceptor, AppContext& app);

}  // namespace pms::server
