#include "server/connection_registry.hpp"

#include <vector>

namespace pms::server {

std::uint64_t ConnectionRegistry::add(GoAway go_away) {
  std::unique_lock lock(mutex_);
  auto id = next_++;
  if (shutting_down_) {
    bool force = forced_;
    lock.unlock();
    go_away(force);
    lock.lock();
  }
  sessions_.emplace(id, std::move(go_away));
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool ConnectionRegistry::shutting_down() const {
  std::lock_guard lock(mutex_);
  return shutting_down_;
}

void ConnectionRegistry::shut_down(bool force) {
  std::vector<GoAway> calls;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    forced_ = forced_ || force;
    for (auto& [id, f] : sessions_) calls.push_back(f);
  }
  for (auto& f : calls) f(force);
}

}  // namespace pms::server
