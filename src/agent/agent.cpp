#include "agent/agent.hpp"

#include "agent/answer_entities.hpp"
#include "agent/blocking_call.hpp"
#include "agent/model_plan_request.hpp"
#include "core/time_util.hpp"
#include "llm/llm_error.hpp"
#include "store/query/query_error.hpp"
#include "store/scoped_store.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/follow_up.hpp"
#include "understanding/follow_up_suggestions.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/shell_query.hpp"

#include <spdlog/spdlog.h>

namespace pms::agent {

namespace asio = boost::asio;

namespace {

json::object stamped(json::object o) {
  o["timestamp"] = now_iso8601();
  return o;
}

// "/q how many bugs?" -> "how many bugs?"; nullopt for a message without the prefix.
std::optional<std::string> planner_command(std::string_view message) {
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.front()))) message.remove_prefix(1);
  if (!message.starts_with("/q") || (message.size() > 2 && !std::isspace(static_cast<unsigned char>(message[2])))) return std::nullopt;
  message.remove_prefix(2);
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.front()))) message.remove_prefix(1);
  return std::string(message);
}

// Streams a composed answer as token events, a few words at a time, as a model would.
void stream_answer(TurnObserver& observer, std::string_view answer) {
  std::size_t start = 0;
  while (start < answer.size()) {
    std::size_t end = std::min(answer.size(), start + 24);
    while (end < answer.size() && answer[end] != ' ' && answer[end] != '\n') ++end;
    if (end < answer.size()) ++end;
    observer.on_token(answer.substr(start, end - start));
    start = end;
  }
}

// Forwards a reply's stream to the observer and keeps the timing of the turn.
class TurnSink : public llm::StreamSink {
 public:
  TurnSink(TurnObserver& o, SteadyClock::time_point turn_start) : observer_(o), turn_start_(turn_start) {}

  void begin_call() {
    call_first_delta_.reset();
    partial_.clear();
    in_call_ = true;
  }
  void end_call() {
    generation_ms_ += current_call_ms();
    in_call_ = false;
  }
  void on_content(std::string_view t) override {
    mark();
    if (!first_token_ms_) first_token_ms_ = elapsed_ms(turn_start_);
    ++deltas_;
    partial_.append(t);
    observer_.on_token(t);
  }
  void on_thinking(std::string_view t) override {
    mark();
    ++deltas_;
    observer_.on_thinking(t);
  }

  std::optional<double> first_token_ms() const { return first_token_ms_; }
  std::int64_t deltas() const { return deltas_; }
  // Includes a call that was interrupted (cancelled) while streaming.
  double generation_ms() const { return generation_ms_ + (in_call_ ? current_call_ms() : 0); }
  const std::string& partial() const { return partial_; }

 private:
  void mark() {
    if (!call_first_delta_) call_first_delta_ = SteadyClock::now();
  }
  double current_call_ms() const { return call_first_delta_ ? elapsed_ms(*call_first_delta_) : 0; }
  TurnObserver& observer_;
  SteadyClock::time_point turn_start_;
  std::optional<SteadyClock::time_point> call_first_delta_;
  std::optional<double> first_token_ms_;
  std::int64_t deltas_ = 0;
  double generation_ms_ = 0;
  bool in_call_ = false;
  std::string partial_;
};

}  // namespace

Agent::Agent(AgentServices services)
    : s_(std::move(services)), writer_(std::make_unique<ConversationWriter>(s_.memory, s_.db_executor)) {
  // About 3.5 characters per token: 60% of the window keeps room for the prompt and the answer.
  if (s_.config.tool_output_model_chars == 0)
    s_.config.tool_output_model_chars = std::max<std::size_t>(600, static_cast<std::size_t>(s_.llm_config.num_ctx) * 6 / 10);
  std::vector<llm::ToolSpec> specs;
  for (auto& d : s_.tools.definitions()) {
    specs.push_back({d.name, d.description, d.parameters});
    tool_spec_tokens_ += 10 + estimate_tokens(d.name) + estimate_tokens(d.description) + estimate_tokens(dump(d.parameters));
  }
  tools_ = std::make_shared<const llm::ToolSet>(std::move(specs));
}

