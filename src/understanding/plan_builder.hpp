#pragma once
// The plan builder: a Reading -> the QueryPlan that answers it, or why there is none (the data
// has no date, group or cycle the reading needs; "most" without what to compare).
#include "understanding/query_plan.hpp"
#include "understanding/question_reader.hpp"

#include <cstdint>
#include <string>
#include <variant>

namespace pms::understanding {

// How answers say a link's values ("HIGH, LOW or URGENT") and the link ("priority is HIGH"; its
// own words when it has them, "open (state group not Completed or Cancelled)").
std::string values_text(const Link& l);
std::string link_text(const Link& l);

// The plan, or a sentence saying why there is none. `now_ms` is "today" for "overdue".
std::variant<QueryPlan, std::string> build_plan(const Reading& reading, std::int64_t now_ms);

}  // namespace pms::understanding
