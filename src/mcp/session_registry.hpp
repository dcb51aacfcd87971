#pragma once
// The sessions of MCP's Streamable HTTP transport by their Mcp-Session-Id: one is added by each
// successful initialize, removed by DELETE, dropped after `idle` without a request, and the least
// recently used goes when `max_sessions` are open. Ids are 128 random bits. Thread-safe.
#include "mcp/tenant_session.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace pms::mcp {

class SessionRegistry {
 public:
  using Clock = std::chrono::steady_clock;
  SessionRegistry(std::size_t max_sessions, Clock::duration idle);

  // Adds `session` and returns its new id.
  std::string add(std::shared_ptr<TenantSession> session);
  // The session with `id`, if it is open and `tenant`'s (another tenant's id is as good as unknown).
  std::shared_ptr<TenantSession> find(std::string_view id, std::string_view tenant);
  // Whether `tenant` had a session `id` to end.
  bool remove(std::string_view id, std::string_view tenant);
  std::size_t size();

 private:
  struct Entry {
    std::shared_ptr<TenantSession> session;
    Clock::time_point used;
  };
  void expire(Clock::time_point now);  // with mutex_ held

  std::size_t max_sessions_;
  Clock::duration idle_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> sessions_;
};

}  // namespace pms::mcp
