#include "agent/agent.hpp"

#include "agent/blocking_call.hpp"
#include "core/time_util.hpp"
#include "llm/llm_error.hpp"
#include "store/query/query_error.hpp"
#include "store/tenant_scoped_store.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/shell_query.hpp"

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

Agent::Agent(AgentServices services) : s_(std::move(services)) {
  // About 3.5 characters per token: 60% of the window keeps room for the prompt and the answer.
  if (s_.config.tool_output_model_chars == 0)
    s_.config.tool_output_model_chars = std::max<std::size_t>(600, static_cast<std::size_t>(s_.llm_config.num_ctx) * 6 / 10);
  for (auto& d : s_.tools.definitions()) {
    tool_specs_.push_back({d.name, d.description, d.parameters});
    tool_spec_tokens_ += 10 + estimate_tokens(d.name) + estimate_tokens(d.description) + estimate_tokens(dump(d.parameters));
  }
}

asio::awaitable<TurnOutcome> Agent::run_turn(std::string conversation_id, std::string message, TurnObserver& observer,
                                             CancelTokenPtr cancel, std::string tenant) {
  const auto start = SteadyClock::now();
  TurnOutcome out;
  out.conversation_id = conversation_id;
  const std::string memory_key = conversation_key(tenant, conversation_id);
  store::TenantView view(s_.store, s_.tenant_field, tenant);
  store::DocumentStore& store = view.store();

  std::vector<json::object> to_save{stamped(llm::to_json(llm::ChatMessage{"user", message, {}, {}, {}}))};
  Mode mode = Mode::model;
  std::string question = message;
  if (auto q = planner_command(message)) {
    mode = Mode::planner;
    question = *q;
  } else if (understanding::looks_like_shell_query(message)) {
    mode = Mode::shell;
  } else if (s_.llm.provider() == "none") {
    mode = Mode::planner;
  }
  if (mode != Mode::model) {
    out.answered_by = mode == Mode::shell ? "shell" : "planner";
    try {
      out.answer = co_await answer_without_model(mode, question, tenant, "", store, observer, cancel, to_save);
    } catch (const store::QueryCancelled&) {
      out.cancelled = true;
    }
    co_await save_turn(memory_key, message, to_save);
    out.first_token_ms = out.answer.empty() ? std::nullopt : std::optional<double>(elapsed_ms(start));
    out.elapsed_ms = elapsed_ms(start);
    co_return out;
  }

  std::string prompt;
  auto history = co_await run_blocking(s_.db_executor, [&] {
    prompt = s_.system_prompt(tenant);
    // The stored values the question's words stand for, so the model's filters match them.
    if (s_.catalog) {
      auto catalog = s_.catalog(tenant);
      auto hints = understanding::hints_for_model(understanding::understand_question(message, *catalog, unix_now() * 1000));
      if (!hints.empty()) prompt += "\n\n" + hints;
    }
    return s_.memory.history(memory_key);
  });

  llm::ChatMessage user{"user", message, {}, {}, {}};
  // What is left of the context window for earlier turns.
  long long budget = static_cast<long long>(s_.llm_config.num_ctx) - s_.llm_config.num_predict -
                     static_cast<long long>(estimate_tokens(prompt) + tool_spec_tokens_ + estimate_tokens(user)) - 64;
  llm::ChatRequest req;
  req.messages.push_back({"system", prompt, {}, {}, {}});
  for (auto& m : fit_history(history, budget > 0 ? static_cast<std::size_t>(budget) : 0)) req.messages.push_back(std::move(m));
  req.messages.push_back(user);
  req.tools = tool_specs_;

  TurnSink sink(observer, start);
  std::int64_t reported_tokens = 0;
  int reporting_calls = 0;  // calls that finished and reported their token count
  std::exception_ptr failure;
  std::string fallback_note;

  try {
    for (int step = 1;; ++step) {
      bool last_step = step >= s_.config.max_steps;
      if (last_step) req.tools.clear();  // the model must answer now
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
        to_save.push_back(stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}})));
        break;
      }

      llm::ChatMessage call_msg{"assistant", r.content, r.tool_calls, {}, {}};
      req.messages.push_back(call_msg);
      to_save.push_back(stamped(llm::to_json(call_msg)));
      for (auto& call : r.tool_calls) {
        llm::ChatMessage tool_msg;
        co_await run_tool(call, store, observer, cancel, tool_msg);
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
      out.answer = co_await answer_without_model(Mode::planner, message, tenant, fallback_note, store, observer, cancel, to_save);
    } catch (const store::QueryCancelled&) {
      out.cancelled = true;
    }
    out.first_token_ms = elapsed_ms(start);
  }

  if (out.cancelled && fallback_note.empty()) {
    out.answer = sink.partial();
    if (!out.answer.empty()) {
      auto m = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
      m["stopped"] = true;
      to_save.push_back(std::move(m));
    }
  }
  co_await save_turn(memory_key, message, to_save);
  if (failure) std::rethrow_exception(failure);

  if (fallback_note.empty()) out.first_token_ms = sink.first_token_ms();
  // The server's counts when every call reported one; else (an interrupted call) the pieces streamed.
  out.tokens = out.llm_calls > 0 && reporting_calls == out.llm_calls ? reported_tokens : sink.deltas();
  out.elapsed_ms = elapsed_ms(start);
  double gen_s = sink.generation_ms() / 1000.0;
  out.tokens_per_second = gen_s > 0 ? static_cast<double>(out.tokens) / gen_s : 0.0;
  co_return out;
}

