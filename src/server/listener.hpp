#pragma once
#include "server/app_context.hpp"
#include "server/io_threads.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace pms::server {

// Accepts connections until the acceptor is closed; each runs on the I/O thread `threads` gives it.
boost::asio::awaitable<void> listen(boost::asio::ip::tcp::acceptor& acceptor, IoThreads& threads, AppContext& app);

}  // namespace pms::server
