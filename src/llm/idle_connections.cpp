#include "llm/idle_connections.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace pms::llm {

namespace {

// Still open and silent: the server has neither closed it nor sent anything unasked.
bool still_open(int fd) {
  char byte;
  return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

IdleConnections& IdleConnections::shared() {
  static IdleConnections pool;
  return pool;
}

IdleConnections::~IdleConnections() {
  for (auto& [server, idle] : idle_)
    for (auto& c : idle) ::close(c.fd);
}

void IdleConnections::drop_stale(std::deque<Idle>& idle, std::chrono::steady_clock::time_point now) {
  while (!idle.empty() && now - idle.front().since > kIdleMax) {
    ::close(idle.front().fd);
    idle.pop_front();
  }
}

bool IdleConnections::take(const std::string& server, boost::asio::ip::tcp::socket& socket) {
  std::unique_lock lock(mutex_);
  auto it = idle_.find(server);
  if (it == idle_.end()) return false;
  drop_stale(it->second, std::chrono::steady_clock::now());
  while (!it->second.empty()) {
    Idle c = it->second.back();  // the most recently used is the likeliest still open
    it->second.pop_back();
    if (!still_open(c.fd)) {
      ::close(c.fd);
      continue;
    }
    lock.unlock();
    boost::system::error_code ec;
    socket.assign(c.protocol, c.fd, ec);
    if (!ec) return true;
    ::close(c.fd);
    return false;
  }
  return false;
}

void IdleConnections::put(const std::string& server, boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto local = socket.local_endpoint(ec);
  if (ec) return socket.close(ec);
  int fd = socket.release(ec);
  if (ec) return socket.close(ec);
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto& idle = idle_[server];
  drop_stale(idle, now);
  if (idle.size() >= kMaxPerServer) {
    ::close(idle.front().fd);
    idle.pop_front();
  }
  idle.push_back({fd, local.protocol(), now});
}

}  // namespace pms::llm
