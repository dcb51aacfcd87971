#include "server/turn_service.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>

namespace pms::server {

namespace asio = boost::asio;

namespace {

// The turn's own cancellation: fired by the transport's token or by a forced shutdown, always on
// the turn's executor. A token of its own, so that the shutdown never fires the transport's
// (which would read as the client having left).
struct TurnStop {
  CancelToken token;
  bool by_shutdown = false;
};

}  // namespace

asio::awaitable<TurnResult> TurnService::run(TurnRequest request, agent::TurnObserver& observer) {
  TurnResult result;
  result.outcome.conversation_id = request.input.conversation_id;
  if (registry_.shutting_down()) {
    result.error = shutting_down_error();
    co_return result;
  }
  auto ex = co_await asio::this_coro::executor;
  auto stop = std::make_shared<TurnStop>();
  CancelTokenPtr cancel(stop, &stop->token);
  std::weak_ptr<TurnStop> weak = stop;
  auto link = request.cancel->on_cancel([ex, weak] {
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) s->token.cancel();
    });
  });
  // Registered until the result is handed back, so that the server waits for it (and its save)
  // before it stops; the transport writes the result without waiting on anything else first.
  auto entry = registry_.add([ex, weak](bool force) {
    if (!force) return;  // the answer finishes, up to the shutdown timeout
    asio::post(ex, [weak] {
      if (auto s = weak.lock()) {
        s->by_shutdown = true;
        s->token.cancel();
      }
    });
  });
  ++running_turns_;
  struct Leave {
    TurnService& service;
    std::uint64_t entry;
    ~Leave() {
      --service.running_turns_;
      service.registry_.remove(entry);
    }
  } leave{*this, entry};

  std::exception_ptr failure;
  try {
    auto slot = co_await gate_.enter(*cancel, std::move(request.on_queued));
    if (slot) {
      result.outcome = co_await agent_.run_turn(request.input, observer, cancel);
    } else {
      result.outcome.cancelled = true;  // cancelled while it waited for the LLM: nothing ran, nothing is saved
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) result.error = client_error_from(failure, "turn of conversation " + request.input.conversation_id);
  result.stopped_by_shutdown = stop->by_shutdown;
  co_return result;
}

}  // namespace pms::server
