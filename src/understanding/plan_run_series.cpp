// Series: documents counted per period of a date ("created per week"), and per value within each
// period ("per month by priority"), shown as a table in time order, periods without any shown as 0.
#include "core/time_util.hpp"
#include "understanding/markdown_table.hpp"
#include "understanding/plan_run.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace pms::understanding {

namespace {

using Days = std::chrono::sys_days;

std::optional<Days> day_of(const json::value& v) {
  auto* s = v.if_string();
  auto t = s ? parse_iso8601(*s) : std::nullopt;
  if (!t) return std::nullopt;
  return std::chrono::floor<std::chrono::days>(*t);
}

Days next_period(Days d, const std::string& unit) {
  using namespace std::chrono;
  if (unit == "day") return d + days{1};
  if (unit == "week") return d + days{7};
  year_month_day ymd{d};
  if (unit == "month") return sys_days{(ymd.year() / ymd.month() + months{1}) / 1};
  return sys_days{(ymd.year() + years{1}) / January / 1};
}

std::string period_text(Days d, const std::string& unit) {
  auto day = format_iso8601(d).substr(0, 10);
  if (unit == "month") return day.substr(0, 7);
  if (unit == "year") return day.substr(0, 4);
  return day;  // a day, or the Sunday a week starts on
}

std::string key_text(const json::value& v) {
  if (v.is_null()) return "(none)";
  if (auto* s = v.if_string()) return s->empty() ? "(empty)" : std::string(*s);
  return dump(v);
}

}  // namespace

json::array PlanRun::series_pipeline() const {
  json::array pipeline;
  if (auto filter = plan_.filter(); !filter.empty()) pipeline.push_back(json::object{{"$match", filter}});
  json::object period{{"$dateTrunc", json::object{{"date", "$" + plan_.series->path}, {"unit", plan_.series->unit}}}};
  json::value id = period;
  if (!plan_.group_path.empty()) {
    pipeline.push_back(unwind_first_step(plan_.group_path, true));
    id = json::object{{"period", period}, {"key", "$" + plan_.group_path}};
  }
  pipeline.push_back(json::object{{"$group", json::object{{"_id", id}, {"count", json::object{{"$sum", 1}}}}}});
  pipeline.push_back(json::object{{"$sort", json::object{{"_id", 1}}}});
  if (!outcome_.groups.empty()) pipeline.push_back(json::object{{"$skip", static_cast<std::int64_t>(outcome_.groups.size())}});
  return pipeline;
}

SeriesTable PlanRun::series_table() const {
  const auto& unit = plan_.series->unit;
  SeriesTable out;
  // period -> key -> count; documents without the date counted apart.
  std::map<Days, std::map<std::string, std::int64_t>> table;
  std::map<std::string, std::int64_t> undated, totals;
  for (auto& [id, n] : outcome_.groups) {
    const json::value* period = &id;
    std::string key;
    if (!plan_.group_path.empty()) {
      auto* o = id.if_object();
      static const json::value none;
      period = o && o->contains("period") ? &o->at("period") : &none;
      key = key_text(o && o->contains("key") ? o->at("key") : none);
    }
    totals[key] += n;
    out.total += n;
    if (auto d = day_of(*period)) table[*d][key] += n;
    else undated[key] += n;
  }
  for (auto& [k, n] : totals) out.keys.push_back(k);
  std::stable_sort(out.keys.begin(), out.keys.end(), [&](auto& a, auto& b) { return totals[a] > totals[b]; });
  auto counts_of = [&](const std::map<std::string, std::int64_t>& counts) {
    std::vector<std::int64_t> row;
    for (auto& k : out.keys) {
      auto it = counts.find(k);
      row.push_back(it == counts.end() ? 0 : it->second);
    }
    return row;
  };
  // Every period from the first to the last: a period without any is a 0, not a gap.
  if (!table.empty()) {
    const std::map<std::string, std::int64_t> empty;
    for (Days d = table.begin()->first; d <= table.rbegin()->first && out.periods.size() < static_cast<std::size_t>(kMaxListed);
         d = next_period(d, unit)) {
      auto it = table.find(d);
      out.periods.push_back({period_text(d, unit), counts_of(it == table.end() ? empty : it->second)});
    }
  }
  if (!undated.empty()) out.undated = counts_of(undated);
  return out;
}

std::string PlanRun::series_answer() const {
  const auto& unit = plan_.series->unit;
  std::string where = plan_.describe_conditions();
  if (outcome_.groups.empty()) return "No " + plan_.plural + (where.empty() ? "" : " where " + where) + ".";
  auto t = series_table();
  const bool keyed = !plan_.group_path.empty();
  std::vector<std::string> header{unit == "week" ? "Week of" : std::string(1, static_cast<char>(std::toupper(unit[0]))) + unit.substr(1)};
  if (keyed) {
    for (auto& k : t.keys) header.push_back(k);
    header.push_back("All");
  } else {
    header.push_back(plan_.plural);
    header[1][0] = static_cast<char>(std::toupper(static_cast<unsigned char>(header[1][0])));
  }
  auto row_of = [&](std::string label, const std::vector<std::int64_t>& counts) {
    std::vector<std::string> row{std::move(label)};
    std::int64_t sum = 0;
    for (auto n : counts) {
      sum += n;
      if (keyed) row.push_back(std::to_string(n));
    }
    row.push_back(std::to_string(sum));
    return row;
  };
  std::vector<std::vector<std::string>> rows;
  for (auto& [label, counts] : t.periods) rows.push_back(row_of(label, counts));
  if (!t.undated.empty()) rows.push_back(row_of("(no date)", t.undated));
  std::string out = "**" + std::to_string(t.total) + "** " + (t.total == 1 ? plan_.singular : plan_.plural) +
                    (where.empty() ? "" : " where " + where) + ", " + plan_.series->label + " per " + unit +
                    (unit == "week" ? " (weeks from Sunday)" : "") + (keyed ? " by " + plan_.group_label : "") + ":\n\n";
  return out + markdown_table(header, rows);
}

}  // namespace pms::understanding
