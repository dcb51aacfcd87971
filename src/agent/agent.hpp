#pragma once
// The tool-calling loop: the model answers or calls tools, tool results go back to it, until it
// answers or the step limit forces an answer. Everything the turn does is reported to a
// TurnObserver as it happens and persisted to the conversation afterwards.
#include "agent/conversation_memory.hpp"
#include "agent/conversation_writer.hpp"
#include "core/cancel_token.hpp"
#include "core/config.hpp"
#include "llm/llm_client.hpp"
#include "store/document_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/project_scope.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/value_catalog.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <string>

namespace pms::agent {

class TurnObserver {
 public:
  virtual ~TurnObserver() = default;
  virtual void on_llm_start(int step) = 0;
  virtual void on_token(std::string_view text) = 0;
  virtual void on_thinking(std::string_view text) = 0;
  virtual void on_llm_end(double elapsed_s) = 0;
  // `names`: the ids in `input` the catalog knows, with their names ({} when none).
  virtual void on_tool_start(std::string_view tool, const json::value& input, const json::object& names) = 0;
  virtual void on_tool_end(std::string_view tool, std::string_view output, double elapsed_ms, bool ok) = 0;
};

struct TurnOutcome {
  std::string conversation_id;
  std::string answer;
  std::optional<double> first_token_ms;  // from the user's message to the first answer token
  std::int64_t tokens = 0;               // generated, over all LLM calls of the turn
  double tokens_per_second = 0;
  double elapsed_ms = 0;
  int llm_calls = 0;
  bool cancelled = false;
  // "model", "planner" (the built-in question planner: it understood the question, or /q, --llm none,
  // --answer-mode planner, the LLM unreachable), "model-plan" (the model filled the planner's plan)
  // or "shell" (a MongoDB shell query run as written).
  std::string answered_by = "model";
  std::optional<understanding::ListPage> page;  // a list answer that is one page of more
  std::optional<json::object> chart;             // the chart a breakdown or series calls for (PlanRun::chart)
  std::vector<std::string> suggestions;          // follow-ups the planner would understand ("by assignee", "show all 30")
  json::array entities;                          // what the answer names, for links (answer_entities.hpp)
  std::optional<json::object> project;           // the project the turn was limited to (ProjectScope::to_json)
};

// What one turn is asked to do.
struct TurnInput {
  std::string conversation_id;
  std::string message;
  std::string tenant;   // empty: the whole database
  std::string mode;     // "auto", "model", "planner"; empty: the configured one (AgentConfig::answer_mode)
  std::string project;  // a project's projectDisplayId or _id the turn is limited to; empty: all projects
};

struct AgentServices {
  llm::LlmClient& llm;
  const tools::ToolRegistry& tools;
  store::DocumentStore& store;
  ConversationMemory& memory;
  boost::asio::any_io_executor db_executor;  // blocking database work runs here
  AgentConfig config;
  LlmConfig llm_config;
  // The system prompt for a tenant's turns (empty: the whole database). Called on db_executor.
  std::function<std::string(const std::string& tenant)> system_prompt;
  std::string tenant_field = "business._id";
  // The stored values a tenant's questions are linked against (empty tenant: the whole database).
  // Called on db_executor; may return an empty catalog while the database is unreachable.
  std::function<std::shared_ptr<const understanding::ValueCatalog>(const std::string& tenant)> catalog;
};

class Agent {
 public:
  explicit Agent(AgentServices services);

  // Runs one turn on the calling coroutine's executor. The LLM answers, with the stored values the
  // question's words stand for as hints; the built-in question planner answers instead (its tool
  // calls shown like the model's, its answer streamed as tokens) when the message starts with
  // "/q", with --llm none, and when the LLM cannot be reached. A message that is a MongoDB shell
  // query (db.workItem.find({...})) runs as written. A cancelled turn returns normally with
  // `cancelled` set. Throws llm::LlmError when the LLM fails and store::StoreError when the
  // conversation cannot be read or saved; what the turn did is saved before an LLM error is thrown.
  // With a `tenant`, the tools see only that business's documents, and the conversation is the
  // tenant's own (another tenant using the same id has another conversation). With a `project`,
  // every query of the turn (the planner's, the model's, a shell query) sees only that project's
  // documents, the planner's answer says so, and the question is saved with the project; a
  // project that is not the tenant's throws understanding::UnknownProject before anything runs.
  // `mode` chooses the path for this turn. A follow-up ("and only the urgent ones", "show more")
  // changes the conversation's last plan (understanding/follow_up.hpp), kept with the conversation.
  boost::asio::awaitable<TurnOutcome> run_turn(TurnInput input, TurnObserver& observer, CancelTokenPtr cancel);

  const AgentServices& services() const { return s_; }

 private:
  // Runs one tool call on the database pool, reported to the observer; `tool_message` becomes the
  // result as the model sees it.
  boost::asio::awaitable<tools::ToolResult> run_tool(llm::ToolCall call, const understanding::ValueCatalog* catalog,
                                                     store::DocumentStore& store, TurnObserver& observer, CancelTokenPtr cancel,
                                                     llm::ChatMessage& tool_message);
  // Appends the turn's messages to its conversation (on the database pool).
  // Saves the turn, its answer's entities (`out`, looked up in the tenant's `store`) with it.
  boost::asio::awaitable<void> save_turn(std::string memory_key, std::string message, std::vector<json::object>& to_save, TurnOutcome& out,
                                         store::DocumentStore& store, std::string tenant);
  // A tool call the planner or a shell query makes, run as the model's are: shown, timed, saved
  // with the conversation (so a later turn's model sees what was looked up).
  boost::asio::awaitable<tools::ToolResult> run_planned_call(understanding::ToolCall planned, const understanding::ValueCatalog* catalog,
                                                             store::DocumentStore& store, TurnObserver& observer, CancelTokenPtr cancel,
                                                             std::vector<json::object>& to_save);
  // Answers with the plan `u` holds (or its refusal), streamed as tokens; the answer is saved with
  // the plan, for follow-ups. `note` (why the LLM did not answer, when it was asked) ends it. With
  // a `project`, the plan is limited to it first (understanding::scope_to_project).
  boost::asio::awaitable<void> answer_with_plan(understanding::Understanding u, std::string note, const understanding::ProjectScope* project,
                                                std::shared_ptr<const understanding::ValueCatalog> catalog, store::DocumentStore& store,
                                                TurnObserver& observer, CancelTokenPtr cancel, std::vector<json::object>& to_save,
                                                TurnOutcome& out);
  // Runs a MongoDB shell query as written.
  boost::asio::awaitable<void> answer_shell(std::string query, std::string tenant, store::DocumentStore& store, TurnObserver& observer,
                                            CancelTokenPtr cancel, std::vector<json::object>& to_save, TurnOutcome& out);
  // The planner's reading of `question` in its conversation (blocking, on db_executor).
  understanding::Understanding understand(const std::string& question, const understanding::ValueCatalog* catalog,
                                          const ConversationMemory::Recall& recall, std::int64_t now_ms) const;

  AgentServices s_;
  std::unique_ptr<ConversationWriter> writer_;  // saves turns with group commit
  std::shared_ptr<const llm::ToolSet> tools_;  // what every request of the model offers
  std::size_t tool_spec_tokens_ = 0;
};

}  // namespace pms::agent
