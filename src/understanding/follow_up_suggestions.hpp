#pragma once
// Up to three follow-ups offered after a planner answer, built from its plan ("by assignee",
// "list them", "only URGENT", "show all 30"). Each is checked by reading it as a follow-up of the
// answer: only those the planner understands are offered, so a button never leads to a refusal.
#include "understanding/plan_context.hpp"
#include "understanding/plan_run.hpp"
#include "understanding/value_catalog.hpp"

#include <string>
#include <vector>

namespace pms::understanding {

std::vector<std::string> follow_up_suggestions(const PlanRun& run, const PlanContext& context, const ValueCatalog& catalog,
                                               std::int64_t now_ms);

}  // namespace pms::understanding
