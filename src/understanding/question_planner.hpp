#pragma once
// A deterministic reading of a question about PMS data into a QueryPlan. Words are linked to
// exact stored values from the ValueCatalog (case, accents, small typos and synonyms tolerated:
// "bugs" -> work items, "urgent" -> priority URGENT, "open" -> state groups other than Completed
// and Cancelled, or without groups the states other than the done and cancelled ones, "assigned
// to priya" -> assignee.name "Priya Patel"); relative dates resolve against `now`. Precision
// first: a word that is not understood, a name that fits two things, or a question the data
// cannot answer (who "I" am, completion dates) yields no plan but says what was understood, what
// was not, and questions that can be answered instead.
//
// The work is split: question_reader (words -> a Reading, pass by pass), plan_builder (Reading ->
// QueryPlan or why not), refusal (suggestions, the refusal text); this ties them together.
#include "understanding/plan_context.hpp"
#include "understanding/query_plan.hpp"
#include "understanding/value_catalog.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pms::understanding {

struct Understanding {
  std::optional<QueryPlan> plan;               // set when the question was understood with confidence
  std::vector<std::string> understood;         // "work items", "priority is HIGH", ...
  std::vector<std::string> not_understood;     // the words that were not
  std::string problem;                         // why there is no plan, when there is a specific reason
  std::vector<std::string> suggestions;        // questions that can be answered
  std::vector<Condition> links;                // every stored value a word was linked to
  std::string catalog_note;                    // why stored values may be missing (the catalog is incomplete)
  // With a plan: the conversation's last plan after this message (follow_up.hpp), and for a
  // follow-up what it built on and changed, in words.
  std::optional<PlanContext> context;
  std::string follow_up;
};

Understanding understand_question(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms);

// A short system note for an LLM turn: the stored values the question's words stand for, so the
// model's filters match what is stored. Empty when nothing was linked.
std::string hints_for_model(const Understanding& u);

// The reply for a question without a plan: what was understood, what was not, and suggestions.
std::string explain_refusal(const Understanding& u);

}  // namespace pms::understanding
