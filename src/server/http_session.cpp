#include "server/http_session.hpp"

#include "server/http_routes.hpp"
#include "server/websocket_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace pms::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

asio::awaitable<void> run_http_session(beast::tcp_stream stream, AppContext& app) {
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  ++app.open_connections;
  struct Closed {
    AppContext& app;
    ~Closed() { --app.open_connections; }
  } closed{app};

  beast::flat_buffer buffer;
  bool over_capacity = app.open_connections.load() > app.config().max_connections;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(1 << 20);
    stream.expires_after(std::chrono::seconds(60));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      HttpRequest req;
      auto res = error_response(req, http::status::payload_too_large, "request_too_large", "the request is larger than 1 MiB");
      res.keep_alive(false);
      co_await http::async_write(stream, res, use_tuple);
      break;
    }
    if (ec) break;  // closed, timed out or malformed: nothing more to answer
    HttpRequest req = parser.release();
    HttpResponse res;
    if (over_capacity) {
      res = error_response(req, http::status::service_unavailable, "too_many_connections",
                           "the server has " + std::to_string(app.config().max_connections) + " connections open: try again shortly");
      res.set(http::field::retry_after, "5");
      res.keep_alive(false);
    } else if (beast::websocket::is_upgrade(req)) {
      auto& access = app.access();
      if (!access.upgrade_allowed(req[http::field::origin], req[http::field::host])) {
        // A page on another site must not open a chat in the user's name (cross-site WebSocket hijacking).
        res = error_response(req, http::status::forbidden, "origin_not_allowed",
                             "WebSocket connections from " + std::string(req[http::field::origin]) + " are not allowed (see --allowed-origins)");
      } else if (!access.authorized(req[http::field::authorization], req.target())) {
        res = error_response(req, http::status::unauthorized, "unauthorized", "this server needs a token: ?token=... or Authorization: Bearer ...");
      } else if (req.target() == "/ws/chat" || req.target().starts_with("/ws/chat?")) {
        auto tenant = app.tenants().resolve(req["X-PMS-Tenant"], req.target(), unix_now());
        if (!tenant.allowed) {
          res = error_response(req, http::status::unauthorized, "tenant_required", tenant.error);
        } else {
          stream.expires_never();
          co_await run_websocket_session(std::move(stream), std::move(req), app, std::move(tenant.business));
          co_return;
        }
      } else {
        res = error_response(req, http::status::not_found, "not_found", "the chat WebSocket is at /ws/chat");
      }
    } else {
      res = co_await handle_http_request(app, req);
    }
    stream.expires_after(std::chrono::seconds(60));
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    if (wec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace pms::server
