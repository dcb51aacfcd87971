#include "server/listener.hpp"

#include "core/log.hpp"
#include "server/http_session.hpp"
#include "server/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace pms::server {

namespace asio = boost::asio;

asio::awaitable<void> listen(asio::ip::tcp::acceptor& acceptor, IoThreads& threads, AppContext& app) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(threads.next(), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) {
      spdlog::warn("accept failed: {}", ec.message());
      continue;
    }
    socket.set_option(asio::ip::tcp::no_delay(true));  // tokens are small: send each at once
    auto ex = socket.get_executor();
    spawn_logged(ex, run_http_session(boost::beast::tcp_stream(std::move(socket)), app), "HTTP connection");
  }
}

}  // namespace pms::server
