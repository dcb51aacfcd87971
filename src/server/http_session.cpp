#include "server/http_session.hpp"

#include "core/log.hpp"
#include "server/http_routes.hpp"
#include "server/websocket_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace pms::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxRequestBytes = 1 << 20;

// Answers `req` while watching the connection: when the client goes away (end of stream, reset)
// before the answer is ready, `disconnected` fires, so a turn and its LLM upstream stop instead of
// holding a slot for nobody. Bytes a client pipelines meanwhile stay in `buffer` for the next
// request; past a request's worth the watch stops (the client is clearly still there). A client
// that half-closes its side after sending counts as gone, as with most servers' client-abort
// detection.
asio::awaitable<Reply> answer_watching_peer(beast::tcp_stream& stream, beast::flat_buffer& buffer, AppContext& app,
                                            const HttpRequest& req) {
  auto ex = co_await asio::this_coro::executor;  // the connection's I/O thread: the handler completes on it too
  auto disconnected = std::make_shared<CancelToken>();
  asio::steady_timer finished(ex, asio::steady_timer::time_point::max());
  Reply reply;
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(ex, handle_http_request(app, req, disconnected), [&](std::exception_ptr e, Reply r) {
    failure = e;
    reply = std::move(r);
    done = true;
    stream.cancel();  // ends the watch's read
    finished.cancel();
  });
  stream.expires_never();  // an answer may take longer than the idle timeout
  bool peer_gone = false;
  while (!done) {
    if (peer_gone || buffer.size() >= kMaxRequestBytes) {
      co_await finished.async_wait(use_tuple);
      continue;
    }
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
    buffer.commit(n);
    if (ec && !done) {
      peer_gone = true;
      spdlog::debug("{} {}: the client went away ({}): cancelling", http::to_string(req.method()), loggable_path(req.target()),
                    ec.message());
      disconnected->cancel();
    }
  }
  if (failure) std::rethrow_exception(failure);
  co_return reply;
}

// Writes one response within `timeout`; whether the connection may serve another.
template <class Response>
asio::awaitable<bool> write_response(beast::tcp_stream& stream, Response& res,
                                     std::chrono::seconds timeout = std::chrono::seconds(60)) {
  stream.expires_after(timeout);
  auto [ec, n] = co_await http::async_write(stream, res, use_tuple);
  co_return !ec && res.keep_alive();
}

asio::awaitable<bool> write_reply(beast::tcp_stream& stream, Reply& reply) {
  if (auto* json = std::get_if<HttpResponse>(&reply)) co_return co_await write_response(stream, *json);
  if (auto* shared = std::get_if<SharedBufferResponse>(&reply)) co_return co_await write_response(stream, *shared);
  // A large file may take a while: a minute plus one second per MiB (a reader slower than that is let go).
  auto& file = std::get<FileResponse>(reply);
  auto mib = static_cast<std::chrono::seconds::rep>(file.body().size() >> 20);
  co_return co_await write_response(stream, file, std::chrono::seconds(60 + mib));
}

}  // namespace

asio::awaitable<void> run_http_session(beast::tcp_stream stream, AppContext& app) {
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
    parser.body_limit(kMaxRequestBytes);
    stream.expires_after(std::chrono::seconds(60));
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      HttpRequest req;
      auto res = error_response(req, http::status::payload_too_large, "request_too_large", "the request is larger than 1 MiB");
      res.keep_alive(false);
      co_await write_response(stream, res);
      break;
    }
    if (ec) break;  // closed, timed out or malformed: nothing more to answer
    HttpRequest req = parser.release();
    Reply reply;
    if (over_capacity) {
      auto res = error_response(req, http::status::service_unavailable, "too_many_connections",
                                "the server has " + std::to_string(app.config().max_connections) + " connections open: try again shortly");
      res.set(http::field::retry_after, "5");
      res.keep_alive(false);
      reply = std::move(res);
    } else if (beast::websocket::is_upgrade(req)) {
      auto admitted = admit_websocket(app, req, std::make_shared<CancelToken>());
      if (auto* scope = std::get_if<RequestScope>(&admitted)) {
        stream.expires_never();
        co_await run_websocket_session(std::move(stream), std::move(req), app, std::move(scope->tenant));
        co_return;
      }
      reply = std::get<HttpResponse>(std::move(admitted));
    } else {
      reply = co_await answer_watching_peer(stream, buffer, app, req);
    }
    if (!co_await write_reply(stream, reply)) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace pms::server
