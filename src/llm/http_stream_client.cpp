#include "llm/http_stream_client.hpp"

#include "llm/idle_connections.hpp"
#include "llm/llm_error.hpp"
#include "llm/stream_limits.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace pms::llm {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxErrorBody = 64 * 1024;

[[noreturn]] void fail(const error_code& ec, const HttpRequest& req, CancelToken* cancel, std::string_view phase) {
  if (cancel && cancel->cancelled()) throw LlmError(LlmErrc::cancelled, "cancelled");
  std::string where = req.endpoint.url();
  if (ec == beast::error::timeout) {
    if (phase == "connect")
      throw LlmError(LlmErrc::unreachable, "timed out connecting to " + where);
    throw LlmError(LlmErrc::timeout, "the LLM server at " + where + " sent nothing for " +
                                         std::to_string(req.read_timeout.count() / 1000) + " s (" + std::string(phase) + ")");
  }
  if (phase == "TLS handshake")
    throw LlmError(LlmErrc::unreachable, "TLS handshake with " + where + " failed: " + ec.message() +
                                             " (if the server uses a private CA, pass it with --llm-ca-file)");
  if (phase == "resolve" || phase == "connect")
    throw LlmError(LlmErrc::unreachable, "cannot " + std::string(phase == "resolve" ? "resolve" : "connect to") + " " + where + ": " + ec.message());
  throw LlmError(LlmErrc::stream_error, "the connection to " + where + " broke during " + std::string(phase) + ": " + ec.message());
}

// Closes the connection once nothing has arrived for `timeout`. heard() moves the deadline (a
// clock read, no timer operation); the timer, when it goes off early, sleeps again until then.
// Runs on the stream's executor; the guard disarms it when the reply ends.
class SilenceWatchdog : public std::enable_shared_from_this<SilenceWatchdog> {
 public:
  SilenceWatchdog(asio::any_io_executor ex, std::chrono::milliseconds timeout, std::function<void()> close)
      : timer_(std::move(ex)), timeout_(timeout), close_(std::move(close)) {}
  struct Guard {
    std::shared_ptr<SilenceWatchdog> w;
    ~Guard() {
      w->armed_ = false;
      w->timer_.cancel();
    }
  };
  void arm() {
    timer_.expires_at(last_ + timeout_);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || !self->armed_) return;
      if (std::chrono::steady_clock::now() < self->last_ + self->timeout_) return self->arm();
      self->fired_ = true;
      self->close_();
    });
  }
  void heard() { last_ = std::chrono::steady_clock::now(); }
  bool fired() const { return fired_; }

 private:
  asio::steady_timer timer_;
  std::chrono::milliseconds timeout_;
  std::function<void()> close_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  bool armed_ = true;
  bool fired_ = false;
};

// A kept connection the server closed before answering: the request is sent again on a new one.
struct StaleConnection {};

// How an exchange left its connection.
struct Exchanged {
  bool reused = false;    // the connection was a kept one (a failure before any answer: StaleConnection)
  bool reusable = false;  // the reply was read to its end and the server keeps the connection open
};

