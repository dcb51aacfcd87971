#include "agent/model_plan_request.hpp"

#include "understanding/model_plan.hpp"

namespace pms::agent {

const char* const kModelPlanInstruction =
    "Answer with the query plan only, one JSON object: entity (the collection asked about), operation (count, list, group "
    "or top), filters (each field's value exactly as stored; state_group: open, done, cancelled, in progress or not "
    "started; dates YYYY-MM-DD), and when asked group_by, sort, limit.";

namespace {

// The plan is read whole and checked before anything of it reaches the user.
class Discard : public llm::StreamSink {
 public:
  void on_content(std::string_view) override {}
  void on_thinking(std::string_view) override {}
};

}  // namespace

boost::asio::awaitable<ModelPlanAttempt> ask_model_for_plan(llm::LlmClient& llm, std::vector<llm::ChatMessage> messages,
                                                            std::shared_ptr<const understanding::ValueCatalog> catalog,
                                                            std::int64_t now_ms, CancelTokenPtr cancel) {
  ModelPlanAttempt out;
  auto schema = catalog ? understanding::model_plan_schema(*catalog) : json::object{};
  if (schema.empty()) {
    out.why_not = "the data holds nothing a plan could be about yet";
    co_return out;
  }
  llm::ChatRequest req;
  req.messages = std::move(messages);
  // One system message, first: some chat templates refuse a second one later in the conversation.
  if (!req.messages.empty() && req.messages.front().role == "system") req.messages.front().content += "\n\n" + std::string(kModelPlanInstruction);
  else req.messages.insert(req.messages.begin(), llm::ChatMessage{"system", kModelPlanInstruction, {}, {}, {}});
  req.response_schema = llm::ResponseSchema{"query_plan", std::move(schema)};

  Discard sink;
  out.asked = true;
  llm::ChatResult reply = co_await llm.chat(req, sink, cancel.get());
  out.completion_tokens = reply.completion_tokens;
  out.raw = std::move(reply.content);
  auto built = understanding::plan_from_model_json(out.raw, *catalog, now_ms);
  if (auto* plan = std::get_if<understanding::QueryPlan>(&built)) out.plan = std::move(*plan);
  else out.why_not = std::move(std::get<std::string>(built));
  co_return out;
}

}  // namespace pms::agent
