#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace pms {

// A one-shot cancellation flag shared by everything one turn does. Blocking loops poll
// `cancelled()`; asynchronous operations register a callback that stops them (closes a socket).
// Callbacks run on the thread that calls cancel(), or at once if already cancelled.
class CancelToken {
 public:
  class Registration {
   public:
    Registration() = default;
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;
    Registration(Registration&& o) noexcept : token_(o.token_), id_(o.id_) { o.token_ = nullptr; }
    ~Registration();

   private:
    friend class CancelToken;
    Registration(CancelToken* t, std::uint64_t id) : token_(t), id_(id) {}
    CancelToken* token_ = nullptr;
    std::uint64_t id_ = 0;
  };

  bool cancelled() const noexcept { return cancelled_.load(std::memory_order_acquire); }
  void cancel();
  [[nodiscard]] Registration on_cancel(std::function<void()> callback);

 private:
  std::atomic<bool> cancelled_{false};
  std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::function<void()>> callbacks_;
};

using CancelTokenPtr = std::shared_ptr<CancelToken>;

}  // namespace pms
