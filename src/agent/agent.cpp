#include "agent/agent.hpp"

#include "agent/blocking_call.hpp"
#include "core/time_util.hpp"
#include "llm/llm_error.hpp"
#include "store/query/query_error.hpp"
#include "store/tenant_scoped_store.hpp"


namespace pms::agent {

namespace asio = boost::asio;

namespace {

json::object stamped(json::object o) {
  o["timestamp"] = now_iso8601();
  return o;
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
  std::optional<store::TenantScopedStore> scoped;
  if (!tenant.empty()) scoped.emplace(s_.store, s_.tenant_field, tenant);
  store::DocumentStore& store = scoped ? static_cast<store::DocumentStore&>(*scoped) : s_.store;

  std::string prompt;
  auto history = co_await run_blocking(s_.db_executor, [&] {
    prompt = s_.system_prompt(tenant);
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

  std::vector<json::object> to_save{stamped(llm::to_json(user))};
  TurnSink sink(observer, start);
  std::int64_t reported_tokens = 0;
  int reporting_calls = 0;  // calls that finished and reported their token count
  std::exception_ptr failure;

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
        observer.on_tool_start(call.name, call.arguments);
        auto tool_start = SteadyClock::now();
        tools::ToolResult result;
        if (!call.arguments_error.empty()) {
          result = {false, nullptr, call.arguments_error};
        } else {
          result = co_await run_blocking(s_.db_executor, [&] { return s_.tools.run(call.name, call.arguments, store, cancel.get()); });
        }
        std::string for_model = tools::render_result(result, s_.config.tool_output_model_chars);
        observer.on_tool_end(call.name, tools::render_result(result, s_.config.tool_output_display_chars),
                             elapsed_ms(tool_start), result.ok);
        llm::ChatMessage tool_msg{"tool", for_model, {}, call.name, call.id};
        req.messages.push_back(tool_msg);
        to_save.push_back(stamped(llm::to_json(tool_msg)));
      }
      if (cancel && cancel->cancelled()) throw store::QueryCancelled();
    }
  } catch (const llm::LlmError& e) {
    if (e.code() == llm::LlmErrc::cancelled) out.cancelled = true;
    else failure = std::current_exception();
  } catch (const store::QueryCancelled&) {
    out.cancelled = true;
  }

  if (out.cancelled) {
    out.answer = sink.partial();
    if (!out.answer.empty()) {
      auto m = stamped(llm::to_json(llm::ChatMessage{"assistant", out.answer, {}, {}, {}}));
      m["stopped"] = true;
      to_save.push_back(std::move(m));
    }
  }
  co_await run_blocking(s_.db_executor, [&] {
    try {
      s_.memory.append(memory_key, message, to_save);
    } catch (const store::StoreError& e) {
      throw store::StoreError(std::string("the answer was not saved to the conversation: ") + e.what());
    }
    return 0;
  });
  if (failure) std::rethrow_exception(failure);

  out.first_token_ms = sink.first_token_ms();
  // The server's counts when every call reported one; else (an interrupted call) the pieces streamed.
  out.tokens = out.llm_calls > 0 && reporting_calls == out.llm_calls ? reported_tokens : sink.deltas();
  out.elapsed_ms = elapsed_ms(start);
  double gen_s = sink.generation_ms() / 1000.0;
  out.tokens_per_second = gen_s > 0 ? static_cast<double>(out.tokens) / gen_s : 0.0;
  co_return out;
}

}  // namespace pms::agent
