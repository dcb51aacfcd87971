#include "server/server.hpp"

#include "core/log.hpp"
#include "server/app_context.hpp"
#include "server/io_threads.hpp"
#include "server/listener.hpp"
#include "server/spawn.hpp"

#include <boost/asio/signal_set.hpp>

#include <boost/asio/steady_timer.hpp>

#include <sys/resource.h>
#include <thread>

namespace pms::server {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Server::Impl {
  explicit Impl(ServerConfig cfg) : app(std::move(cfg)), io(thread_count(app.config())), acceptor(io.main()) {
    auto& c = app.config();
    boost::system::error_code ec;
    auto address = asio::ip::make_address(c.host, ec);
    if (ec) throw std::runtime_error("--host '" + c.host + "' is not an IP address (use 127.0.0.1, 0.0.0.0 or ::)");
    tcp::endpoint ep(address, c.port);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep, ec);
    if (ec) throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port) + ": " + ec.message() +
                                     (ec == asio::error::address_in_use ? " (another server runs there? use --port)" : ""));
    acceptor.listen(asio::socket_base::max_listen_connections);
    raise_file_limit(c.max_connections);
  }

  // Each connection is a file descriptor: lift the soft limit (often 1024) as far as allowed.
  static void raise_file_limit(int max_connections) {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
    rlim_t want = std::min<rlim_t>(lim.rlim_max, static_cast<rlim_t>(max_connections) + 256);
    if (lim.rlim_cur < want) {
      lim.rlim_cur = want;
      setrlimit(RLIMIT_NOFILE, &lim);
    }
    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < static_cast<rlim_t>(max_connections) + 64)
      spdlog::warn("only {} file descriptors allowed: fewer than --max-connections {}", lim.rlim_cur, max_connections);
  }

  // Stops accepting, lets running answers of both transports finish (cancelling them at the
  // deadline), closes chat sessions with 1001, then stops the I/O threads.
  void shut_down() {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    app.sessions.shut_down(false);
    auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(app.config().shutdown_timeout_s));
    deadline.expires_after(timeout);
    deadline.async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      spdlog::warn("answers still running after the shutdown timeout: cancelling them");
      app.sessions.shut_down(true);
    });
    auto hard_stop = SteadyClock::now() + timeout + std::chrono::seconds(5);
    poll_until_closed(hard_stop);
  }

  // Stops once nothing is registered on two polls in a row: an /api/chat turn leaves the registry
  // as it hands its answer to the connection, and that answer is written in the poll between.
  void poll_until_closed(SteadyClock::time_point hard_stop, bool was_empty = false) {
    bool empty = app.sessions.size() == 0;
    if ((empty && was_empty) || SteadyClock::now() >= hard_stop) {
      io.stop();
      return;
    }
    poll.expires_after(std::chrono::milliseconds(20));
    poll.async_wait([this, hard_stop, empty](const boost::system::error_code& ec) {
      if (!ec) poll_until_closed(hard_stop, empty);
    });
  }

  static int thread_count(const ServerConfig& c) {
    if (c.io_threads > 0) return c.io_threads;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  AppContext app;
  IoThreads io;
  tcp::acceptor acceptor;
  asio::steady_timer deadline{io.main()};
  asio::steady_timer poll{io.main()};
};

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() = default;

unsigned short Server::port() const { return impl_->acceptor.local_endpoint().port(); }

int Server::run() {
  auto& im = *impl_;
  asio::signal_set signals(im.io.main(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {} received: finishing running answers (up to {} s), then stopping", sig, im.app.config().shutdown_timeout_s);
    im.shut_down();
  });
  spawn_logged(im.io.main().get_executor(), listen(im.acceptor, im.io, im.app), "listener");

  auto& c = im.app.config();
  spdlog::info("listening on http://{}:{} (WebSocket /ws/chat)", c.host, port());
  auto& llm = im.app.llm();
  spdlog::info("LLM: {}; database: {} {}",
               llm.provider() == "none" ? "none (the built-in question planner answers)"
                                        : llm.provider() + " at " + llm.endpoint_url() + " model " + llm.model(),
               im.app.store().backend(), im.app.store().location());

  im.io.run();
  // Stop database work before the I/O contexts (which its completions resume on) go away.
  im.app.shutdown();
  return 0;
}

}  // namespace pms::server
