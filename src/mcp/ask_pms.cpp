#include "mcp/ask_pms.hpp"

#include "understanding/plan_run.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/shell_query.hpp"

namespace pms::mcp {

namespace {

std::string_view operation_name(understanding::Operation op) {
  switch (op) {
    case understanding::Operation::count: return "count";
    case understanding::Operation::list: return "list";
    case understanding::Operation::group: return "group";
  }
  return "list";
}

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

// Runs one planned call through the same registry the model's calls go through, and records it.
tools::ToolResult run_call(const understanding::ToolCall& call, const ToolboxServices& s, const CancelToken* cancel, json::array& made) {
  auto result = s.tools.run(call.name, call.arguments, s.store, cancel);
  json::object entry{{"name", call.name}, {"arguments", call.arguments}, {"ok", result.ok}};
  if (!result.ok) entry["error"] = result.error;
  made.push_back(std::move(entry));
  return result;
}

CallResult shell_answer(const std::string& question, const ToolboxServices& s, const CancelToken* cancel) {
  understanding::ToolCall call;
  try {
    call = understanding::parse_shell_query(question);
  } catch (const understanding::ShellQueryError& e) {
    return error_result(std::string("That shell query could not be run: ") + e.what());
  }
  json::array made;
  auto result = run_call(call, s, cancel, made);
  CallResult out;
  out.text = understanding::describe_tool_result(call, result);
  out.structured = json::object{{"answer", out.text}, {"answered_by", "shell"}, {"tool_calls", std::move(made)}};
  if (result.ok) out.structured["result"] = result.value;
  out.is_error = !result.ok;
  return out;
}

}  // namespace

const tools::ToolDefinition& ask_pms_definition() {
  static const tools::ToolDefinition def{
      "ask_pms",
      "Answer a question about the project-management data in plain words, e.g. \"how many open bugs are in Mobile App?\", "
      "\"urgent work items by assignee\", \"what's in the current sprint?\" (or run a MongoDB shell query such as "
      "db.workItem.find({priority: 'HIGH'})). Returns the answer, what was understood, the tool calls made and the rows. "
      "A question that is not understood with confidence is answered with what was not understood and questions that can be asked.",
      tools::schema_object({{"question", json::object{{"type", "string"}, {"description", "The question, in English"}}}}, {"question"})};
  return def;
}

CallResult ask_pms(const json::object& arguments, const ToolboxServices& s, const CancelToken* cancel) {
  std::string question = tools::required_string(arguments, "question");
  if (understanding::looks_like_shell_query(question)) return shell_answer(question, s, cancel);

  auto catalog = s.catalog();
  static const understanding::ValueCatalog empty;
  auto u = understanding::understand_question(question, catalog ? *catalog : empty, s.now_ms());
  CallResult out;
  json::object& o = out.structured;
  o["answered_by"] = "planner";
  o["understood"] = strings(u.understood);
  if (!catalog || !catalog->incomplete.empty()) o["catalog_note"] = catalog ? catalog->incomplete : "no value catalog";
  if (!u.plan) {
    // Not an error: the caller learns what to ask instead.
    out.text = understanding::explain_refusal(u);
    o["answer"] = out.text;
    o["answered"] = false;
    o["not_understood"] = strings(u.not_understood);
    if (!u.problem.empty()) o["problem"] = u.problem;
    o["suggestions"] = strings(u.suggestions);
    return out;
  }
  understanding::PlanRun run(*u.plan);
  json::array made;
  while (auto call = run.next()) run.feed(run_call(*call, s, cancel, made));
  auto& outcome = run.outcome();
  out.text = run.answer();
  o["answer"] = out.text;
  o["answered"] = outcome.error.empty();
  o["plan"] = json::object{{"summary", u.plan->summary()},
                           {"collection", u.plan->collection},
                           {"operation", operation_name(u.plan->operation)},
                           {"filter", u.plan->filter()}};
  o["tool_calls"] = std::move(made);
  if (outcome.count) o["count"] = *outcome.count;
  if (!outcome.rows.empty()) o["rows"] = json::array(outcome.rows.begin(), outcome.rows.end());
  if (!outcome.groups.empty()) {
    json::array groups;
    for (auto& [value, n] : outcome.groups) groups.push_back(json::object{{"value", value}, {"count", n}});
    o["groups"] = std::move(groups);
  }
  if (!outcome.error.empty()) {
    // The plan was understood but a tool failed (the database, a timeout): the caller may retry.
    o["error"] = outcome.error;
    out.is_error = true;
  }
  return out;
}

}  // namespace pms::mcp
