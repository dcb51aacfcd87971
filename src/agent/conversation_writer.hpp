#pragma once
// Saves finished turns to their conversations with group commit: the turns that finish while a
// batch is being written wait, and are then written together in one transaction, so a burst of
// answers costs a few commits instead of one each, and the database pool's other thread stays
// free for the reads that start turns. A save returns once its own transaction has committed
// (the turn's `complete` is sent after it), or throws its own failure: a batch that fails is
// written again turn by turn, so one turn that cannot be stored does not fail the others.
#include "agent/conversation_memory.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pms::agent {

class ConversationWriter {
 public:
  // At most this many turns in one transaction.
  static constexpr std::size_t kMaxBatch = 256;

  ConversationWriter(ConversationMemory& memory, boost::asio::any_io_executor db_executor);

  // Runs `before` (work the save needs first, e.g. the answer's entities; it must not throw) and
  // then appends `messages` on the database pool. `messages` must stay alive until this returns.
  // Throws store::StoreError when the turn could not be saved.
  boost::asio::awaitable<void> save(std::string conversation_key, std::string first_user_message,
                                    std::vector<json::object>& messages, std::function<void()> before);

  // Transactions written so far, for tests and the log.
  std::size_t batches() const;

 private:
  struct Pending;
  void enqueue(std::shared_ptr<Pending> p);
  void drain();  // on the pool, until the queue is empty
  void write(const std::vector<std::shared_ptr<Pending>>& batch);

  ConversationMemory& memory_;
  boost::asio::any_io_executor db_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Pending>> queue_;
  bool draining_ = false;
  std::size_t batches_ = 0;
};

}  // namespace pms::agent