template <class Stream>
asio::awaitable<HttpResult> exchange(Stream& stream, const HttpRequest& req, CancelToken* cancel,
                                     const std::function<void(std::string_view)>& on_chunk, Exchanged& x) {
  auto& lowest = beast::get_lowest_layer(stream);
  http::request<http::string_body> r{http::string_to_verb(req.method), req.target, 11};
  bool v6 = req.endpoint.host.find(':') != std::string::npos;
  r.set(http::field::host, (v6 ? "[" + req.endpoint.host + "]" : req.endpoint.host) + ":" + req.endpoint.port);
  r.set(http::field::user_agent, "pms-assistant/" PMS_VERSION);
  r.set(http::field::accept, "application/x-ndjson, text/event-stream, application/json");
  if (!req.body.empty()) r.set(http::field::content_type, "application/json");
  for (auto& [k, v] : req.headers) r.set(k, v);
  r.body() = req.body;
  r.prepare_payload();

  lowest.expires_after(req.read_timeout);
  auto stale = [&] { return x.reused && !(cancel && cancel->cancelled()); };
  if (auto [ec, n] = co_await http::async_write(stream, r, use_tuple); ec) {
    if (stale()) throw StaleConnection{};
    fail(ec, req, cancel, "sending the request");
  }

  beast::flat_buffer buffer(kMaxStreamEventBytes);  // headers and chunk framing: never a body's worth
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // a reply streams for as long as the model writes
  lowest.expires_after(req.read_timeout);
  if (auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, use_tuple); ec) {
    if (stale() && !parser.got_some()) throw StaleConnection{};
    fail(ec, req, cancel, "waiting for the response");
  }

  HttpResult result;
  result.status = static_cast<int>(parser.get().result_int());
  bool success = result.status / 100 == 2;
  // The body's silence is watched by one timer for the whole reply rather than one armed and
  // cancelled per read: at a token per read, that was a tenth of the server's work per token.
  lowest.expires_never();
  auto watchdog = std::make_shared<SilenceWatchdog>(stream.get_executor(), req.read_timeout, [&lowest] { lowest.close(); });
  SilenceWatchdog::Guard guard{watchdog};
  watchdog->arm();
  char chunk[16 * 1024];
  while (!parser.is_done()) {
    parser.get().body().data = chunk;
    parser.get().body().size = sizeof chunk;
    auto [ec, n] = co_await http::async_read_some(stream, buffer, parser, use_tuple);
    watchdog->heard();
    if (ec == http::error::need_buffer) ec = {};
    if (ec && watchdog->fired()) ec = beast::error::timeout;
    if (ec) fail(ec, req, cancel, "streaming the response");
    std::size_t got = sizeof chunk - parser.get().body().size;
    if (got == 0) continue;
    if (success) {
      on_chunk(std::string_view(chunk, got));
    } else if (result.error_body.size() < kMaxErrorBody) {
      result.error_body.append(chunk, std::min(got, kMaxErrorBody - result.error_body.size()));
    }
  }
  // Only a reply that streamed: after an error status the next call is rare, and a kept connection
  // would hold the server's connection open while nothing closes idle ones yet.
  x.reusable = success && parser.keep_alive() && buffer.size() == 0 && !(cancel && cancel->cancelled());
  co_return result;
}

// One verifying TLS client context per CA file, shared by all requests that use it.
asio::ssl::context& tls_context(const std::string& ca_file) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<asio::ssl::context>> contexts;
  std::lock_guard lock(mutex);
  auto& ctx = contexts[ca_file];
  if (!ctx) {
    ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->set_default_verify_paths();
    ctx->set_verify_mode(asio::ssl::verify_peer);
    if (!ca_file.empty()) {
      error_code ec;
      ctx->load_verify_file(ca_file, ec);
      if (ec) {
        contexts.erase(ca_file);
        throw LlmError(LlmErrc::unreachable, "cannot read the CA file '" + ca_file + "': " + ec.message());
      }
    }
  }
  return *ctx;
}

// Closes the connection when the turn is cancelled; the stream is shared so a late callback
// never touches a destroyed socket.
template <class Stream>
CancelToken::Registration close_on_cancel(CancelToken* cancel, const std::shared_ptr<Stream>& stream) {
  if (!cancel) return {};
  return cancel->on_cancel([weak = std::weak_ptr<Stream>(stream)] {
    if (auto s = weak.lock()) {
      // The handler takes the only reference this thread had: were it kept here, the stream could
      // be destroyed on this thread after its io_context (the turn ended meanwhile).
      auto ex = s->get_executor();
      asio::dispatch(ex, [s = std::move(s)] { beast::get_lowest_layer(*s).close(); });
    }
  });
}

// The server's addresses. An address needs no lookup (a local Ollama, 127.0.0.1): the resolver's
// lookups run on a thread of their own, a hand-off per request.
asio::awaitable<tcp::resolver::results_type> resolve(const HttpRequest& req, CancelToken* cancel) {
  error_code literal_ec;
  auto address = asio::ip::make_address(req.endpoint.host, literal_ec);
  unsigned long port = std::strtoul(req.endpoint.port.c_str(), nullptr, 10);
  if (!literal_ec && port > 0 && port < 65536)
    co_return tcp::resolver::results_type::create(tcp::endpoint(address, static_cast<unsigned short>(port)), req.endpoint.host,
                                                  req.endpoint.port);
  tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [rec, found] = co_await resolver.async_resolve(req.endpoint.host, req.endpoint.port, use_tuple);
  if (rec) fail(rec, req, cancel, "resolve");
  co_return found;
}

}  // namespace

