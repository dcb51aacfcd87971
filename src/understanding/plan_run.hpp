#pragma once
// Carries out a QueryPlan through the same read-only tools the model uses, one call at a time
// (the caller runs each call, so it is shown and cancelled like the model's), and composes the
// answer from the results: a sentence and a small Markdown table.
//
//   PlanRun run(plan);
//   while (auto call = run.next()) run.feed(registry.run(call->name, call->arguments, store, cancel));
//   reply(run.answer());
#include "tools/tool_registry.hpp"
#include "understanding/query_plan.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pms::understanding {

struct ToolCall {
  std::string name;
  json::object arguments;
};

// A numeric field over a set of documents (QueryPlan::measure).
struct MeasureFigures {
  double total = 0;
  std::optional<double> average;  // of the numeric values; none when there are none
  std::int64_t numeric = 0;       // documents with a number in the field
  std::int64_t valued = 0;        // documents with any value in it (a number, "M", ...)
  std::vector<std::string> others;  // the values that are not numbers, as stored ("S", "XL")
};

// What the tools returned, for tests and the evaluation.
struct PlanOutcome {
  std::optional<std::int64_t> count;                        // matching documents (count and list), or distinct values
  std::optional<std::int64_t> part;                         // of those, the ones meeting QueryPlan::share
  std::optional<std::int64_t> rows_counted;                 // distinct counts: the documents they came from
  std::optional<MeasureFigures> measure;                    // count with a measure
  std::vector<json::value> rows;                            // listed documents
  std::vector<std::pair<json::value, std::int64_t>> groups;  // group value (null: none) and count
  std::vector<MeasureFigures> group_measures;               // per group, with a measure
  std::vector<std::int64_t> group_parts;                    // per group, with a share
  std::string error;                                        // a tool failed: what it said
};

// Where one page of a list answer is in the whole list: rows skipped, rows shown, rows matching.
struct ListPage {
  std::int64_t offset = 0, shown = 0, total = 0;
  std::int64_t remaining() const { return std::max<std::int64_t>(0, total - offset - shown); }
};

// A series' counts in time order: per period (every one from the first to the last), per key
// (most first; one unnamed key without a second one), and those without the date.
struct SeriesTable {
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> periods;  // "2026-11", counts per key
  std::vector<std::int64_t> undated;                                       // empty: none
  std::int64_t total = 0;
};

// The plan with its share's condition among the conditions: the documents a share counts.
QueryPlan with_share(const QueryPlan& plan);
// {"$unwind": ...} of the first step of `path` ("assignee" of "assignee._id"): each element of an
// array its own document; documents without one kept (as the "(none)" group) or dropped.
json::object unwind_first_step(const std::string& path, bool keep_missing);

class PlanRun {
 public:
  explicit PlanRun(QueryPlan plan);

  // The next tool call to make, or nullopt once the answer is ready.
  std::optional<ToolCall> next();
  // The result of the call next() last returned.
  void feed(const tools::ToolResult& result);

  std::string answer() const;
  // For a list answer that is one page of more (or not the first page): where it is.
  std::optional<ListPage> page() const;
  // The chart the result's shape calls for (chart_choice.cpp), beside the answer's table.
  std::optional<json::object> chart() const;
  const PlanOutcome& outcome() const { return outcome_; }
  const QueryPlan& plan() const { return plan_; }

 private:
  enum class Step { cycles, count, part, rows, groups, group_parts, done };
  Step first_step() const;
  ToolCall call_for(Step step) const;
  std::string list_answer() const;
  std::vector<std::string> group_labels() const;
  std::string reference_cell(const json::value& doc, const std::string& column) const;
  std::string group_answer() const;
  // Whether the documents' figure comes from an aggregate (a measure, distinct values), not a count.
  bool aggregated() const { return plan_.measure || !plan_.distinct_path.empty(); }
  // Counts per period of a date, and per value within each period (plan_run_series.cpp).
  json::array series_pipeline() const;
  SeriesTable series_table() const;
  std::string series_answer() const;
  // Totals, averages, shares and distinct counts (plan_run_figures.cpp).
  json::array figures_pipeline(bool grouped) const;
  void feed_figures(const json::array& results);
  std::string figures_answer() const;
  std::string figures_group_answer() const;

  QueryPlan plan_;
  Step step_;
  bool awaiting_ = false;
  bool no_cycle_ = false;
  PlanOutcome outcome_;
};

}  // namespace pms::understanding
