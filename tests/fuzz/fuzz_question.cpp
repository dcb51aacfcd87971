// Questions and shell queries: any text is either understood into a plan whose filter the query
// engine accepts, or refused with an explanation; a shell query either becomes a tool call with
// valid JSON arguments or is refused with ShellQueryError. Never a crash or another exception.
#include "fuzz_support.hpp"
#include "core/time_util.hpp"
#include "store/query/filter.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/question_planner.hpp"
#include "understanding/shell_query.hpp"

namespace {

using namespace pms::understanding;

const ValueCatalog& catalog() {
  static const ValueCatalog c = [] {
    auto field = &CategoryField::of;
    ValueCatalog cat;
    CollectionCatalog wi{"workItem", 10, {}, {}};
    wi.categories = {field("state.name", {"Backlog", "In Progress", "Done", "Cancelled"}), field("priority", {"URGENT", "HIGH", "LOW"}),
                     field("assignee.name", {"Priya Patel", "Priya Shah", "Omar Chen"}), field("label.name", {"bug", "ux"}),
                     field("project.name", {"Mobile App"}), field("cycle.name", {"Sprint 3"}), field("modules.name", {"Billing"})};
    wi.dates = {{"createdTimeStamp", "2026-01-01", "2026-11-20"}, {"updatedTimeStamp", "2026-01-01", "2026-11-20"},
                {"endDate", "2026-01-01", "2026-12-01"}};
    cat.collections = {wi, {"cycle", 2, {field("status", {"ACTIVE", "UPCOMING"}), field("title", {"Sprint 3"})}, {}},
                       {"members", 2, {field("name", {"Omar Chen"}), field("role", {"ADMIN"})}, {}}};
    return cat;
  }();
  return c;
}

void check_question(std::string_view text) {
  static const auto now = *pms::parse_iso8601_ms("2026-11-20T12:00:00Z");
  auto u = understand_question(text, catalog(), now);
  if (!u.plan) {
    if (explain_refusal(u).empty()) std::abort();
    return;
  }
  pms::store::Filter::compile(u.plan->filter());  // throws QueryError (a bug here) if the plan is malformed
  PlanRun run(*u.plan);
  for (int i = 0; auto call = run.next(); ++i) {
    if (call->name.empty() || i > 4) std::abort();
    run.feed({false, nullptr, "not run"});
  }
  (void)hints_for_model(u);
}

void check_shell(std::string_view text) {
  try {
    auto call = parse_shell_query(text);
    if (call.name.empty() || !call.arguments.contains("collection")) std::abort();
    (void)pms::json::serialize(call.arguments);
  } catch (const ShellQueryError&) {
  }
  try {
    auto json_text = shell_literal_to_json(text);
    (void)pms::try_parse(json_text);  // may be invalid JSON for text that is not one literal; never a crash
  } catch (const ShellQueryError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto in = pms::fuzz::split_input(data, size);
  if (in.selector % 2 == 0) check_question(in.payload);
  else check_shell(in.payload);
  return 0;
}
