#pragma once
// The server's I/O threads: one io_context per thread, each run by that thread alone. A connection
// is given to one of them when it is accepted and everything it does runs there: its reads and
// writes, its turn, the LLM connection the turn opens. Nothing of a connection ever hops threads,
// so it needs no strand, and a token read from the LLM is written to the client by the thread
// that read it (one shared io_context run by every thread handed completions from thread to
// thread, a wake-up each, a tenth of the server's CPU while streaming).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace pms::server {

class IoThreads {
 public:
  explicit IoThreads(int count);
  ~IoThreads();

  int size() const { return static_cast<int>(contexts_.size()); }
  // The first context: the listener, signals and the shutdown's timers run on it.
  boost::asio::io_context& main() { return *contexts_.front(); }
  // The context for the next connection, in turn: streams of a similar cost spread evenly.
  boost::asio::any_io_executor next();

  // Runs every context, the first on the calling thread; returns once all have stopped.
  void run();
  // Stops every context; callable from any thread.
  void stop();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> keep_running_;  // a context without a connection waits for one
  std::atomic<unsigned> next_{0};
};

}  // namespace pms::server
