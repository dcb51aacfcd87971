#pragma once
// Exact bytes to the server on a connection of their own, for requests a well-behaved client
// cannot send (odd targets, NUL bytes, foreign Host headers, pipelining) and for large answers
// read without keeping them.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <cstddef>
#include <functional>
#include <string>

namespace pms::testing {

// Sends `request`, then reads until the server closes (or 30 s of silence); each piece read goes
// to `sink`. The connection is gone when this returns.
inline void raw_exchange(unsigned short port, const std::string& request, const std::function<void(std::string_view)>& sink) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  timeval timeout{30, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  boost::asio::write(s, boost::asio::buffer(request));
  std::string chunk(64 * 1024, '\0');
  for (;;) {
    boost::system::error_code ec;
    std::size_t n = s.read_some(boost::asio::buffer(chunk), ec);
    if (n > 0) sink(std::string_view(chunk).substr(0, n));
    if (ec) break;
  }
}

// The whole response (or responses, when pipelined) to `request`; "" if the server closed
// without answering.
inline std::string raw_exchange(unsigned short port, const std::string& request) {
  std::string out;
  raw_exchange(port, request, [&](std::string_view piece) { out += piece; });
  return out;
}

// GET `target` exactly as given, with `headers` ("Name: value\r\n" lines), closing after.
inline std::string raw_get(unsigned short port, const std::string& target, const std::string& headers = "Host: 127.0.0.1\r\n") {
  return raw_exchange(port, "GET " + target + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n");
}

// The status code of the first response in `response`; 0 if there is none.
inline int status_of(const std::string& response) {
  if (!response.starts_with("HTTP/1.1 ") || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

}  // namespace pms::testing
