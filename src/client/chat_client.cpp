#include "client/chat_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url/parse.hpp>

#include <deque>
#include <stdexcept>

namespace pms::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

struct ChatClient::Impl {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> inbox;
  boost::system::error_code read_error;
  bool reading = false;
  bool closed = false;

  // Reads continuously; every message lands in `inbox`.
  void arm_read() {
    if (reading || closed) return;
    reading = true;
    ws.async_read(buffer, [this](boost::system::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        read_error = ec;
        closed = true;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      arm_read();
    });
  }
};

ChatClient::ChatClient(std::string_view url, std::chrono::milliseconds connect_timeout, Headers headers)
    : impl_(std::make_unique<Impl>()) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || parsed->scheme() != "ws") throw std::runtime_error("'" + std::string(url) + "' is not a ws:// URL");
  std::string host = parsed->encoded_host_address().decode();
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  std::string port = parsed->has_port() ? std::string(parsed->port()) : "80";
  std::string target = parsed->encoded_path().empty() ? "/" : std::string(parsed->encoded_path());
  if (parsed->has_query()) target += "?" + std::string(parsed->encoded_query());

  auto& im = *impl_;
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(im.ioc);
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) throw std::runtime_error("cannot resolve " + host + ": " + ec.message());
  auto& tcp = beast::get_lowest_layer(im.ws);
  bool done = false;
  tcp.expires_after(connect_timeout);
  tcp.async_connect(endpoints, [&](boost::system::error_code e, auto) { ec = e; done = true; });
  im.ioc.run();
  if (!done || ec) throw std::runtime_error("cannot connect to " + std::string(url) + ": " + ec.message());
  done = false;
  im.ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
    for (auto& [k, v] : headers) req.set(k, v);
  }));
  websocket::response_type response;
  im.ws.async_handshake(response, host + ":" + port, target, [&](boost::system::error_code e) { ec = e; done = true; });
  im.ioc.restart();
  im.ioc.run();
  if (ec)
    throw std::runtime_error("WebSocket handshake with " + std::string(url) + " failed: HTTP " +
                             std::to_string(response.result_int()) + " " + ec.message());
  tcp.expires_never();
  im.arm_read();
}

ChatClient::~ChatClient() {
  try {
    close();
  } catch (...) {
  }
}

void ChatClient::send(std::string_view frame) {
  auto& im = *impl_;
  if (im.closed) throw std::runtime_error("the connection is closed");
  boost::system::error_code ec;
  bool done = false;
  im.ws.text(true);
  im.ws.async_write(asio::buffer(frame.data(), frame.size()), [&](boost::system::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  while (!done) {
    im.ioc.restart();
    im.ioc.run_one();
  }
  if (ec) throw std::runtime_error("sending failed: " + ec.message());
}

std::optional<json::object> ChatClient::next_event(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (im.inbox.empty() && !im.closed) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return std::nullopt;
    im.ioc.restart();
    im.ioc.run_one_for(left);
  }
  if (im.inbox.empty()) throw std::runtime_error("the connection is closed (" + im.read_error.message() + ")");
  std::string frame = std::move(im.inbox.front());
  im.inbox.pop_front();
  auto v = try_parse(frame);
  if (v && v->is_object()) return std::move(v->get_object());
  return json::object{{"type", "<unparsed>"}, {"raw", frame}};
}

bool ChatClient::is_open() const { return !impl_->closed; }

std::optional<int> ChatClient::close_code() const {
  if (!impl_->closed || impl_->ws.reason().code == websocket::close_code::none) return std::nullopt;
  return static_cast<int>(impl_->ws.reason().code);
}

void ChatClient::close() {
  auto& im = *impl_;
  if (im.closed) return;
  boost::system::error_code ec;
  bool done = false;
  im.ws.async_close(websocket::close_code::normal, [&](boost::system::error_code e) {
    ec = e;
    done = true;
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while ((!done || im.reading) && std::chrono::steady_clock::now() < deadline) {
    im.ioc.restart();
    im.ioc.run_one_for(std::chrono::milliseconds(100));
  }
  im.closed = true;
  beast::get_lowest_layer(im.ws).close();
}

}  // namespace pms::client
