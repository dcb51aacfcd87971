#pragma once
// TEST DOUBLE. Faults the scripted LLM server can inject, chosen per request and deterministic from
// a seed so that a soak replays: the same seed and question give the same fault.
#include "support/scripted_llm_server.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pms::testing {

enum class LlmFault {
  none,             // the normal answer
  reset,            // the stream dies mid-way: a few tokens, then the connection is reset (RST)
  stall,            // a few tokens, then no byte more (longer than any read timeout) until the client hangs up
  garbage,          // a few tokens, then bytes that are no line or event of the wire format
  http_500,         // HTTP 500 with an error body
  model_not_found,  // HTTP 404 with Ollama's "model not found" body
  bad_tool_call,    // a malformed tool call (unknown tool, arguments not an object, not JSON, no name, wrong types)
  tool_loop,        // a tool call at every step, never an answer
  huge_line,        // one line (Ollama) or event (OpenAI) of FaultPlan::huge_line_bytes
};

inline constexpr std::array kInjectedFaults{LlmFault::reset,           LlmFault::stall,         LlmFault::garbage,
                                            LlmFault::http_500,        LlmFault::model_not_found, LlmFault::bad_tool_call,
                                            LlmFault::tool_loop,       LlmFault::huge_line};

std::string_view fault_name(LlmFault fault);
std::optional<LlmFault> fault_from_name(std::string_view name);

// Text that, in a user message, selects `fault` whatever the seed: "[fault:stall]".
std::string fault_marker(LlmFault fault);

struct FaultPlan {
  std::uint64_t seed = 1;
  double fault_share = 0.6;  // of questions without a marker, evenly spread over kInjectedFaults
  std::size_t huge_line_bytes = std::size_t{8} << 20;
  std::chrono::milliseconds delay{5};  // between the chunks of a faulting reply
};

// What `plan` does to a question: its marker if it has one, else a pick from hash(seed, question).
// `variant` chooses among the forms of a fault (which step it hits, which malformed tool call).
struct FaultChoice {
  LlmFault fault = LlmFault::none;
  std::uint64_t variant = 0;
};
FaultChoice choose_fault(const FaultPlan& plan, std::string_view question);

// A responder that answers with `normal`, except where `plan` injects a fault into the turn of
// the request's last user message. Faults hit step 1 (the first LLM call of a turn) or, for half
// of the stream faults, step 2 (after `normal`'s tool call ran); a tool loop hits every step.
Responder with_faults(FaultPlan plan, Responder normal);

}  // namespace pms::testing
