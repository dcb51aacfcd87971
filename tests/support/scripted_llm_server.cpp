#include "support/scripted_llm_server.hpp"

#include "core/time_util.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

namespace pms::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

ScriptedReply answer(std::vector<std::string> tokens, std::chrono::milliseconds delay) {
  ScriptedReply r;
  r.tokens = std::move(tokens);
  r.delay = delay;
  return r;
}

ScriptedReply call_tool(std::string name, json::value arguments) {
  ScriptedReply r;
  r.tool_calls.push_back({std::move(name), std::move(arguments)});
  return r;
}

namespace {

enum class Wire { ollama, openai };

// The chunks of one reply in a wire format, last chunk included.
std::vector<std::string> ollama_chunks(const ScriptedReply& r, const std::string& model) {
  std::vector<std::string> out;
  auto line = [&](json::object message, bool done) {
    json::object o{{"model", model}, {"created_at", now_iso8601()}, {"message", std::move(message)}, {"done", done}};
    if (done) {
      o["done_reason"] = "stop";
      o["total_duration"] = 1000000;
      o["eval_count"] = static_cast<std::int64_t>(r.tokens.size() + r.thinking.size());
    }
    out.push_back(dump(o) + "\n");
  };
  for (auto& t : r.thinking) line({{"role", "assistant"}, {"content", ""}, {"thinking", t}}, false);
  for (auto& t : r.tokens) line({{"role", "assistant"}, {"content", t}}, false);
  if (!r.tool_calls.empty()) {
    json::array calls;
    for (auto& c : r.tool_calls) {
      json::value args = c.raw_arguments ? json::value(json::string(*c.raw_arguments)) : c.arguments;
      calls.push_back(json::object{{"function", json::object{{"name", c.name}, {"arguments", std::move(args)}}}});
    }
    line({{"role", "assistant"}, {"content", ""}, {"tool_calls", std::move(calls)}}, false);
  }
  line({{"role", "assistant"}, {"content", ""}}, true);
  return out;
}

std::vector<std::string> openai_chunks(const ScriptedReply& r, const std::string& model) {
  std::vector<std::string> out;
  auto event = [&](json::object delta, json::value finish) {
    json::object o{{"id", "chatcmpl-scripted"}, {"object", "chat.completion.chunk"}, {"created", 1762587196}, {"model", model},
                   {"choices", json::array{json::object{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish)}}}}};
    out.push_back("data: " + dump(o) + "\n\n");
  };
  for (auto& t : r.thinking) event({{"reasoning_content", t}}, nullptr);
  for (auto& t : r.tokens) event({{"content", t}}, nullptr);
  for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
    auto& c = r.tool_calls[i];
    auto idx = static_cast<std::int64_t>(i);
    event({{"tool_calls", json::array{json::object{{"index", idx}, {"id", "call_" + std::to_string(i)}, {"type", "function"},
                                                   {"function", json::object{{"name", c.name}, {"arguments", ""}}}}}}},
          nullptr);
    // The arguments arrive in fragments, as real servers send them.
    std::string args = c.raw_arguments.value_or(dump(c.arguments));
    for (std::size_t at = 0; at < args.size(); at += 7) {
      event({{"tool_calls", json::array{json::object{{"index", idx}, {"function", json::object{{"arguments", args.substr(at, 7)}}}}}}}, nullptr);
    }
  }
  event({}, r.tool_calls.empty() ? "stop" : "tool_calls");
  json::object usage{{"id", "chatcmpl-scripted"}, {"object", "chat.completion.chunk"}, {"choices", json::array()},
                     {"usage", json::object{{"prompt_tokens", 10}, {"completion_tokens", static_cast<std::int64_t>(r.tokens.size())}}}};
  out.push_back("data: " + dump(usage) + "\n\n");
  out.push_back("data: [DONE]\n\n");
  return out;
}

}  // namespace

// An io_context whose pending operations can be destroyed on demand: suspended sessions hold the
// Impl (shared_ptr), so only destroying their frames lets it go.
struct OwningIoContext : asio::io_context {
  using asio::io_context::shutdown;
};

struct ScriptedLlmServer::Impl : std::enable_shared_from_this<Impl> {
  // Held by a connection's coroutine from accept to its end: counts the open connections.
  class Counted {
   public:
    explicit Counted(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {
      int open = ++impl_->open;
      ++impl_->accepted;
      for (int peak = impl_->peak; open > peak && !impl_->peak.compare_exchange_weak(peak, open);) {
      }
    }
    Counted(Counted&& other) noexcept : impl_(std::move(other.impl_)) {}
    Counted& operator=(Counted&&) = delete;
    ~Counted() {
      if (impl_) --impl_->open;
    }

   private:
    std::shared_ptr<Impl> impl_;
  };

  OwningIoContext ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  std::vector<std::string> models;
  std::optional<asio::ssl::context> tls;
  mutable std::mutex mutex;
  std::deque<ScriptedReply> script;
  Responder responder;
  std::atomic<bool> keep_alive{false};

