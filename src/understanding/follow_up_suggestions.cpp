#include "understanding/follow_up_suggestions.hpp"

#include "understanding/follow_up.hpp"
#include "understanding/pms_model.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {

// Whether a condition of the plan is on the role (by its value paths or their reference ids).
bool filtered(const QueryPlan& plan, const RoleSpec& role) {
  for (auto p : role.paths)
    if (plan.group_path == p) return true;  // grouped by it: each of its values is there already
  for (auto& c : plan.conditions)
    for (auto p : role.paths) {
      std::string_view path = p;
      auto head = path.substr(0, path.rfind('.'));
      if (c.path == path || (path.find('.') != std::string_view::npos && c.path == std::string(head) + "._id")) return true;
    }
  return false;
}

}  // namespace

std::vector<std::string> follow_up_suggestions(const PlanRun& run, const PlanContext& context, const ValueCatalog& catalog,
                                               std::int64_t now_ms) {
  const auto& plan = run.plan();
  const auto* docs = catalog.collection(plan.collection);
  if (!docs || !run.outcome().error.empty()) return {};
  std::vector<std::string> candidates;
  if (auto page = run.page(); page && page->remaining() > 0)
    candidates.push_back(page->total <= kMaxListed ? "show all " + std::to_string(page->total) : "show more");
  // Regroup by a role the answer does not filter on; the domain's usual first questions first.
  auto has = [&](const RoleSpec& r) {
    return std::any_of(r.paths.begin(), r.paths.end(), [&](auto p) { return docs->category(p) != nullptr; });
  };
  const bool counted = plan.operation == Operation::count && !plan.measure && !plan.share && plan.distinct_path.empty();
  if (counted || plan.operation == Operation::list || (plan.series && plan.group_path.empty())) {
    for (auto role : {Role::priority, Role::state, Role::assignee, Role::project}) {
      auto& spec = role_spec(role);
      if (has(spec) && !filtered(plan, spec) && !plan.details) {
        candidates.push_back("by " + std::string(spec.label));
        if (candidates.size() >= 2) break;
      }
    }
  }
  if ((counted && run.outcome().count.value_or(0) > 0) || (plan.operation == Operation::group && !plan.top)) candidates.push_back("list them");
  // Narrow to the most urgent priority stored, where priority is not asked about yet.
  if (auto* priorities = docs->category("priority"); priorities && !filtered(plan, role_spec(Role::priority)) && !plan.details)
    for (auto want : {"URGENT", "HIGH"})
      if (std::any_of(priorities->values.begin(), priorities->values.end(), [&](auto& v) { return v.value == want; })) {
        candidates.push_back(std::string("only ") + want);
        break;
      }
  std::vector<std::string> out;
  for (auto& c : candidates) {
    if (out.size() == 3) break;
    if (std::find(out.begin(), out.end(), c) != out.end()) continue;
    if (understand_message(c, catalog, now_ms, &context, true).plan) out.push_back(c);
  }
  return out;
}

}  // namespace pms::understanding