asio::awaitable<tools::ToolResult> Agent::run_tool(llm::ToolCall call, store::DocumentStore& store, TurnObserver& observer,
                                                   CancelTokenPtr cancel, llm::ChatMessage& tool_message) {
  observer.on_tool_start(call.name, call.arguments);
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

asio::awaitable<void> Agent::save_turn(std::string memory_key, std::string message, std::vector<json::object>& to_save) {
  co_await run_blocking(s_.db_executor, [&] {
    try {
      s_.memory.append(memory_key, message, to_save);
    } catch (const store::StoreError& e) {
      throw store::StoreError(std::string("the answer was not saved to the conversation: ") + e.what());
    }
    return 0;
  });
}

asio::awaitable<std::string> Agent::answer_without_model(Mode mode, std::string question, std::string tenant, std::string note,
                                                        store::DocumentStore& store, TurnObserver& observer, CancelTokenPtr cancel,
                                                        std::vector<json::object>& to_save) {
  int calls = 0;
  // Runs one tool call as the model's are run: shown, timed, saved with the conversation.
  // Saved as the model's calls are, so a later turn's model sees what was looked up.
  auto run_call = [&](understanding::ToolCall planned) -> asio::awaitable<tools::ToolResult> {
    llm::ToolCall call{"planner_" + std::to_string(++calls), planned.name, planned.arguments, ""};
    to_save.push_back(stamped(llm::to_json(llm::ChatMessage{"assistant", "", {call}, {}, {}})));
    llm::ChatMessage tool_msg;
    auto result = co_await run_tool(call, store, observer, cancel, tool_msg);
    to_save.push_back(stamped(llm::to_json(tool_msg)));
    if (cancel && cancel->cancelled()) throw store::QueryCancelled();
    co_return result;
  };

  std::string answer;
  if (mode == Mode::shell) {
    try {
      auto call = understanding::parse_shell_query(question);
      auto result = co_await run_call(call);
      answer = understanding::describe_tool_result(call, result);
    } catch (const understanding::ShellQueryError& e) {
      answer = std::string("That shell query could not be run: ") + e.what();
    }
  } else {
    auto catalog = co_await run_blocking(s_.db_executor, [&] { return s_.catalog ? s_.catalog(tenant) : nullptr; });
    static const understanding::ValueCatalog empty;
    auto u = understanding::understand_question(question, catalog ? *catalog : empty, unix_now() * 1000);
    if (!u.plan) {
      answer = understanding::explain_refusal(u);
    } else {
      understanding::PlanRun plan_run(*u.plan);
      while (auto call = plan_run.next()) plan_run.feed(co_await run_call(*call));
      answer = plan_run.answer();
    }
  }
  while (!note.empty() && note.back() == '.') note.pop_back();
  if (!note.empty()) answer += "\n\n_Answered by the built-in question planner: " + note + "._";
  stream_answer(observer, answer);
  to_save.push_back(stamped(llm::to_json(llm::ChatMessage{"assistant", answer, {}, {}, {}})));
  co_return answer;
}

}  // namespace pms::agent