  std::vector<RecordedRequest> records;
  std::atomic<int> open{0};
  std::atomic<int> peak{0};
  std::atomic<std::size_t> accepted{0};

  std::size_t record(RecordedRequest r) {
    std::lock_guard lock(mutex);
    records.push_back(std::move(r));
    return records.size() - 1;
  }
  void update(std::size_t i, bool completed, bool closed_early,
              std::chrono::steady_clock::time_point finished = std::chrono::steady_clock::now()) {
    std::lock_guard lock(mutex);
    records[i].completed = completed;
    records[i].client_closed_early = closed_early;
    records[i].finished_at = finished;
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
      if (ec) co_return;
      Counted counted(shared_from_this());
      if (tls) {
        asio::co_spawn(ioc, tls_session(shared_from_this(), beast::ssl_stream<beast::tcp_stream>(std::move(socket), *tls), std::move(counted)),
                       asio::detached);
      } else {
        asio::co_spawn(ioc, session(shared_from_this(), beast::tcp_stream(std::move(socket)), std::move(counted)), asio::detached);
      }
    }
  }

  static asio::awaitable<void> tls_session(std::shared_ptr<Impl> self, beast::ssl_stream<beast::tcp_stream> stream, Counted counted) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    if (auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple); ec) co_return;
    beast::get_lowest_layer(stream).expires_never();
    co_await session(std::move(self), std::move(stream), std::move(counted));
  }

  template <class Stream>
  static asio::awaitable<void> respond(Stream& stream, http::status status, std::string body, unsigned version) {
    http::response<http::string_body> res{status, version};
    res.set(http::field::content_type, "application/json");
    res.body() = body;
    res.prepare_payload();
    co_await http::async_write(stream, res, use_tuple);
  }

  template <class Stream>
  static asio::awaitable<void> session(std::shared_ptr<Impl> self, Stream stream, Counted counted) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, use_tuple);
      if (ec) co_return;
      std::string target(req.target());
      if (req.method() == http::verb::get && (target == "/api/tags" || target == "/v1/models")) {
        json::array list;
        for (auto& m : self->models) {
          list.push_back(target == "/api/tags" ? json::value(json::object{{"name", m}, {"model", m}, {"size", 522653767}})
                                               : json::value(json::object{{"id", m}, {"object", "model"}, {"owned_by", "scripted"}}));
        }
        json::object body = target == "/api/tags" ? json::object{{"models", list}} : json::object{{"object", "list"}, {"data", list}};
        auto now = std::chrono::steady_clock::now();
        self->record({"GET", target, nullptr, true, false, now, now});
        co_await respond(stream, http::status::ok, dump(body), req.version());
        continue;
      }
      if (req.method() == http::verb::get && target == "/scripted/connections") {
        json::object body{{"open", self->open.load()}, {"peak", self->peak.load()},
                          {"accepted", static_cast<std::int64_t>(self->accepted.load())}};
        co_await respond(stream, http::status::ok, dump(body), req.version());
        continue;
      }
      Wire wire;
      if (req.method() == http::verb::post && target == "/api/chat") wire = Wire::ollama;
      else if (req.method() == http::verb::post && target == "/v1/chat/completions") wire = Wire::openai;
      else {
        co_await respond(stream, http::status::not_found, R"({"error":"not found"})", req.version());
        continue;
      }
      auto body = try_parse(req.body());
      auto index = self->record({"POST", target, body.value_or(nullptr), false, false, std::chrono::steady_clock::now(), {}});
      std::optional<ScriptedReply> reply;
      {
        std::lock_guard lock(self->mutex);
        if (!self->script.empty()) {
          reply = std::move(self->script.front());
          self->script.pop_front();
        } else if (self->responder && body) {
          reply = self->responder(*body);
        }
      }
      if (!reply) {
        co_await respond(stream, http::status::internal_server_error, R"({"error":"the test script has no reply left"})", req.version());
        continue;
      }
      if (reply->status != 200) {
        co_await respond(stream, static_cast<http::status>(reply->status), reply->error_body, req.version());
        self->update(index, true, false);
        continue;
      }
      if (!co_await self->stream_reply(stream, *reply, wire, index, req.version())) co_return;
    }
  }

  // Whether the connection is kept for another request (keep_alive and a reply that ended normally).
  template <class Stream>
  asio::awaitable<bool> stream_reply(Stream& stream, const ScriptedReply& reply, Wire wire, std::size_t index, unsigned version) {
    std::string model = models.empty() ? "scripted" : models.front();
    auto chunks = wire == Wire::ollama ? ollama_chunks(reply, model) : openai_chunks(reply, model);
    http::response<http::empty_body> res{http::status::ok, version};
    res.set(http::field::content_type, wire == Wire::ollama ? "application/x-ndjson" : "text/event-stream");
    res.chunked(true);
    http::response_serializer<http::empty_body> sr{res};
    if (auto [ec, n] = co_await http::async_write_header(stream, sr, use_tuple); ec) co_return false;
    const bool keep = keep_alive && !reply.stall && !reply.hang_up && !reply.reset && reply.garbage.empty();

    // The client hanging up is seen by a read that ends while we write.
    struct Watch {
      bool closed = false;
      asio::steady_timer timer;
      explicit Watch(asio::any_io_executor ex) : timer(ex) {}
    };
    auto watch = std::make_shared<Watch>(stream.get_executor());
    auto& socket = beast::get_lowest_layer(stream).socket();
    auto probe = std::make_shared<std::array<char, 64>>();
    if (!keep)  // a kept connection's next bytes are the next request
      stream.async_read_some(asio::buffer(*probe), [watch, probe](boost::system::error_code, std::size_t) {
        watch->closed = true;
        watch->timer.cancel();
      });
    auto pause = [&](std::chrono::milliseconds d) -> asio::awaitable<void> {
      watch->timer.expires_after(d);
      co_await watch->timer.async_wait(use_tuple);
    };

    bool unfinished = reply.stall || reply.hang_up || reply.reset || !reply.garbage.empty();
    std::size_t last = unfinished ? chunks.size() - (wire == Wire::ollama ? 1 : 3) : chunks.size();
    bool ok = true;
    for (std::size_t i = 0; i < last && ok && !watch->closed; ++i) {
      if (reply.delay.count() > 0) co_await pause(reply.delay);
      if (watch->closed) break;
      if (auto at = chunks[i].find(kSendTimeMarker); at != std::string::npos) {
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
        chunks[i].replace(at, kSendTimeMarker.size(), std::to_string(ns));
      }
      auto [ec, n] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(chunks[i])), use_tuple);
      ok = !ec;
    }
    if (ok && !watch->closed) {
      if (reply.stall) {
        while (!watch->closed) co_await pause(std::chrono::seconds(30));
      } else if (!reply.garbage.empty()) {
        auto [ec, n] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(reply.garbage)), use_tuple);
        if (!ec) std::tie(ec, n) = co_await asio::async_write(stream, http::make_chunk_last(), use_tuple);
        ok = !ec;
      } else if (reply.reset) {
        boost::system::error_code ignored;
        socket.set_option(asio::socket_base::linger(true, 0), ignored);  // close() then sends RST
      } else if (!reply.hang_up) {
        auto [ec, n] = co_await asio::async_write(stream, http::make_chunk_last(), use_tuple);
        ok = !ec;
      }
    }
    auto finished = std::chrono::steady_clock::now();
    bool completed = ok && !watch->closed && !reply.stall && !reply.hang_up && !reply.reset;
    if (keep) {
      update(index, ok, false, finished);
      co_return ok;
    }
    // Let a client that is closing be seen as such before the connection is torn down.
    if (completed) co_await pause(std::chrono::milliseconds(1));
    update(index, completed, !completed && !reply.hang_up && !reply.reset, finished);
    boost::system::error_code ignored;
    if (!reply.reset) socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    // The probe read still uses the stream (and, with TLS, its buffers) until it completes, which
    // closing the socket makes it do: the stream must outlive it.
    while (!watch->closed) co_await pause(std::chrono::seconds(5));
    co_return false;
  }
};