understanding::Understanding Agent::understand(const std::string& question, const understanding::ValueCatalog* catalog,
                                              const ConversationMemory::Recall& recall, std::int64_t now_ms) const {
  static const understanding::ValueCatalog empty;
  std::optional<understanding::PlanContext> last;
  if (recall.last_plan) last = understanding::PlanContext::from_json(*recall.last_plan);
  return understanding::understand_message(question, catalog ? *catalog : empty, now_ms, last ? &*last : nullptr, !recall.history.empty());
}

asio::awaitable<TurnOutcome> Agent::run_turn(TurnInput input, TurnObserver& observer, CancelTokenPtr cancel) {
  const auto start = SteadyClock::now();
  const std::string& conversation_id = input.conversation_id;
  const std::string& message = input.message;
  const std::string& tenant = input.tenant;
  const std::string answer_mode = input.mode.empty() ? s_.config.answer_mode : input.mode;
  TurnOutcome out;
  out.conversation_id = conversation_id;
  const std::string memory_key = conversation_key(tenant, conversation_id);
  store::TenantView view(s_.store, s_.tenant_field, tenant);
  std::optional<understanding::ProjectScope> project;
  std::optional<store::ScopedStore> project_view;
  if (!input.project.empty()) {
    project = co_await run_blocking(s_.db_executor, [&] { return understanding::find_project(view.store(), input.project); });
    project_view.emplace(view.store(), store::project_scope(project->id));
    out.project = project->to_json();
  }
  store::DocumentStore& store = project_view ? *project_view : view.store();
  const understanding::ProjectScope* scope = project ? &*project : nullptr;

  std::vector<json::object> to_save{stamped(llm::to_json(llm::ChatMessage{"user", message, {}, {}, {}}))};
  if (out.project) to_save.front()["project"] = *out.project;  // the question's scope, restored with the conversation
  auto finish_without_model = [&]() -> asio::awaitable<void> {
    co_await save_turn(memory_key, message, to_save, out, store, tenant);
    out.first_token_ms = out.answer.empty() ? std::nullopt : std::optional<double>(elapsed_ms(start));
    out.elapsed_ms = elapsed_ms(start);
  };
  if (understanding::looks_like_shell_query(message)) {
    out.answered_by = "shell";
    try {
      co_await answer_shell(message, tenant, store, observer, cancel, to_save, out);
    } catch (const store::QueryCancelled&) {
      out.cancelled = true;
    }
    co_await finish_without_model();
    co_return out;
  }
  std::string question = message;
  auto command = planner_command(message);
  if (command) question = *command;
  const bool planner_only = command || s_.llm.provider() == "none" || answer_mode == "planner";

  // The conversation, and what the planner makes of the message in it.
  const std::int64_t now_ms = unix_now() * 1000;
  std::string prompt;
  std::shared_ptr<const understanding::ValueCatalog> catalog;
  auto [recall, u] = co_await run_blocking(s_.db_executor, [&] {
    auto recall = s_.memory.recall(memory_key);
    if (s_.catalog) catalog = s_.catalog(tenant);
    auto u = understand(question, catalog.get(), recall, now_ms);
    if (!planner_only) prompt = s_.system_prompt(tenant);
    return std::pair(std::move(recall), std::move(u));
  });
  // Understood with confidence: exact, in milliseconds, the query shown. The rest go to the model.
  if (planner_only || (answer_mode == "auto" && u.plan)) {
    out.answered_by = "planner";
    try {
      co_await answer_with_plan(std::move(u), "", scope, catalog, store, observer, cancel, to_save, out);
    } catch (const store::QueryCancelled&) {
      out.cancelled = true;
    }
    co_await finish_without_model();
    co_return out;
  }

  // The stored values the question's words stand for, so the model's filters match them; and
  // what the last answer counted or listed, which the question may build on.
  if (project)
    prompt += "\n\nThis conversation is limited to the project " + project->name + " (projectDisplayId \"" + project->short_id +
              "\", _id " + dump(project->id) + "): every tool sees only its documents, so answer about it alone.";
  if (auto hints = understanding::hints_for_model(u); !hints.empty()) prompt += "\n\n" + hints;
  if (recall.last_plan)
    if (auto summary = string_member(*recall.last_plan, "summary"))
      prompt += "\n\nThe last answer (by the built-in planner) was: " + std::string(*summary) + ".";

  llm::ChatMessage user{"user", message, {}, {}, {}};
  // What is left of the context window for earlier turns.
  long long budget = static_cast<long long>(s_.llm_config.num_ctx) - s_.llm_config.num_predict -
                     static_cast<long long>(estimate_tokens(prompt) + tool_spec_tokens_ + estimate_tokens(user)) - 64;
  llm::ChatRequest req;
  req.messages.push_back({"system", prompt, {}, {}, {}});
  for (auto& m : fit_history(recall.history, budget > 0 ? static_cast<std::size_t>(budget) : 0)) req.messages.push_back(std::move(m));
  req.messages.push_back(user);
  req.tools = tools_;

  TurnSink sink(observer, start);
  std::int64_t reported_tokens = 0;
  int reporting_calls = 0;  // calls that finished and reported their token count
  std::exception_ptr failure;
  std::string fallback_note;
  bool planned = false;  // the model's plan answered
  double plan_call_ms = 0;

  try {
    // First the planner's plan, filled by the model under a schema of the stored values.
    if (s_.config.model_plans && catalog && !u.plan) {
      observer.on_llm_start(1);
      auto call_start = SteadyClock::now();
      ++out.llm_calls;
      ModelPlanAttempt attempt;
      bool refused = false;  // the request was sent and failed
      try {
        attempt = co_await ask_model_for_plan(s_.llm, req.messages, catalog, now_ms, cancel);
      } catch (const llm::LlmError& e) {
        // A server that refuses the schema (HTTP 4xx) or garbles the reply: free tool calling
        // still can answer. Unreachable, missing model, timeouts and cancellation end as any call.
        if (e.code() != llm::LlmErrc::http_error && e.code() != llm::LlmErrc::stream_error) throw;
        refused = true;
        spdlog::warn("conversation {}: the model's plan could not be asked for ({}); free tool calling", conversation_id, e.what());
      }
      plan_call_ms = elapsed_ms(call_start);
      observer.on_llm_end(plan_call_ms / 1000.0);
      if (attempt.completion_tokens >= 0) {
        reported_tokens += attempt.completion_tokens;
        ++reporting_calls;
      }
      if (!attempt.asked && !refused) --out.llm_calls;  // the catalog offered nothing to plan over
      if (attempt.plan) {
        understanding::Understanding planned_u;
        planned_u.plan = std::move(attempt.plan);
        // Kept as the model wrote it: follow-ups re-read it as they re-read a question.
        planned_u.context = understanding::PlanContext{{{question, now_ms, attempt.raw}}};
        out.answered_by = "model-plan";
        co_await answer_with_plan(std::move(planned_u), "", scope, catalog, store, observer, cancel, to_save, out);
        out.first_token_ms = elapsed_ms(start);
        planned = true;
      } else if (attempt.asked) {
        spdlog::info("conversation {}: the model's plan was not used ({}); free tool calling", conversation_id, attempt.why_not);
      }
    }
    const int plan_calls = out.llm_calls;
    for (int step = plan_calls + 1; !planned; ++step) {
      bool last_step = step - plan_calls >= s_.config.max_steps;
      if (last_step) req.tools.reset();  // the model must answer now
      observer.on_llm_start(step);
      auto call_start = SteadyClock::now();
      sink.begin_call();
      ++out.llm_calls;
      llm::ChatResult r = co_await s_.llm.chat(req, sink, cancel.get());
      sink.end_call();
      observer.on_llm_end(elapsed_ms(call_start) / 1000.0);
      if (r.completion_tokens >= 0) {
        reported_tokens += r.completion_tokens;
        ++reporting_calls;
      }

      if (r.tool_calls.empty() || last_step) {
        out.answer = r.content;
        if (out.answer.empty() && !r.tool_calls.empty()) {
          out.answer = "I could not finish the answer within " + std::to_string(s_.config.max_steps) +
                       " steps. Try a more specific question.";
          observer.on_token(out.answer);
        }
        auto final_msg = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
        final_msg["answered_by"] = "model";
        to_save.push_back(std::move(final_msg));
        break;
      }

      llm::ChatMessage call_msg{"assistant", r.content, r.tool_calls, {}, {}};
      req.messages.push_back(call_msg);
      to_save.push_back(stamped(llm::to_json(call_msg)));
      for (auto& call : r.tool_calls) {
        llm::ChatMessage tool_msg;
        co_await run_tool(call, catalog.get(), store, observer, cancel, tool_msg);
        req.messages.push_back(tool_msg);
        to_save.push_back(stamped(llm::to_json(tool_msg)));
      }
      if (cancel && cancel->cancelled()) throw store::QueryCancelled();
    }
  } catch (const llm::LlmError& e) {
    if (e.code() == llm::LlmErrc::cancelled) out.cancelled = true;
    else failure = std::current_exception();
    // Nothing of the turn reached the user yet and the model is not there: the planner answers.
    bool model_missing = e.code() == llm::LlmErrc::unreachable || e.code() == llm::LlmErrc::model_not_found;
    if (model_missing && out.llm_calls == 1 && sink.deltas() == 0) {
      failure = nullptr;
      fallback_note = e.what();
      observer.on_llm_end(elapsed_ms(start) / 1000.0);
    }
  } catch (const store::QueryCancelled&) {
    out.cancelled = true;
  }
  if (!fallback_note.empty()) {
    out.answered_by = "planner";
    try {
      co_await answer_with_plan(std::move(u), fallback_note, scope, catalog, store, observer, cancel, to_save, out);
    } catch (const store::QueryCancelled&) {
      out.cancelled = true;
    }
    out.first_token_ms = elapsed_ms(start);
  }

  if (out.cancelled && fallback_note.empty() && !planned) {
    out.answer = sink.partial();
    if (!out.answer.empty()) {
      auto m = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
      m["stopped"] = true;
      m["answered_by"] = "model";
      to_save.push_back(std::move(m));
    }
  }
  co_await save_turn(memory_key, message, to_save, out, store, tenant);
  if (failure) std::rethrow_exception(failure);

  if (fallback_note.empty() && !planned) out.first_token_ms = sink.first_token_ms();
  // The server's counts when every call reported one; else (an interrupted call) the pieces streamed.
  out.tokens = out.llm_calls > 0 && reporting_calls == out.llm_calls ? reported_tokens : sink.deltas();
  out.elapsed_ms = elapsed_ms(start);
  double gen_s = (planned ? plan_call_ms : sink.generation_ms()) / 1000.0;
  out.tokens_per_second = gen_s > 0 ? static_cast<double>(out.tokens) / gen_s : 0.0;
  co_return out;
}

