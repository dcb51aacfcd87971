#include "mcp/session_registry.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace pms::mcp {

namespace {

// 128 bits from OpenSSL's CSPRNG, in hex: the spec asks for ids that cannot be guessed.
std::string new_session_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no random bytes for an MCP session id");
  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += hex[b >> 4];
    id += hex[b & 15];
  }
  return id;
}

}  // namespace

SessionRegistry::SessionRegistry(std::size_t max_sessions, Clock::duration idle) : max_sessions_(std::max<std::size_t>(max_sessions, 1)), idle_(idle) {}

void SessionRegistry::expire(Clock::time_point now) {
  std::erase_if(sessions_, [&](auto& kv) { return now - kv.second.used > idle_; });
  while (sessions_.size() >= max_sessions_) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) { return a.second.used < b.second.used; });
    sessions_.erase(oldest);
  }
}

std::string SessionRegistry::add(std::shared_ptr<TenantSession> session) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  expire(now);
  std::string id = new_session_id();
  sessions_[id] = Entry{std::move(session), now};
  return id;
}

std::shared_ptr<TenantSession> SessionRegistry::find(std::string_view id, std::string_view tenant) {
  auto now = Clock::now();
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || now - it->second.used > idle_ || it->second.session->tenant() != tenant) return nullptr;
  it->second.used = now;
  return it->second.session;
}

bool SessionRegistry::remove(std::string_view id, std::string_view tenant) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end() || it->second.session->tenant() != tenant) return false;
  sessions_.erase(it);
  return true;
}

std::size_t SessionRegistry::size() {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace pms::mcp
