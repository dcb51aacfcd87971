#include "server/websocket_session.hpp"

#include "core/ids.hpp"
#include "core/log.hpp"
#include "core/time_util.hpp"
#include "server/protocol.hpp"
#include "server/spawn.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <optional>

namespace pms::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// One event waiting in the outbox. A token's text stays unserialised until the writer takes it, so
// that tokens arriving while the writer is busy join it: one `token` frame carries them all, in
// order (docs/protocol.md), instead of one JSON serialisation and one write per token.
struct Outgoing {
  std::string data;     // the event's frame, or (token) the text of the tokens joined so far
  bool token = false;  // `data` is token text, not yet a frame
};

// One chat connection. All of its coroutines run on the connection's strand, so its state needs
// no locks. Writes are serialised through `outbox_`, drained by one writer coroutine.
class ChatSession : public std::enable_shared_from_this<ChatSession>, private agent::TurnObserver {
 public:
  ChatSession(beast::tcp_stream&& stream, AppContext& app, std::string tenant)
      : ws_(std::move(stream)), app_(app), tenant_(std::move(tenant)), idle_(ws_.get_executor()),
        rate_tokens_(app.config().rate_burst) {}

  asio::awaitable<void> run(HttpRequest upgrade);

 private:
  static asio::awaitable<void> idle_watch(std::shared_ptr<ChatSession> self);
  static asio::awaitable<void> run_turn(std::shared_ptr<ChatSession> self, ClientMessage msg);
  void handle(std::string_view frame);
  bool within_rate_limit();
  void send(std::string event);
  void send_token(std::string_view text);
  void enqueue(Outgoing out);
  void check_queue_bound();  // over max_send_queue_bytes: the client is too slow, close it
  // Starts writing the outbox's front unless a write is under way; each write's completion starts
  // the next (Beast's advanced_server queue), so a token wakes no writer and an idle one costs nothing.
  void pump();
  void on_written(beast::error_code ec);
  // Sends what is queued, then the close frame with `code`; nothing is sent after it.
  void close_after_queue(websocket::close_code code, std::string reason);
  void go_away(bool force);

  void on_llm_start(int step) override { send(event::llm_start(step)); }
  void on_token(std::string_view text) override { send_token(text); }
  void on_thinking(std::string_view text) override { send(event::thinking(text)); }
  void on_llm_end(double elapsed_s) override { send(event::llm_end(elapsed_s)); }
  void on_tool_start(std::string_view tool, const json::value& input, const json::object& names) override {
    send(event::tool_start(tool, input, names));
  }
  void on_tool_end(std::string_view tool, std::string_view output, double ms, bool ok) override {
    send(event::tool_end(tool, output, ms, ok));
  }

  websocket::stream<beast::tcp_stream> ws_;
  AppContext& app_;
  const std::string tenant_;  // the business this connection may see; empty: all
  asio::steady_timer idle_;
  std::deque<Outgoing> outbox_;
  std::size_t outbox_bytes_ = 0;
  bool writing_ = false;  // the front of outbox_ (or, once closing_, the close frame) is being written
  std::optional<websocket::close_reason> closing_;  // set: no more events, close once drained
  bool draining_ = false;                            // the server is shutting down
  SteadyClock::time_point last_activity_ = SteadyClock::now();
  double rate_tokens_ = 0;
  SteadyClock::time_point rate_at_ = SteadyClock::now();
  int over_limit_ = 0;
  bool closed_ = false;
  bool turn_running_ = false;
  CancelTokenPtr turn_cancel_;
  std::string client_id_ = random_uuid();
};

