#include "mcp/stdio_transport.hpp"

#include "mcp/jsonrpc.hpp"

#include <condition_variable>
#include <deque>
#include <istream>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

namespace pms::mcp {

namespace {

// Reads one line into `line`, keeping at most `keep` bytes of it (the rest is read and dropped).
// False at the end of the input with nothing read.
bool read_line(std::streambuf& in, std::string& line, std::size_t keep) {
  line.clear();
  bool any = false;
  for (int c = in.sbumpc(); c != std::char_traits<char>::eof(); c = in.sbumpc()) {
    any = true;
    if (c == '\n') return true;
    if (line.size() < keep) line.push_back(static_cast<char>(c));
  }
  return any;
}

// The tools/call requests waiting for or running on the worker, by their id (as JSON text).
class CallQueue {
 public:
  struct Call {
    std::string message;
    std::string id;
    CancelTokenPtr cancel;
  };

  void push(std::string message, std::string id) {
    std::lock_guard lock(mutex_);
    auto token = std::make_shared<CancelToken>();
    tokens_[id] = token;
    calls_.push_back({std::move(message), std::move(id), std::move(token)});
    ready_.notify_one();
  }
  void cancel(const std::string& id) {
    std::lock_guard lock(mutex_);
    if (auto it = tokens_.find(id); it != tokens_.end()) it->second->cancel();
  }
  // The next call, or nullopt once closed and empty.
  std::optional<Call> pop() {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !calls_.empty(); });
    if (calls_.empty()) return std::nullopt;
    Call c = std::move(calls_.front());
    calls_.pop_front();
    return c;
  }
  void done(const std::string& id) {
    std::lock_guard lock(mutex_);
    tokens_.erase(id);
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Call> calls_;
  std::map<std::string, CancelTokenPtr> tokens_;
  bool closed_ = false;
};

}  // namespace

void serve_stdio(Session& session, std::istream& in, std::ostream& out) {
  std::mutex out_mutex;
  auto write = [&](const std::string& reply) {
    std::lock_guard lock(out_mutex);
    out << reply << '\n';
    out.flush();
  };
  CallQueue calls;
  std::thread worker([&] {
    while (auto call = calls.pop()) {
      std::optional<std::string> reply;
      if (!call->cancel->cancelled()) reply = session.handle(call->message, call->cancel.get());
      calls.done(call->id);
      if (reply && !call->cancel->cancelled()) write(*reply);
    }
  });

  std::size_t max_message_bytes = session.options().max_message_bytes;
  std::string line;
  // One byte past the limit is kept, so the session sees the message is too large.
  while (in.rdbuf() && read_line(*in.rdbuf(), line, max_message_bytes + 1)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto incoming = parse_message(line, max_message_bytes);
    if (auto* req = std::get_if<Request>(&incoming)) {
      if (req->notification && req->method == "notifications/cancelled") {
        if (auto* id = req->params.if_contains("requestId")) calls.cancel(dump(*id));
        continue;
      }
      if (!req->notification && req->method == "tools/call") {
        calls.push(std::move(line), dump(req->id));
        continue;
      }
    }
    if (auto reply = session.handle(line)) write(*reply);
  }
  calls.close();
  worker.join();
}

}  // namespace pms::mcp
