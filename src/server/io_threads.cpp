#include "server/io_threads.hpp"

#include <thread>

namespace pms::server {

namespace asio = boost::asio;

IoThreads::IoThreads(int count) {
  for (int i = 0; i < std::max(1, count); ++i) {
    // Hint 1: only this context's thread runs it, so Asio keeps the handlers it posts to itself on
    // a private queue (no lock, no wake-up); other threads' posts (the database pool's) still work.
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    keep_running_.push_back(asio::make_work_guard(*contexts_.back()));
  }
}

IoThreads::~IoThreads() { stop(); }

asio::any_io_executor IoThreads::next() {
  return contexts_[next_.fetch_add(1, std::memory_order_relaxed) % contexts_.size()]->get_executor();
}

void IoThreads::run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) threads.emplace_back([c = contexts_[i].get()] { c->run(); });
  contexts_.front()->run();
  for (auto& t : threads) t.join();
}

void IoThreads::stop() {
  for (auto& c : contexts_) c->stop();
}

}  // namespace pms::server
