#pragma once
// At most N answers talk to the LLM at once; the others wait in arrival order and are told their
// place in the queue as it changes. Shared by all sessions (any thread).
#include "core/cancel_token.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>

namespace pms::server {

class TurnGate : public std::enable_shared_from_this<TurnGate> {
 public:
  explicit TurnGate(int max_concurrent) : max_(max_concurrent) {}

  // Frees its place for the next waiter when destroyed.
  class Slot {
   public:
    Slot() = default;
    explicit Slot(std::shared_ptr<TurnGate> g) : gate_(std::move(g)) {}
    Slot(Slot&&) = default;
    Slot& operator=(Slot&&) = default;
    ~Slot();

   private:
    std::shared_ptr<TurnGate> gate_;
  };

  // Waits for a place, first come first served. `on_position(n)` runs on the caller's executor
  // whenever its place changes (1: next). Returns nullopt if `cancel` fires while waiting.
  boost::asio::awaitable<std::optional<Slot>> enter(CancelToken& cancel, std::function<void(int)> on_position);

  int running() const;
  int waiting() const;

  struct Waiter;

 private:
  void leave();
  void announce_positions();  // with mutex_ held
  int max_;
  int running_ = 0;
  mutable std::mutex mutex_;
  std::list<std::shared_ptr<Waiter>> queue_;
};

}  // namespace pms::server