asio::awaitable<void> ChatSession::run(HttpRequest upgrade) {
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = std::chrono::seconds(300);
  timeouts.keep_alive_pings = true;  // idle clients are pinged; dead ones time out
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "pms-assistant/" PMS_VERSION); }));
  // Frames a little over the protocol limit get a readable `message_too_large` error; far larger
  // ones close the connection with 1009 (message too big) before they are buffered.
  ws_.read_message_max(std::max<std::size_t>(app_.config().max_message_bytes * 16, 1 << 20));

  if (auto [ec] = co_await ws_.async_accept(upgrade, use_tuple); ec) {
    spdlog::debug("websocket handshake failed: {}", ec.message());
    co_return;
  }
  ++app_.open_websockets;
  spdlog::debug("client {} connected", client_id_);
  spawn_logged(ws_.get_executor(), idle_watch(shared_from_this()), "idle watch of client " + client_id_);
  send(event::connected(client_id_));
  auto registration = app_.sessions.add([weak = weak_from_this()](bool force) {
    if (auto self = weak.lock()) asio::post(self->ws_.get_executor(), [self, force] { self->go_away(force); });
  });

  beast::flat_buffer buffer;
  for (;;) {
    auto [ec, n] = co_await ws_.async_read(buffer, use_tuple);
    if (ec) {
      if (ec != websocket::error::closed) spdlog::debug("client {} read ended: {}", client_id_, ec.message());
      break;
    }
    last_activity_ = SteadyClock::now();
    if (!within_rate_limit()) {
      buffer.consume(buffer.size());
      continue;
    }
    if (ws_.got_text()) {
      handle(std::string_view(static_cast<const char*>(buffer.data().data()), buffer.size()));
    } else {
      send(event::error("invalid_message", "binary frames are not supported: send JSON text"));
    }
    buffer.consume(buffer.size());
  }
  closed_ = true;
  if (turn_cancel_) turn_cancel_->cancel();  // a disconnect stops the answer and its upstream stream
  idle_.cancel();
  app_.sessions.remove(registration);
  --app_.open_websockets;
  spdlog::debug("client {} disconnected", client_id_);
}

void ChatSession::handle(std::string_view frame) {
  auto parsed = parse_client_message(frame, app_.config().max_message_bytes);
  if (auto* err = std::get_if<ProtocolError>(&parsed)) {
    send(event::error(err->code, err->message));
    return;
  }
  auto& msg = std::get<ClientMessage>(parsed);
  switch (msg.type) {
    case ClientMessage::Type::ping:
      send(event::pong());
      return;
    case ClientMessage::Type::cancel:
      if (turn_running_ && turn_cancel_) turn_cancel_->cancel();
      return;
    case ClientMessage::Type::message:
      if (draining_) {
        auto refused = shutting_down_error();
        send(event::error(refused.code, refused.message));
        return;
      }
      if (turn_running_) {
        send(event::error("busy", "an answer is still being written: wait for `complete`, or send {\"type\":\"cancel\"}"));
        return;
      }
      turn_running_ = true;
      turn_cancel_ = std::make_shared<CancelToken>();
      spawn_logged(ws_.get_executor(), run_turn(shared_from_this(), std::move(msg)), "turn of client " + client_id_);
      return;
  }
}

asio::awaitable<void> ChatSession::run_turn(std::shared_ptr<ChatSession> self, ClientMessage msg) {
  TurnRequest turn;
  turn.input.conversation_id = msg.conversation_id.empty() ? random_uuid() : msg.conversation_id;
  turn.input.message = std::move(msg.text);
  turn.input.tenant = self->tenant_;
  turn.input.mode = std::move(msg.mode);
  turn.input.project = std::move(msg.project);
  turn.cancel = self->turn_cancel_;
  turn.on_queued = [weak = self->weak_from_this()](int position) {
    if (auto s = weak.lock(); s && s->turn_running_) s->send(event::queued(position));
  };
  self->send(event::user_message(turn.input.message, turn.input.conversation_id));
  auto result = co_await self->app_.turns().run(std::move(turn), *self);
  if (result.error) {
    spdlog::warn("client {}: {}: {}", self->client_id_, result.error->code, result.error->message);
    self->send(event::error(result.error->code, result.error->message, result.outcome.conversation_id));
  } else {
    self->send(event::complete(result.outcome));  // a shutdown's cancellation too: `cancelled: true`
  }
  self->turn_running_ = false;
  // The idle clock starts again when the answer ends (the idle watch waits for that).
  self->last_activity_ = SteadyClock::now();
  self->idle_.cancel();
  if (self->draining_) self->close_after_queue(websocket::close_code::going_away, "server shutting down");
}

bool ChatSession::within_rate_limit() {
  // Token bucket: `rate_burst` frames at once, `rate_limit_per_s` sustained.
  auto now = SteadyClock::now();
  double per_s = app_.config().rate_limit_per_s;
  rate_tokens_ = std::min<double>(app_.config().rate_burst,
                                  rate_tokens_ + std::chrono::duration<double>(now - rate_at_).count() * per_s);
  rate_at_ = now;
  if (rate_tokens_ >= 1) {
    rate_tokens_ -= 1;
    over_limit_ = 0;
    return true;
  }
  // Tell the client a few times; a client that keeps flooding is disconnected.
  if (++over_limit_ <= 3) {
    send(event::error("rate_limited", "too many messages: at most " + std::to_string(app_.config().rate_burst) +
                                          " at once and " + std::to_string(per_s) + " per second; this one was dropped"));
  } else if (over_limit_ > 200) {
    close_after_queue(websocket::close_code::policy_error, "message rate limit exceeded");
  }
  return false;
}

