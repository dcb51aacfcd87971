#include "understanding/refusal.hpp"

#include "understanding/question_planner.hpp"

#include <algorithm>
#include <cctype>

namespace pms::understanding {

// Questions it can answer, nearest first: built on what was understood of this one (its entity
// and the values it named), then general ones from the catalog.
std::vector<std::string> suggestions(const Reading& r, const ValueCatalog& catalog) {
  std::vector<std::string> out;
  auto add = [&](std::string q) {
    if (out.size() < 5 && std::find(out.begin(), out.end(), q) == out.end()) out.push_back(std::move(q));
  };
  // A name of several things: the question about each of them.
  for (auto& c : r.clarifications) add(c);
  if (r.entity && !r.entity_assumed && r.entity_catalog) {
    std::string plural(r.entity->plural);
    add("How many " + plural + " are there?");
    if (r.role_path(Role::state)) add(std::string(1, static_cast<char>(std::toupper(plural[0]))) + plural.substr(1) + " by state");
    if (!r.entity->created.empty() && r.entity_catalog->date(r.entity->created)) add("Latest " + plural);
  }
  for (auto& l : r.links) {
    if (l.values.size() != 1 || l.negated) continue;
    const std::string& v = l.values.front();
    switch (l.role) {
      case Role::project: add("How many open work items are in " + v + "?"); add("Work items in " + v + " by state"); break;
      case Role::assignee: add("Open work items assigned to " + v); add("How many urgent work items does " + v + " have?"); break;
      case Role::label: add("Open work items labelled " + v); break;
      case Role::module: add("Open work items in the " + v + " module"); break;
      case Role::cycle: add("Work items in " + v + " by state"); break;
      default: break;
    }
  }
  auto* wi = catalog.collection("workItem");
  if (!wi) {
    for (auto& c : catalog.collections) add("How many " + c.name + " documents are there?");
    return out;
  }
  add("How many open work items are there?");
  if (wi->category("assignee.name")) add("Who has the most open work items?");
  add("Work items by state");
  if (auto* p = wi->category("project.name"); p && !p->values.empty()) add("Latest bugs in " + p->values.front().value);
  if (wi->category("priority")) add("Urgent work items created this week");
  if (wi->date("endDate")) add("Overdue work items");
  return out;
}

std::string explain_refusal(const Understanding& u) {
  std::string out;
  if (!u.problem.empty()) {
    out = u.problem;
  } else {
    out = "I can't answer that with confidence.";
    if (!u.not_understood.empty()) {
      out += " I did not understand ";
      for (std::size_t i = 0; i < u.not_understood.size(); ++i)
        out += (i ? (i + 1 == u.not_understood.size() ? " and " : ", ") : "") + ("\"" + u.not_understood[i] + "\"");
      out += ".";
    }
  }
  if (!u.catalog_note.empty()) out += " " + u.catalog_note;
  if (!u.understood.empty()) {
    out += "\n\nWhat I understood: ";
    for (std::size_t i = 0; i < u.understood.size(); ++i) out += (i ? "; " : "") + u.understood[i];
    out += ".";
  }
  if (!u.suggestions.empty()) {
    out += "\n\nQuestions I can answer, for example:";
    for (auto& s : u.suggestions) out += "\n- " + s;
  }
  return out;
}

}  // namespace pms::understanding
