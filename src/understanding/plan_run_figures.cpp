// The figures a plan can ask for besides how many documents match: a numeric field's total or
// average, the share of the documents that meet one more condition, and how many different values
// (people, not memberships) there are. Each answer says what the number was made of, so a figure
// over some of the documents (estimates that are T-shirt sizes, items without one) is never
// passed off as one over all of them.
#include "understanding/markdown_table.hpp"
#include "understanding/plan_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pms::understanding {

namespace {

json::value field(const std::string& path) { return json::string("$" + path); }
// {"$ifNull": [$path, null]}: a missing field reads as null in every comparison below.
json::value value_of(const std::string& path) { return json::object{{"$ifNull", json::array{field(path), nullptr}}}; }
json::value one_if(json::value condition) { return json::object{{"$sum", json::object{{"$cond", json::array{std::move(condition), 1, 0}}}}}; }
// A number: above null and below every string in the order values compare across types.
json::value is_number(const std::string& path) {
  return json::object{{"$and", json::array{json::object{{"$gt", json::array{value_of(path), nullptr}}},
                                           json::object{{"$lt", json::array{value_of(path), ""}}}}}};
}

std::int64_t integer(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<std::int64_t>() : 0;
}

double real(const json::value* v) {
  if (!v) return 0;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return 0;
}

MeasureFigures measure_of(const json::object& o) {
  MeasureFigures m;
  m.total = real(o.if_contains("total"));
  m.numeric = integer(o, "numeric");
  m.valued = integer(o, "valued");
  if (m.numeric) m.average = m.total / static_cast<double>(m.numeric);
  if (auto* others = o.if_contains("others"); others && others->is_array())
    for (auto& v : others->get_array())
      if (!v.is_null()) m.others.push_back(v.is_string() ? std::string(v.get_string()) : dump(v));
  return m;
}

// 12, 12.5, 3.33: at most two decimals, none when whole.
std::string number_text(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string percent_text(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", p);
  std::string s = buf;
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.resize(s.size() - 2);
  return s + "%";
}

std::string capitalized(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string measure_value(const Measure& m, const MeasureFigures& f) {
  if (m.kind == Measure::total) return number_text(f.total);
  return f.average ? number_text(*f.average) : "-";
}

// "an estimate", "a point".
std::string with_article(const std::string& noun) { return (noun.find_first_of("aeiou") == 0 ? "an " : "a ") + noun; }

std::string measure_name(const Measure& m) { return std::string(m.kind == Measure::total ? "total " : "average ") + m.label; }

// The documents whose value is there but not a number ("M", "XL"): said, never added.
std::string not_numbers_note(const Measure& m, const MeasureFigures& f) {
  std::int64_t not_numbers = f.valued - f.numeric;
  if (not_numbers <= 0) return {};
  std::string values;
  for (std::size_t i = 0; i < f.others.size() && i < 5; ++i) values += (i ? ", " : "") + f.others[i];
  if (f.others.size() > 5) values += ", ...";
  return std::to_string(not_numbers) + " have " + with_article(m.label) + " that is not a number (" + values + ") and cannot be added";
}

// What a measure was made of: the documents with a number, and those left out and why.
std::string measure_basis(const Measure& m, const MeasureFigures& f, std::int64_t documents, const std::string& plural) {
  std::string out = "from the " + std::to_string(f.numeric) + " of " + std::to_string(documents) + " " + plural + " with a numeric " + m.label;
  if (auto note = not_numbers_note(m, f); !note.empty()) out += "; " + note;
  if (documents > f.valued) out += "; " + std::to_string(documents - f.valued) + " have no " + m.label;
  return out;
}

}  // namespace

json::array PlanRun::figures_pipeline(bool grouped) const {
  json::array pipeline;
  auto filter = plan_.filter();
  if (!filter.empty()) pipeline.push_back(json::object{{"$match", filter}});
  if (grouped) pipeline.push_back(unwind_first_step(plan_.group_path, true));
  json::value key = grouped ? field(plan_.group_path) : json::value(nullptr);
  if (!plan_.distinct_path.empty()) {
    // One row per value (per group and value when grouped), then the rows counted. A reference
    // inside the documents ("assignee._id") is unwound and counted where there is one; a person's
    // id of a membership ("memberId") is, where missing, the record's own.
    bool reference = plan_.distinct_path.find('.') != std::string::npos;
    if (reference) {
      auto first = [](const std::string& path) { return path.substr(0, path.find('.')); };
      if (!grouped || first(plan_.group_path) != first(plan_.distinct_path)) pipeline.push_back(unwind_first_step(plan_.distinct_path, false));
      pipeline.push_back(json::object{{"$match", json::object{{plan_.distinct_path, json::object{{"$ne", nullptr}}}}}});
    }
    json::value who = reference ? field(plan_.distinct_path) : json::value(json::object{{"$ifNull", json::array{field(plan_.distinct_path), field("_id")}}});
    json::value first_key = grouped ? json::value(json::object{{"g", key}, {"v", who}}) : who;
    pipeline.push_back(json::object{{"$group", json::object{{"_id", first_key}, {"rows", json::object{{"$sum", 1}}}}}});
    pipeline.push_back(json::object{{"$group", json::object{{"_id", grouped ? json::value("$_id.g") : json::value(nullptr)},
                                                            {"count", json::object{{"$sum", 1}}},
                                                            {"rows", json::object{{"$sum", "$rows"}}}}}});
    if (grouped) pipeline.push_back(json::object{{"$sort", json::object{{"count", plan_.ascending ? 1 : -1}, {"_id", 1}}}});
  } else {
    auto& m = *plan_.measure;
    pipeline.push_back(json::object{
        {"$group", json::object{{"_id", key},
                                {"count", json::object{{"$sum", 1}}},
                                {"total", json::object{{"$sum", field(m.path)}}},
                                {"value", json::object{{m.kind == Measure::total ? "$sum" : "$avg", field(m.path)}}},
                                {"numeric", one_if(is_number(m.path))},
                                {"valued", one_if(json::object{{"$gt", json::array{value_of(m.path), nullptr}}})},
                                {"others", json::object{{"$addToSet", json::object{{"$cond", json::array{is_number(m.path), nullptr, value_of(m.path)}}}}}}}}});
    if (grouped) pipeline.push_back(json::object{{"$sort", json::object{{"value", plan_.ascending ? 1 : -1}, {"_id", 1}}}});
  }
  if (grouped) pipeline.push_back(json::object{{"$limit", 50}});
  return pipeline;
}

void PlanRun::feed_figures(const json::array& results) {
  bool grouped = plan_.operation == Operation::group;
  if (!grouped) {
    auto* o = results.empty() ? nullptr : results.front().if_object();
    outcome_.count = o ? integer(*o, "count") : 0;
    if (!plan_.distinct_path.empty()) outcome_.rows_counted = o ? integer(*o, "rows") : 0;
    if (plan_.measure) outcome_.measure = o ? measure_of(*o) : MeasureFigures{};
    return;
  }
  for (auto& r : results) {
    auto& o = r.as_object();
    outcome_.groups.emplace_back(o.at("_id"), integer(o, "count"));
    if (plan_.measure) outcome_.group_measures.push_back(measure_of(o));
  }
}

std::string PlanRun::figures_answer() const {
  std::string where = plan_.describe_conditions();
  auto n = outcome_.count.value_or(0);
  std::string of = plan_.plural + (where.empty() ? "" : " where " + where);
  if (!plan_.distinct_path.empty() && plan_.distinct_path.find('.') != std::string::npos)
    return "**" + std::to_string(n) + "** " + plan_.distinct_noun + " among the " + of + ".";
  if (!plan_.distinct_path.empty()) {
    auto rows = outcome_.rows_counted.value_or(0);
    return "**" + std::to_string(n) + "** " + plan_.distinct_noun + (where.empty() ? "" : " among the " + of) + " (counted once each; " +
           std::to_string(rows) + " " + plan_.singular + (rows == 1 ? " record)." : " records).");
  }
  if (n == 0) return "No " + of + ", so there is nothing to " + (plan_.share ? "take a share of." : "add up.");
  if (plan_.share) {
    auto part = outcome_.part.value_or(0);
    return "Of the " + std::to_string(n) + " " + of + ", **" + std::to_string(part) + " (" + percent_text(part, n) + ")** match: " +
           plan_.share->text + ".";
  }
  auto& m = *plan_.measure;
  const MeasureFigures f = outcome_.measure.value_or(MeasureFigures{});
  if (f.numeric == 0) {
    auto note = not_numbers_note(m, f);
    return "None of the " + std::to_string(n) + " " + of + " has a numeric " + m.label + (note.empty() ? "" : " (" + note + ")") +
           ", so there is no " + measure_name(m) + " to give.";
  }
  return "The " + measure_name(m) + " of " + of + " is **" + measure_value(m, f) + "**, " + measure_basis(m, f, n, plan_.plural) + ".";
}

std::string PlanRun::figures_group_answer() const {
  std::string where = plan_.describe_conditions();
  std::string of = plan_.plural + (where.empty() ? "" : " where " + where);
  if (outcome_.groups.empty()) return "No " + of + ".";
  auto labels = group_labels();
  std::string figure = plan_.measure ? measure_name(*plan_.measure) : "share";
  std::vector<std::string> header{capitalized(plan_.group_label)};
  if (plan_.measure) header.insert(header.end(), {capitalized(measure_name(*plan_.measure)), "With a numeric " + plan_.measure->label, capitalized(plan_.plural)});
  else header.insert(header.end(), {"Matching", capitalized(plan_.plural), "Share"});
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < outcome_.groups.size(); ++i) {
    auto n = outcome_.groups[i].second;
    if (plan_.measure) {
      auto& f = outcome_.group_measures[i];
      rows.push_back({labels[i], measure_value(*plan_.measure, f), std::to_string(f.numeric), std::to_string(n)});
    } else {
      auto part = outcome_.group_parts.at(i);
      rows.push_back({labels[i], std::to_string(part), std::to_string(n), percent_text(part, n)});
    }
  }
  std::string out;
  if (plan_.top && plan_.measure) {
    // The leader by the measure; a group without a numeric value has none to compare.
    std::size_t best = outcome_.groups.size();
    for (std::size_t i = 0; i < outcome_.groups.size(); ++i)
      if (!outcome_.groups[i].first.is_null() && outcome_.group_measures[i].numeric > 0) {
        best = i;
        break;
      }
    if (best == outcome_.groups.size()) return "None of the " + of + " has a numeric " + plan_.measure->label + ".";
    std::string value = measure_value(*plan_.measure, outcome_.group_measures[best]);
    std::string names = "**" + labels[best] + "**";
    for (std::size_t i = best + 1; i < outcome_.groups.size(); ++i)
      if (!outcome_.groups[i].first.is_null() && outcome_.group_measures[i].numeric > 0 &&
          measure_value(*plan_.measure, outcome_.group_measures[i]) == value)
        names += " and **" + labels[i] + "**";
    out = names + (names.find(" and ") == std::string::npos ? " has" : " are tied with") + " the " + (plan_.ascending ? "lowest " : "highest ") +
          figure + " of " + of + ": " + value + ".";
    rows.resize(std::min<std::size_t>(rows.size(), 5));
  } else {
    out = capitalized(figure) + " of " + plan_.plural + " by " + plan_.group_label + (where.empty() ? "" : ", where " + where) +
          (plan_.share ? " (matching: " + plan_.share->text + ")" : "") + ":";
  }
  out += "\n\n" + markdown_table(header, rows);
  if (plan_.measure) {
    // Values that are there but not numbers are left out of every group's figure: say which.
    MeasureFigures all;
    for (auto& f : outcome_.group_measures) {
      all.valued += f.valued;
      all.numeric += f.numeric;
      for (auto& o : f.others)
        if (std::find(all.others.begin(), all.others.end(), o) == all.others.end()) all.others.push_back(o);
    }
    std::sort(all.others.begin(), all.others.end());
    if (auto note = not_numbers_note(*plan_.measure, all); !note.empty()) out += "\n\n" + capitalized(plan_.plural) + " left out: " + note + ".";
  }
  return out;
}

}  // namespace pms::understanding
