#pragma once
// Keep-alive connections to LLM servers that finished a reply, kept for the next request to the
// same server: a turn's next call and the next turn's skip the TCP connect (under a burst of turns
// a tenth of the server's work per turn). Plain TCP; bounded per server; a connection idle longer
// than kIdleMax, or closed by the server meanwhile, is dropped instead of used.
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace pms::llm {

class IdleConnections {
 public:
  // Below the shortest keep-alive timeout servers commonly use (Node's 5 s; Ollama's Go server has
  // none), so a kept connection is rarely one the server is closing.
  static constexpr std::chrono::milliseconds kIdleMax{4000};
  static constexpr std::size_t kMaxPerServer = 256;

  static IdleConnections& shared();
  ~IdleConnections();

  // Opens `socket` (closed, of any executor) on a kept connection to `server`; false if none is left.
  bool take(const std::string& server, boost::asio::ip::tcp::socket& socket);
  // Keeps the connection `socket` holds (no operation may be pending on it); `socket` is left closed.
  void put(const std::string& server, boost::asio::ip::tcp::socket& socket);

 private:
  struct Idle {
    int fd;
    boost::asio::ip::tcp protocol;
    std::chrono::steady_clock::time_point since;
  };
  void drop_stale(std::deque<Idle>& idle, std::chrono::steady_clock::time_point now);

  std::mutex mutex_;
  std::map<std::string, std::deque<Idle>> idle_;  // per server, oldest first
};

}  // namespace pms::llm
