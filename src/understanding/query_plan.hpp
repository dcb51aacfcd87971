#pragma once
// What a question asks for, in terms of the store: one collection, conditions on stored values
// (ANDed), and what to do with the matching documents. Every condition keeps the words an answer
// uses to say what was understood ("priority is HIGH").
#include "core/json_util.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pms::understanding {

struct Condition {
  std::string path;
  json::value test;  // the filter's value for `path`: a literal or an operator document
  std::string text;  // "priority is HIGH", "created since 2026-11-23"
};

// A condition that needs another collection first: the documents referring to one of the cycles
// with `status_value` (the active cycle), through `path` ("cycle._id").
struct CycleLookup {
  std::string status_value;  // as stored, e.g. "ACTIVE"
  std::string path;
  std::string text;  // "in the active cycle"
};

// A numeric field added up or averaged over the matching documents (per group when grouped).
struct Measure {
  enum Kind { total, average } kind = total;
  std::string path;   // "estimate"
  std::string label;  // "estimate", as answers say it
};

// Rows one list answer shows: a page (10 unless asked for more, at most kMaxPage), or with "show
// all" at most kMaxListed, fetched kMaxPage at a time (the most one find_documents call returns).
inline constexpr std::int64_t kDefaultPage = 10;
inline constexpr std::int64_t kMaxPage = 50;
inline constexpr std::int64_t kMaxListed = 500;

// Documents counted per period of a date: per week of creation (QueryPlan::series).
struct Series {
  std::string unit;   // "day", "week" (from Sunday, as MongoDB's $dateTrunc), "month", "year"
  std::string path;   // "createdTimeStamp"
  std::string label;  // "created", as answers say which date
};

enum class Operation {
  count,  // how many documents match
  list,   // the matching documents, sorted, at most `limit`
  group,  // matching documents counted per value of `group_path`
};

struct QueryPlan {
  std::string collection;
  std::string singular, plural;  // "work item", "work items"
  std::vector<Condition> conditions;
  std::optional<CycleLookup> cycle;
  Operation operation = Operation::list;

  // list
  json::object sort;        // {"createdTimeStamp": -1}
  std::string order_text;   // "newest first"
  std::int64_t limit = 10;  // rows listed, or groups shown
  std::int64_t skip = 0;    // rows before this page ("show more" pages on)
  std::vector<std::string> columns;
  std::string due_column;  // a column of due dates added to the entity's own ("endDate"), headed "Due"
  bool details = false;  // one item asked about in full: its fields one per line, and its description
  // For a column of reference names ("cycle.name"): the name of each referenced id, shown where a
  // reference lost its name.
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> reference_names;

  // group; with a series, per period and (when group_path is set) per value within each period
  std::optional<Series> series;
  std::string group_path;   // "assignee.name"
  std::string group_label;  // "assignee"
  // When grouped on a reference id ("project._id"): each id's name, and the name with its project
  // ("Sprint 23 of Fleet Tracker") for when two groups share a name.
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> group_names;
  bool top = false;         // the answer names the group(s) with the most (or, ascending, the fewest)
  bool ascending = false;

  // count and group: a number from the documents instead of how many there are.
  std::optional<Measure> measure;
  // count and group: the share of the matching documents that also meet this ("what percentage is done").
  std::optional<Condition> share;
  // count and group: how many different values of this path ("memberId": people, not their
  // memberships); a document without one counts as its own.
  std::string distinct_path;
  std::string distinct_noun;  // "people"

  // The MongoDB filter of all conditions ({} for none).
  json::object filter() const;
  // The conditions as answers say them: "priority is HIGH, open (...) and created this week (...)".
  std::string describe_conditions() const;
  // One line saying what the plan does, for `pms-data ask --explain` and the evaluation's report.
  std::string summary() const;
};

}  // namespace pms::understanding