asio::awaitable<tools::ToolResult> Agent::run_tool(llm::ToolCall call, const understanding::ValueCatalog* catalog,
                                                   store::DocumentStore& store, TurnObserver& observer, CancelTokenPtr cancel,
                                                   llm::ChatMessage& tool_message) {
  observer.on_tool_start(call.name, call.arguments, catalog ? understanding::names_of_ids(call.arguments, *catalog) : json::object{});
  auto started = SteadyClock::now();
  tools::ToolResult result;
  if (!call.arguments_error.empty()) {
    result = {false, nullptr, call.arguments_error};
  } else {
    result = co_await run_blocking(s_.db_executor, [&] { return s_.tools.run(call.name, call.arguments, store, cancel.get()); });
  }
  observer.on_tool_end(call.name, tools::render_result(result, s_.config.tool_output_display_chars), elapsed_ms(started), result.ok);
  tool_message = {"tool", tools::render_result(result, s_.config.tool_output_model_chars), {}, call.name, call.id};
  co_return result;
}

asio::awaitable<void> Agent::save_turn(std::string memory_key, std::string message, std::vector<json::object>& to_save, TurnOutcome& out,
                                       store::DocumentStore& store, std::string tenant) {
  // One trip to the database pool: the answer's entities, then the turn saved with them (in a
  // transaction shared with the other turns that finish meanwhile).
  std::function<void()> entities = [&] {
    try {
      name_answer_entities(s_, store, tenant, out, to_save);
    } catch (const std::exception& e) {  // the answer keeps its words, without links
      spdlog::warn("the entities of an answer could not be looked up: {}", e.what());
    }
  };
  try {
    co_await writer_->save(std::move(memory_key), std::move(message), to_save, std::move(entities));
  } catch (const store::StoreError& e) {
    throw store::StoreError(std::string("the answer was not saved to the conversation: ") + e.what());
  }
}

