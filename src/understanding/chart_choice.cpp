// The chart beside an answer's table, chosen by rules from the result's shape, never by the model:
//   a series over time -> "line"; a series by a second key -> "stacked_bar" (periods along x);
//   a breakdown by one key -> "bar", "hbar" (horizontal) when more than 8 groups or a label is
//   longer than 16 characters, "pie" only when at most 6 groups share a whole (each document in
//   exactly one group: not an array field such as assignees or labels, not a figure);
//   a list, a single number or the leaders of a ranking -> no chart.
// The spec (docs/protocol.md): {type, title, x_label, y_label, data: [{x, y[, series]}], alt}.
#include "understanding/plan_run.hpp"

#include <cmath>

namespace pms::understanding {

namespace {

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// The schema's array references: a document counts once in each of its assignees and labels.
bool array_field(std::string_view path) {
  auto head = path.substr(0, path.find('.'));
  return head == "assignee" || head == "label" || head == "updatedBy";
}

std::string number_text(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<std::int64_t>(v));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// "HIGH 13, MEDIUM 10, LOW 5 and 2 more": the largest groups, for those who cannot see the chart.
std::string largest(std::vector<std::pair<std::string, double>> points) {
  std::stable_sort(points.begin(), points.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::string out;
  for (std::size_t i = 0; i < points.size() && i < 3; ++i) out += (i ? ", " : "") + points[i].first + " " + number_text(points[i].second);
  if (points.size() > 3) out += " and " + std::to_string(points.size() - 3) + " more";
  return out;
}

}  // namespace

std::optional<json::object> PlanRun::chart() const {
  if (!outcome_.error.empty() || no_cycle_ || plan_.operation != Operation::group || plan_.top) return std::nullopt;
  json::array data;
  std::string title, alt, type, x_label, y_label = capitalized(plan_.plural);
  if (plan_.series) {
    auto t = series_table();
    if (t.periods.size() < 2) return std::nullopt;
    const bool keyed = !plan_.group_path.empty();
    for (auto& [period, counts] : t.periods)
      for (std::size_t k = 0; k < counts.size(); ++k) {
        json::object point{{"x", period}, {"y", counts[k]}};
        if (keyed) point["series"] = t.keys[k];
        data.push_back(std::move(point));
      }
    type = keyed ? "stacked_bar" : "line";
    x_label = plan_.series->unit == "week" ? "Week of" : capitalized(plan_.series->unit);
    title = capitalized(plan_.plural) + " " + plan_.series->label + " per " + plan_.series->unit + (keyed ? " by " + plan_.group_label : "");
    std::vector<std::pair<std::string, double>> per_period;
    for (auto& [period, counts] : t.periods) {
      std::int64_t sum = 0;
      for (auto n : counts) sum += n;
      per_period.emplace_back(period, static_cast<double>(sum));
    }
    alt = title + ", " + t.periods.front().first + " to " + t.periods.back().first + "; most: " + largest(per_period) + ".";
  } else {
    if (outcome_.groups.size() < 2) return std::nullopt;
    auto labels = group_labels();
    std::vector<std::pair<std::string, double>> points;
    bool long_label = false;
    for (std::size_t i = 0; i < outcome_.groups.size(); ++i) {
      double y = static_cast<double>(outcome_.groups[i].second);
      if (plan_.measure && i < outcome_.group_measures.size()) {
        auto& m = outcome_.group_measures[i];
        y = plan_.measure->kind == Measure::total ? m.total : m.average.value_or(0);
      } else if (plan_.share && i < outcome_.group_parts.size()) {
        y = y > 0 ? std::round(1000.0 * static_cast<double>(outcome_.group_parts[i]) / y) / 10.0 : 0;
      }
      points.emplace_back(labels[i], y);
      long_label = long_label || labels[i].size() > 16;
      json::value yv = y == std::floor(y) && std::abs(y) < 1e15 ? json::value(static_cast<std::int64_t>(y)) : json::value(y);
      data.push_back(json::object{{"x", labels[i]}, {"y", yv}});
    }
    bool whole = !plan_.measure && !plan_.share && plan_.distinct_path.empty() && !array_field(plan_.group_path);
    type = whole && points.size() <= 6 ? "pie" : points.size() > 8 || long_label ? "hbar" : "bar";
    x_label = capitalized(plan_.group_label);
    if (plan_.measure) y_label = capitalized(std::string(plan_.measure->kind == Measure::total ? "total " : "average ") + plan_.measure->label);
    if (plan_.share) y_label = "% " + plan_.share->text;
    if (!plan_.distinct_path.empty()) y_label = capitalized(plan_.distinct_noun);
    title = y_label + " by " + plan_.group_label;
    alt = title + ": " + largest(points) + ".";
  }
  if (auto where = plan_.describe_conditions(); !where.empty()) title += ", where " + where;
  return json::object{{"type", type}, {"title", title}, {"x_label", x_label}, {"y_label", y_label}, {"data", std::move(data)}, {"alt", alt}};
}

}  // namespace pms::understanding