asio::awaitable<HttpResult> http_stream(const HttpRequest& req, CancelToken* cancel,
                                        std::function<void(std::string_view)> on_chunk) {
  auto ex = co_await asio::this_coro::executor;
  if (cancel && cancel->cancelled()) throw LlmError(LlmErrc::cancelled, "cancelled");

  if (!req.endpoint.tls) {
    // A kept connection first; one the server closed meanwhile is replaced by a new one, once.
    const std::string server = req.endpoint.host + ":" + req.endpoint.port;
    for (bool may_reuse = true;; may_reuse = false) {
      auto stream = std::make_shared<beast::tcp_stream>(ex);
      Exchanged x;
      x.reused = may_reuse && IdleConnections::shared().take(server, stream->socket());
      auto reg = close_on_cancel(cancel, stream);
      if (!x.reused) {
        auto endpoints = co_await resolve(req, cancel);
        stream->expires_after(req.connect_timeout);
        if (auto [ec, ep] = co_await stream->async_connect(endpoints, use_tuple); ec) fail(ec, req, cancel, "connect");
      }
      std::optional<HttpResult> result;
      try {
        result = co_await exchange(*stream, req, cancel, on_chunk, x);
      } catch (const StaleConnection&) {
        continue;
      }
      if (x.reusable) IdleConnections::shared().put(server, stream->socket());
      co_return std::move(*result);
    }
  }

  auto endpoints = co_await resolve(req, cancel);

  auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(ex, tls_context(req.ca_file));
  auto reg = close_on_cancel(cancel, stream);
  if (!SSL_set_tlsext_host_name(stream->native_handle(), req.endpoint.host.c_str()))
    throw LlmError(LlmErrc::unreachable, "cannot set TLS server name for " + req.endpoint.url());
  stream->set_verify_callback(asio::ssl::host_name_verification(req.endpoint.host));
  auto& lowest = beast::get_lowest_layer(*stream);
  lowest.expires_after(req.connect_timeout);
  if (auto [ec, ep] = co_await lowest.async_connect(endpoints, use_tuple); ec) fail(ec, req, cancel, "connect");
  lowest.expires_after(req.connect_timeout);
  if (auto [ec] = co_await stream->async_handshake(asio::ssl::stream_base::client, use_tuple); ec)
    fail(ec, req, cancel, "TLS handshake");
  Exchanged x;  // TLS connections are not kept
  co_return co_await exchange(*stream, req, cancel, on_chunk, x);
}

HttpRequest make_request(const Endpoint& endpoint, const LlmConfig& cfg, std::string method, std::string path) {
  auto ms = [](double s) { return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000)); };
  HttpRequest r;
  r.endpoint = endpoint;
  r.method = std::move(method);
  r.target = endpoint.base_path + path;
  r.connect_timeout = ms(cfg.connect_timeout_s);
  r.read_timeout = ms(cfg.read_timeout_s);
  r.ca_file = cfg.ca_file;
  return r;
}

asio::awaitable<HttpFetched> http_fetch(HttpRequest req, std::size_t max_body) {
  req.read_timeout = std::min(req.read_timeout, std::chrono::milliseconds(3000));
  req.connect_timeout = std::min(req.connect_timeout, std::chrono::milliseconds(2000));
  HttpFetched out;
  std::function<void(std::string_view)> collect = [&](std::string_view c) {
    if (out.body.size() < max_body) out.body.append(c.substr(0, max_body - out.body.size()));
  };
  auto r = co_await http_stream(req, nullptr, std::move(collect));
  out.status = r.status;
  if (out.status / 100 != 2) out.body = std::move(r.error_body);
  co_return out;
}

}  // namespace pms::llm