asio::awaitable<tools::ToolResult> Agent::run_planned_call(understanding::ToolCall planned, const understanding::ValueCatalog* catalog,
                                                           store::DocumentStore& store, TurnObserver& observer, CancelTokenPtr cancel,
                                                           std::vector<json::object>& to_save) {
  llm::ToolCall call{"planner_" + std::to_string(to_save.size()), planned.name, planned.arguments, ""};
  to_save.push_back(stamped(llm::to_json(llm::ChatMessage{"assistant", "", {call}, {}, {}})));
  llm::ChatMessage tool_msg;
  auto result = co_await run_tool(call, catalog, store, observer, cancel, tool_msg);
  to_save.push_back(stamped(llm::to_json(tool_msg)));
  if (cancel && cancel->cancelled()) throw store::QueryCancelled();
  co_return result;
}

namespace {

// Ends an answer with why the LLM did not give it, when it was asked.
std::string with_note(std::string answer, std::string note) {
  while (!note.empty() && note.back() == '.') note.pop_back();
  if (!note.empty()) answer += "\n\n_Answered by the built-in question planner: " + note + "._";
  return answer;
}

}  // namespace

asio::awaitable<void> Agent::answer_with_plan(understanding::Understanding u, std::string note, const understanding::ProjectScope* project,
                                              std::shared_ptr<const understanding::ValueCatalog> catalog, store::DocumentStore& store,
                                              TurnObserver& observer, CancelTokenPtr cancel, std::vector<json::object>& to_save,
                                              TurnOutcome& out) {
  std::string answer;
  json::object saved;
  if (project) understanding::scope_to_project(u, *project);
  if (!u.plan) {
    answer = understanding::explain_refusal(u);
  } else {
    understanding::PlanRun plan_run(*u.plan);
    while (auto call = plan_run.next()) plan_run.feed(co_await run_planned_call(*call, catalog.get(), store, observer, cancel, to_save));
    answer = (u.follow_up.empty() ? "" : u.follow_up + "\n\n") + plan_run.answer();
    out.page = plan_run.page();
    // Kept with the answer: what a follow-up builds on, and what the model is told it was.
    if (u.context) {
      auto context = u.context->to_json();
      context["summary"] = u.plan->summary();
      saved["plan_context"] = std::move(context);
    }
    if (out.page) saved["page"] = json::object{{"offset", out.page->offset}, {"shown", out.page->shown}, {"total", out.page->total}};
    out.chart = plan_run.chart();
    if (out.chart) saved["chart"] = *out.chart;
    if (u.context && catalog) out.suggestions = understanding::follow_up_suggestions(plan_run, *u.context, *catalog, unix_now() * 1000);
    if (!out.suggestions.empty()) saved["suggestions"] = json::array(out.suggestions.begin(), out.suggestions.end());
  }
  out.answer = with_note(std::move(answer), std::move(note));
  stream_answer(observer, out.answer);
  auto final_msg = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
  final_msg["answered_by"] = out.answered_by;
  for (auto& [k, v] : saved) final_msg[k] = v;
  to_save.push_back(std::move(final_msg));
}

asio::awaitable<void> Agent::answer_shell(std::string query, std::string tenant, store::DocumentStore& store, TurnObserver& observer,
                                          CancelTokenPtr cancel, std::vector<json::object>& to_save, TurnOutcome& out) {
  try {
    auto call = understanding::parse_shell_query(query);
    auto catalog = co_await run_blocking(s_.db_executor, [&] { return s_.catalog ? s_.catalog(tenant) : nullptr; });
    auto result = co_await run_planned_call(call, catalog.get(), store, observer, cancel, to_save);
    out.answer = understanding::describe_tool_result(call, result);
  } catch (const understanding::ShellQueryError& e) {
    out.answer = std::string("That shell query could not be run: ") + e.what();
  }
  stream_answer(observer, out.answer);
  auto final_msg = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
  final_msg["answered_by"] = "shell";
  to_save.push_back(std::move(final_msg));
}

}  // namespace pms::agent
