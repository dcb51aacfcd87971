#include "agent/conversation_writer.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace pms::agent {

namespace asio = boost::asio;

struct ConversationWriter::Pending {
  std::string key;
  std::string first_user_message;
  std::vector<json::object>& messages;
  std::function<void()> before;
  std::function<void(std::exception_ptr)> done;  // resumes the saving turn on its own executor
};

ConversationWriter::ConversationWriter(ConversationMemory& memory, asio::any_io_executor db_executor)
    : memory_(memory), db_(std::move(db_executor)) {}

asio::awaitable<void> ConversationWriter::save(std::string conversation_key, std::string first_user_message,
                                               std::vector<json::object>& messages, std::function<void()> before) {
  auto p = std::make_shared<Pending>(Pending{std::move(conversation_key), std::move(first_user_message), messages, std::move(before), {}});
  // A failure comes back as the handler's exception_ptr, which co_await rethrows. The initiation
  // is a named local (GCC 12 miscompiles temporaries in a co_await expression).
  auto initiation = [this, p](auto handler) {
    // The saving turn's executor has work outstanding until the handler ran (as for any async
    // operation): its io_context does not run out of work while the save waits on the pool.
    auto work = asio::make_work_guard(asio::get_associated_executor(handler));
    auto h = std::make_shared<decltype(handler)>(std::move(handler));
    p->done = [h, work](std::exception_ptr e) { asio::post(work.get_executor(), [h, work, e] { std::move(*h)(e); }); };
    enqueue(p);
  };
  co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(std::exception_ptr)>(std::move(initiation), asio::use_awaitable);
}

std::size_t ConversationWriter::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

void ConversationWriter::enqueue(std::shared_ptr<Pending> p) {
  bool start = false;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(p));
    start = !draining_;
    draining_ = true;
  }
  if (start) asio::post(db_, [this] { drain(); });
}

void ConversationWriter::drain() {
  for (;;) {
    std::vector<std::shared_ptr<Pending>> batch;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty()) {
        draining_ = false;
        return;
      }
      if (queue_.size() <= kMaxBatch) {
        batch.swap(queue_);
      } else {
        batch.assign(queue_.begin(), queue_.begin() + kMaxBatch);
        queue_.erase(queue_.begin(), queue_.begin() + kMaxBatch);
      }
      ++batches_;
    }
    write(batch);
  }
}

void ConversationWriter::write(const std::vector<std::shared_ptr<Pending>>& batch) {
  for (auto& p : batch)
    if (p->before) p->before();
  std::vector<std::exception_ptr> failures(batch.size());
  try {
    std::vector<ConversationMemory::Turn> turns;
    for (auto& p : batch) turns.push_back({p->key, p->first_user_message, p->messages});
    memory_.append_all(turns);
  } catch (...) {
    if (batch.size() == 1) {
      failures[0] = std::current_exception();
    } else {
      for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
          memory_.append(batch[i]->key, batch[i]->first_user_message, batch[i]->messages);
        } catch (...) {
          failures[i] = std::current_exception();
        }
      }
    }
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->done(failures[i]);
}

}  // namespace pms::agent
