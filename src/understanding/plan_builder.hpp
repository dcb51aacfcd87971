#pragma once
// The plan builder: a Reading -> the QueryPlan that answers it, or why there is none (the data
// has no date, group or cycle the reading needs; "most" without what to compare).
#include "understanding/query_plan.hpp"
#include "understanding/question_reader.hpp"

#include <cstdint>
#include <string>
#include <variant>

namespace pms::understanding {

// The plan, or a sentence saying why there is none. `now_ms` is "today" for "overdue".
std::variant<QueryPlan, std::string> build_plan(const Reading& reading, std::int64_t now_ms);

}  // namespace pms::understanding
