#include "understanding/query_plan.hpp"

namespace pms::understanding {

json::object QueryPlan::filter() const {
  json::object f;
  std::vector<json::value> extra;  // a second condition on a path already used goes into $and
  for (auto& c : conditions) {
    if (f.contains(c.path)) extra.push_back(json::object{{c.path, c.test}});
    else f[c.path] = c.test;
  }
  if (!extra.empty()) f["$and"] = json::array(extra.begin(), extra.end());
  return f;
}

std::string QueryPlan::describe_conditions() const {
  std::string out;
  std::vector<std::string> parts;
  for (auto& c : conditions) parts.push_back(c.text);
  if (cycle) parts.push_back(cycle->text);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string QueryPlan::summary() const {
  std::string what;
  switch (operation) {
    case Operation::count:
      what = measure ? std::string(measure->kind == Measure::total ? "total " : "average ") + measure->label + " of " + plural
             : share ? "share " + share->text + " of " + plural
             : !distinct_path.empty() ? "count " + distinct_noun + " among " + plural
                                      : "count " + plural;
      break;
    case Operation::list: what = "list " + plural + (order_text.empty() ? "" : ", " + order_text); break;
    case Operation::group:
      if (series) {
        what = plural + " per " + series->unit + " (" + series->label + ")" + (group_path.empty() ? "" : " by " + group_label);
        break;
      }
      what = top ? plural + " per " + group_label + ", the " + (ascending ? "fewest" : "most") : plural + " by " + group_label;
      if (measure) what = std::string(measure->kind == Measure::total ? "total " : "average ") + measure->label + " of " + what;
      if (share) what = "share where " + share->text + " of " + what;
      if (!distinct_path.empty()) what = distinct_noun + " among " + what;
      break;
  }
  auto conditions_text = describe_conditions();
  return conditions_text.empty() ? what : what + " where " + conditions_text;
}

}  // namespace pms::understanding
