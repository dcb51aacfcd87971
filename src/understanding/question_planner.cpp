#include "understanding/question_planner.hpp"

#include "understanding/plan_builder.hpp"
#include "understanding/reading_understanding.hpp"
#include "understanding/question_reader.hpp"
#include "understanding/refusal.hpp"

#include <variant>

namespace pms::understanding {

namespace {

// The filter a link stands for, as the model is to write it: a value, several, or their negation
// ("open" is the state groups other than Completed and Cancelled, never those two).
json::value link_test(const std::vector<std::string>& values, bool negated) {
  json::value any = values.size() == 1 ? json::value(json::string(values[0])) : json::value(json::array(values.begin(), values.end()));
  if (!negated) return any;
  return json::object{{values.size() == 1 ? "$ne" : "$nin", any}};
}

// The reading's plan (or why there is none) and what was understood, without what is offered
// instead of an answer (offer_instead): readings that are not the answer need none.
Understanding understood_of(const Reading& r, std::int64_t now_ms) {
  Understanding out;
  out.problem = r.problem;
  out.not_understood = r.not_understood;
  // Nothing but filler ("hi", "show me"): there is no question to answer.
  if (!r.said_something() && out.problem.empty() && out.not_understood.empty())
    out.problem = "Ask me about the project data, e.g. how many open bugs there are or who has the most urgent work items.";
  if (out.problem.empty() && out.not_understood.empty()) {
    auto built = build_plan(r, now_ms);
    if (auto* plan = std::get_if<QueryPlan>(&built)) out.plan = std::move(*plan);
    else out.problem = std::move(std::get<std::string>(built));
  }
  // What was understood, for the answer and for a refusal.
  if (r.entity && !r.entity_assumed) out.understood.push_back(std::string(r.entity->plural));
  for (auto& l : r.links) {
    std::string values;
    for (std::size_t k = 0; k < l.values.size(); ++k) values += (k ? " or " : "") + l.values[k];
    out.understood.push_back(l.text.empty() ? std::string(role_spec(l.role).label) + (l.negated ? " is not " : " is ") + values : l.text);
    out.links.push_back({l.path, link_test(l.values, l.negated), out.understood.back()});
    // What the names were resolved to: the model can match references that lost their names.
    if (!l.ids.empty()) out.links.push_back({l.id_path, link_test(l.ids, l.negated), out.understood.back()});
  }
  for (auto& t : r.times) out.understood.push_back(t.range.text);
  if (r.cycle) out.understood.push_back(r.cycle->text);
  return out;
}

// Without a plan: the questions that can be answered instead, and why values may be missing.
void offer_instead(Understanding& u, const Reading& r, const ValueCatalog& catalog) {
  if (u.plan) return;
  u.suggestions = suggestions(r, catalog);
  if (!catalog.incomplete.empty()) u.catalog_note = "The names and values I link questions to are " + catalog.incomplete + ": ask again in a moment.";
}

struct Outcome {
  Understanding understanding;
  Reading reading;
  bool read = true;  // false: the question had no words (its refusal is complete)
};

// Reads the question, plans it if it was understood, and says what was understood either way
// (offer_instead is left to the caller).
Outcome understand(QuestionReader reader, const ValueCatalog& catalog, std::int64_t now_ms) {
  if (reader.empty()) {
    Understanding out;
    out.problem = "Ask a question about the project data, e.g. \"How many open bugs are there?\"";
    out.suggestions = suggestions(Reading{}, catalog);
    return {std::move(out), Reading{}, false};
  }
  Reading r = reader.read();
  auto out = understood_of(r, now_ms);
  return {std::move(out), std::move(r)};
}

}  // namespace

Understanding understanding_of(const Reading& r, const ValueCatalog& catalog, std::int64_t now_ms) {
  auto out = understood_of(r, now_ms);
  offer_instead(out, r, catalog);
  return out;
}

ReadQuestion read_question(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms) {
  // The passes before the entity are read once, for the first reading and any other below.
  QuestionReader shared(question, catalog, now_ms);
  shared.read_before_entity();
  auto first = understand(shared, catalog, now_ms);
  auto& u = first.understanding;
  // "how many admins?": nothing named the entity and some words only make sense for another one.
  // Taken only when exactly one other entity understands every word.
  if (!u.plan && first.reading.entity_assumed && u.problem.empty() && !u.not_understood.empty()) {
    std::optional<Outcome> only;
    int understood = 0;
    for (auto& e : entity_specs()) {
      if (e.collection == "workItem" || !catalog.collection(e.collection)) continue;
      auto alt = understand(shared.about(&e), catalog, now_ms);
      if (alt.understanding.plan) {
        ++understood;
        only = std::move(alt);
      }
    }
    if (understood == 1) return {std::move(only->understanding), std::move(only->reading)};
  }
  if (first.read) offer_instead(u, first.reading, catalog);
  return {std::move(first.understanding), std::move(first.reading)};
}

Understanding understand_question(std::string_view question, const ValueCatalog& catalog, std::int64_t now_ms) {
  return read_question(question, catalog, now_ms).understanding;
}

std::string hints_for_model(const Understanding& u) {
  if (u.links.empty()) return {};
  std::string out = "Stored values for words of this question (use them exactly in filters):";
  for (auto& l : u.links) out += "\n- " + l.path + ": " + dump(l.test);
  return out;
}

}  // namespace pms::understanding