void ChatSession::close_after_queue(websocket::close_code code, std::string reason) {
  if (closing_ || closed_) return;
  closing_ = websocket::close_reason(code, reason);
  pump();
}

// A running turn is registered on its own (TurnService): a forced shutdown cancels it there, it
// ends with `complete` (cancelled), and the session closes after it.
void ChatSession::go_away(bool) {
  draining_ = true;
  if (!turn_running_) close_after_queue(websocket::close_code::going_away, "server shutting down");
}

asio::awaitable<void> ChatSession::idle_watch(std::shared_ptr<ChatSession> self) {
  auto idle = std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(self->app_.config().idle_timeout_s));
  while (!self->closed_ && !self->closing_) {
    // A client waiting for its answer is not idle: while a turn runs, wait for its end (run_turn
    // cancels the timer) rather than for a deadline that may have passed, which would spin.
    self->idle_.expires_at(self->turn_running_ ? asio::steady_timer::time_point::max() : self->last_activity_ + idle);
    co_await self->idle_.async_wait(use_tuple);
    if (self->closed_ || self->closing_) co_return;
    if (SteadyClock::now() >= self->last_activity_ + idle && !self->turn_running_) {
      spdlog::info("client {} idle for {} s: closing", self->client_id_, self->app_.config().idle_timeout_s);
      self->close_after_queue(websocket::close_code::normal, "idle timeout");
    }
  }
}

void ChatSession::send(std::string ev) { enqueue({std::move(ev), false}); }

void ChatSession::send_token(std::string_view text) {
  if (closed_ || closing_) return;
  // The back of the queue is a token not yet taken by the writer (the one being written is a
  // frame already): this text continues it. Never across another event, so order and event
  // boundaries hold.
  if (!outbox_.empty() && outbox_.back().token) {
    outbox_.back().data.append(text);
    outbox_bytes_ += text.size();
    check_queue_bound();
    return;
  }
  enqueue({std::string(text), true});
}

void ChatSession::enqueue(Outgoing out) {
  if (closed_ || closing_) return;
  outbox_bytes_ += out.data.size();
  outbox_.push_back(std::move(out));
  check_queue_bound();
}

void ChatSession::check_queue_bound() {
  if (outbox_bytes_ > app_.config().max_send_queue_bytes) {
    // The client reads slower than we write: drop what waits rather than grow without bound.
    spdlog::warn("client {} reads too slowly ({} bytes waiting): disconnecting", client_id_, outbox_bytes_);
    // The front event may be in the middle of being written: it stays, the rest goes.
    outbox_.resize(writing_ ? 1 : 0);
    outbox_bytes_ = outbox_.empty() ? 0 : outbox_.front().data.size();
    if (turn_cancel_) turn_cancel_->cancel();
    close_after_queue(websocket::close_code::policy_error, "client reads too slowly");
    return;
  }
  pump();
}

void ChatSession::pump() {
  if (writing_ || closed_) return;
  if (outbox_.empty()) {
    if (!closing_) return;
    writing_ = true;  // for good: nothing is written after the close frame
    ws_.async_close(*closing_, [self = shared_from_this()](beast::error_code) {});
    return;
  }
  auto& front = outbox_.front();
  if (front.token) {  // from here on nothing joins it: it becomes its frame
    std::size_t text = front.data.size();
    front.data = event::token(front.data);
    front.token = false;
    outbox_bytes_ += front.data.size() - text;
  }
  ws_.text(true);
  writing_ = true;
  ws_.async_write(asio::buffer(front.data), [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_written(ec); });
}

void ChatSession::on_written(beast::error_code ec) {
  writing_ = false;
  if (ec) {
    closed_ = true;
    outbox_.clear();
    outbox_bytes_ = 0;
    if (turn_cancel_) turn_cancel_->cancel();
    return;
  }
  outbox_bytes_ -= outbox_.front().data.size();
  outbox_.pop_front();
  pump();
}

}  // namespace

asio::awaitable<void> run_websocket_session(beast::tcp_stream stream, HttpRequest upgrade, AppContext& app, std::string tenant) {
  auto session = std::make_shared<ChatSession>(std::move(stream), app, std::move(tenant));
  co_await session->run(std::move(upgrade));
}

}  // namespace pms::server