ScriptedLlmServer::ScriptedLlmServer(std::vector<std::string> models, unsigned short port, std::optional<TlsFiles> tls)
    : impl_(std::make_shared<Impl>()) {
  impl_->models = std::move(models);
  if (tls) {
    impl_->tls.emplace(asio::ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(tls->certificate);
    impl_->tls->use_private_key_file(tls->private_key, asio::ssl::context::pem);
  }
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([im = impl_] { im->ioc.run(); });
}

ScriptedLlmServer::~ScriptedLlmServer() {
  impl_->ioc.stop();
  impl_->thread.join();
  impl_->ioc.shutdown();  // destroys the sessions still waiting (for a next request, say)
}

unsigned short ScriptedLlmServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string ScriptedLlmServer::url() const {
  return (impl_->tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port());
}

void ScriptedLlmServer::push(ScriptedReply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->script.push_back(std::move(reply));
}

void ScriptedLlmServer::set_responder(Responder responder) {
  std::lock_guard lock(impl_->mutex);
  impl_->responder = std::move(responder);
}

std::vector<RecordedRequest> ScriptedLlmServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::vector<RecordedRequest> ScriptedLlmServer::chat_requests() const {
  std::vector<RecordedRequest> out;
  for (auto& r : requests()) if (r.method == "POST") out.push_back(r);
  return out;
}

void ScriptedLlmServer::keep_connections_open(bool keep) { impl_->keep_alive = keep; }

int ScriptedLlmServer::open_connections() const { return impl_->open.load(); }
int ScriptedLlmServer::peak_open_connections() const { return impl_->peak.load(); }
std::size_t ScriptedLlmServer::accepted_connections() const { return impl_->accepted.load(); }

bool ScriptedLlmServer::wait_until_no_connection_open(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (impl_->open.load() > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return impl_->open.load() == 0;
}

bool ScriptedLlmServer::wait_until(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                                   std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred(requests())) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred(requests());
}

}  // namespace pms::testing
