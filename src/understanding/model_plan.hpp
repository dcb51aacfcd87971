#pragma once
// A model fills the planner's plan (issue 16): for a question the reader did not understand, an
// LLM is asked for the plan as JSON under a JSON Schema built for the turn from the value catalog,
// so even a small model can only pick stored values (constrained decoding: Ollama's `format`,
// OpenAI's `response_format`). The plan it writes is checked against the catalog and built by the
// planner's own plan builder, so it is exactly the plan a question saying the same would get.
//
// The JSON (every key but entity and operation optional):
//   {"entity": "workItem", "operation": "count" | "list" | "group" | "top",
//    "filters": {"priority": "URGENT", "project": "Fleet Tracker", "state_group": "open",
//                "created_from": "2026-11-01", "due_to": "2026-11-30", "overdue": true},
//    "group_by": "assignee", "sort": "newest" | "oldest" | "updated", "limit": 5}
// Filter keys are the roles' labels (pms_model.hpp, spaces as '_'); each value is one stored value
// of that role's field for the entity, exactly as stored. "state_group" takes the state
// vocabulary ("open", "done", "cancelled", "in progress", "not started") and means what the words
// mean in a question. Dates are days (UTC), both ends included. "group" counts per group_by, "top"
// names the group(s) with the most; "count" with a group_by is a group.
#include "understanding/query_plan.hpp"
#include "understanding/question_reader.hpp"
#include "understanding/value_catalog.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace pms::understanding {

// At most this many values per enum (the catalog's most frequent first): the schema is compiled
// into a grammar per request, and it must stay small whatever the database.
inline constexpr std::size_t kModelPlanMaxEnum = 200;

// The schema of a plan over what `catalog` holds: entity and operation as enums, each role's
// filter an enum of its stored values (over the entities that have it; roles without values are
// left out), days for dates, group_by an enum of the roles the entities have. An empty object when
// the catalog holds no entity the planner knows: then there is nothing to ask a model for.
json::object model_plan_schema(const ValueCatalog& catalog);

// The model's JSON as a plan, or why it is none: not JSON, a key or value off the schema, a value
// not stored for that entity (values are compared exactly: "urgent" is not "URGENT"), a bad day,
// a name of two things, or what the plan builder refuses (a date the entity has not). `now_ms` is
// "today" for "overdue" and the state words.
std::variant<QueryPlan, std::string> plan_from_model_json(std::string_view json_text, const ValueCatalog& catalog, std::int64_t now_ms);
// The reading the plan is built from, for follow-ups that change it (follow_up.hpp).
std::variant<Reading, std::string> reading_from_model_json(std::string_view json_text, const ValueCatalog& catalog, std::int64_t now_ms);

}  // namespace pms::understanding
