#pragma once
// Asks the model for the planner's plan (issue 16, section 3): one request without tools whose
// reply is constrained to the turn's plan schema (understanding/model_plan.hpp), read whole and
// never streamed to the user, then checked and built like a plan the planner made.
//
// Use (in the turn, when understand_question found no plan and a model is configured):
//   auto attempt = co_await ask_model_for_plan(llm, messages, catalog, now_ms, cancel);
//   `messages`: the turn's system prompt, the fitted history and the question, as for free tool calling.
//   attempt.plan set: run it through PlanRun like a planner plan (answered_by "model-plan");
//   else log attempt.why_not and fall back to free tool calling. An LlmError (unreachable,
//   timeout, cancelled, ...) propagates: treat it as any failed LLM call of the turn.
#include "core/cancel_token.hpp"
#include "llm/llm_client.hpp"
#include "understanding/query_plan.hpp"
#include "understanding/value_catalog.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pms::agent {

struct ModelPlanAttempt {
  std::optional<understanding::QueryPlan> plan;
  std::string why_not;                  // when there is no plan: what was wrong with the model's
  std::int64_t completion_tokens = -1;  // as the server reported them, -1 if it did not (or no request was sent)
  std::string raw;                      // the reply's content, the model's JSON as it wrote it
  bool asked = false;                   // a request was sent (not when the catalog offers nothing to plan over)
};

// The system instruction added for the request (to the first system message, or as one): the
// plan's keys in a line, since the schema constrains the reply but is not in the prompt.
extern const char* const kModelPlanInstruction;

// Parameters by value: a coroutine must own what it reads after its first suspension.
boost::asio::awaitable<ModelPlanAttempt> ask_model_for_plan(llm::LlmClient& llm, std::vector<llm::ChatMessage> messages,
                                                            std::shared_ptr<const understanding::ValueCatalog> catalog,
                                                            std::int64_t now_ms, CancelTokenPtr cancel);

}  // namespace pms::agent
