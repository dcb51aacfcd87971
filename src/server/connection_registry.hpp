#pragma once
// The open chat sessions and the running turns of either transport, so that shutdown can reach
// each of them; the server stops once none is left. Thread-safe; plain C++.
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

namespace pms::server {

class ConnectionRegistry {
 public:
  // `go_away(force)` asks a session to close with 1001 (a turn to end): after its running answer
  // when `force` is false, at once (cancelling the answer) when true. It must hand the work to the
  // entry's own executor and may be called from any thread.
  using GoAway = std::function<void(bool force)>;

  std::uint64_t add(GoAway go_away);
  void remove(std::uint64_t id);
  std::size_t size() const;
  bool shutting_down() const;
  // Calls every session's go_away; sessions registered later are told at once.
  void shut_down(bool force);

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, GoAway> sessions_;
  std::uint64_t next_ = 1;
  bool shutting_down_ = false;
  bool forced_ = false;
};

}  // namespace pms::server
