#include "server/turn_gate.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pms::server {

namespace asio = boost::asio;

// A waiting turn. Its timer never expires: it is cancelled (on the waiter's own executor, as
// timers are not thread-safe) to wake the waiter when it is granted a place or cancelled.
struct TurnGate::Waiter {
  asio::any_io_executor executor;
  asio::steady_timer wake;
  std::function<void(int)> on_position;
  bool granted = false;  // guarded by the gate's mutex
  explicit Waiter(asio::any_io_executor ex) : executor(ex), wake(ex) {}
};

TurnGate::Slot::~Slot() {
  if (gate_) gate_->leave();
}

int TurnGate::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

int TurnGate::waiting() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(queue_.size());
}

void TurnGate::announce_positions() {
  int pos = 1;
  for (auto& w : queue_) {
    asio::post(w->executor, [w, pos] {
      if (w->on_position) w->on_position(pos);
    });
    ++pos;
  }
}

void TurnGate::leave() {
  std::lock_guard lock(mutex_);
  if (queue_.empty()) {
    --running_;
    return;
  }
  // The place goes straight to the first waiter: running_ stays the same.
  auto next = queue_.front();
  queue_.pop_front();
  next->granted = true;
  asio::post(next->executor, [next] { next->wake.cancel(); });
  announce_positions();
}

asio::awaitable<std::optional<TurnGate::Slot>> TurnGate::enter(CancelToken& cancel, std::function<void(int)> on_position) {
  auto ex = co_await asio::this_coro::executor;
  auto waiter = std::make_shared<Waiter>(ex);
  waiter->on_position = std::move(on_position);
  {
    std::lock_guard lock(mutex_);
    if (running_ < max_ && queue_.empty()) {
      ++running_;
      co_return Slot(shared_from_this());
    }
    queue_.push_back(waiter);
    announce_positions();
  }
  auto registration = cancel.on_cancel([waiter] { asio::post(waiter->executor, [waiter] { waiter->wake.cancel(); }); });
  for (;;) {
    waiter->wake.expires_at(asio::steady_timer::time_point::max());
    co_await waiter->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(mutex_);
    if (waiter->granted) co_return Slot(shared_from_this());
    if (cancel.cancelled()) {
      queue_.remove(waiter);
      announce_positions();
      co_return std::nullopt;
    }
  }
}

}  // namespace pms::server
