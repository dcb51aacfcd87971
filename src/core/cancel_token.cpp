#include "core/cancel_token.hpp"

#include <vector>

namespace pms {

CancelToken::Registration::~Registration() {
  if (!token_) return;
  std::lock_guard lock(token_->mutex_);
  token_->callbacks_.erase(id_);
}

void CancelToken::cancel() {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_.exchange(true, std::memory_order_acq_rel)) return;
    for (auto& [id, cb] : callbacks_) to_run.push_back(std::move(cb));
    callbacks_.clear();
  }
  for (auto& cb : to_run) cb();
}

CancelToken::Registration CancelToken::on_cancel(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!cancelled_.load(std::memory_order_acquire)) {
      auto id = next_id_++;
      callbacks_.emplace(id, std::move(callback));
      return Registration(this, id);
    }
  }
  callback();
  return Registration();
}

}  // namespace pms
