#pragma once
// One turn, the same for every transport: the WebSocket chat and POST /api/chat both call
// TurnService::run. It registers the turn for shutdown (a forced shutdown cancels it; the agent
// saves what it had), counts it as running, waits for a place among the answers talking to the
// LLM, runs the agent, and maps any failure to the client's error once. Nothing throws past it.
#include "agent/agent.hpp"
#include "core/cancel_token.hpp"
#include "server/client_error.hpp"
#include "server/connection_registry.hpp"
#include "server/turn_gate.hpp"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <functional>
#include <optional>
#include <string>

namespace pms::server {

struct TurnRequest {
  // conversation_id chosen by the transport (the client's, or a new one), never empty; tenant
  // resolved at the edge; mode and project as the client asked.
  agent::TurnInput input;
  CancelTokenPtr cancel;  // the transport's: the client cancelled or went away; never null
  std::function<void(int)> on_queued;  // the turn's place in the queue for the LLM as it changes; may be empty
};

struct TurnResult {
  agent::TurnOutcome outcome;        // conversation_id always set; `cancelled` when it was stopped
  std::optional<ClientError> error;  // set: the turn failed (what it did is saved); tell the client this
  bool stopped_by_shutdown = false;  // cancelled because the server's shutdown timeout passed
};

class TurnService {
 public:
  TurnService(ConnectionRegistry& registry, TurnGate& gate, agent::Agent& agent, std::atomic<int>& running_turns)
      : registry_(registry), gate_(gate), agent_(agent), running_turns_(running_turns) {}

  // Runs the turn on the calling coroutine's executor, reporting to `observer` as it goes. While
  // the server shuts down a new turn is refused with `shutting_down`.
  boost::asio::awaitable<TurnResult> run(TurnRequest request, agent::TurnObserver& observer);

 private:
  ConnectionRegistry& registry_;
  TurnGate& gate_;
  agent::Agent& agent_;
  std::atomic<int>& running_turns_;
};

}  // namespace pms::server
