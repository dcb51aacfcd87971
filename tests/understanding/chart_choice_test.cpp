// The chart rules: each shape of result its chart, and none for a list, a number or a ranking.
#include "understanding/plan_run.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::understanding;

namespace {

QueryPlan grouped(std::string path, std::string label) {
  QueryPlan p;
  p.collection = "workItem";
  p.singular = "work item";
  p.plural = "work items";
  p.operation = Operation::group;
  p.group_path = std::move(path);
  p.group_label = std::move(label);
  return p;
}

// Runs the plan on canned results, one per call it makes.
std::optional<json::object> chart_of(QueryPlan plan, std::vector<std::string> results) {
  PlanRun run(std::move(plan));
  std::size_t i = 0;
  while (run.next()) {
    EXPECT_LT(i, results.size()) << "more calls than results";
    if (i >= results.size()) return std::nullopt;
    run.feed({true, json::parse(results[i++]), {}});
  }
  return run.chart();
}

std::string groups_of(std::initializer_list<std::pair<const char*, int>> groups) {
  json::array out;
  for (auto& [k, n] : groups) out.push_back(json::object{{"_id", k}, {"count", n}});
  return dump(json::object{{"results", out}});
}

TEST(ChartChoice, AFewSharesOfAWholeAreAPie) {
  auto c = chart_of(grouped("priority", "priority"), {groups_of({{"HIGH", 5}, {"LOW", 3}, {"NONE", 1}})});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->at("type"), "pie");
  EXPECT_EQ(c->at("data").as_array().size(), 3u);
  EXPECT_EQ(c->at("data").as_array()[0], json::parse(R"({"x": "HIGH", "y": 5})"));
  EXPECT_NE(std::string(c->at("alt").as_string()).find("HIGH 5, LOW 3, NONE 1"), std::string::npos) << c->at("alt");
}

TEST(ChartChoice, AnArrayFieldIsNoWholeAndManyOrLongLabelsLieDown) {
  // Assignees: a document counts once per assignee, so the groups do not share a whole.
  auto bars = chart_of(grouped("assignee.name", "assignee"), {groups_of({{"Ann", 5}, {"Bo", 3}})});
  ASSERT_TRUE(bars);
  EXPECT_EQ(bars->at("type"), "bar");
  auto many = chart_of(grouped("priority", "priority"),
                       {groups_of({{"a", 9}, {"b", 8}, {"c", 7}, {"d", 6}, {"e", 5}, {"f", 4}, {"g", 3}, {"h", 2}, {"i", 1}})});
  ASSERT_TRUE(many);
  EXPECT_EQ(many->at("type"), "hbar");
  auto seven = chart_of(grouped("priority", "priority"), {groups_of({{"a", 7}, {"b", 6}, {"c", 5}, {"d", 4}, {"e", 3}, {"f", 2}, {"g", 1}})});
  EXPECT_EQ(seven->at("type"), "bar");  // too many for a pie, few enough to stand
  auto long_names = chart_of(grouped("project.name", "project"), {groups_of({{"Warehouse Scanner Rewrite", 4}, {"Billing", 3}})});
  EXPECT_EQ(long_names->at("type"), "pie");  // a whole of two...
  auto long_bars = chart_of(grouped("label.name", "label"), {groups_of({{"needs-design-review-first", 4}, {"bug", 3}})});
  EXPECT_EQ(long_bars->at("type"), "hbar");  // ...but labels are no whole, and one is long
}

TEST(ChartChoice, ASeriesIsALineAndWithASecondKeyStackedBars) {
  auto plan = grouped("", "");
  plan.series = Series{"month", "createdTimeStamp", "created"};
  auto line = chart_of(plan, {R"({"results": [{"_id": "2026-09-01T00:00:00.000Z", "count": 2}, {"_id": "2026-11-01T00:00:00.000Z", "count": 5}]})"});
  ASSERT_TRUE(line);
  EXPECT_EQ(line->at("type"), "line");
  // Every month from the first to the last: October had none.
  EXPECT_EQ(line->at("data"), json::parse(R"([{"x": "2026-09", "y": 2}, {"x": "2026-10", "y": 0}, {"x": "2026-11", "y": 5}])"));

  auto keyed = grouped("priority", "priority");
  keyed.series = Series{"week", "createdTimeStamp", "created"};
  auto stacked = chart_of(keyed, {R"({"results": [
      {"_id": {"period": "2026-11-01T00:00:00.000Z", "key": "HIGH"}, "count": 2},
      {"_id": {"period": "2026-11-08T00:00:00.000Z", "key": "LOW"}, "count": 1},
      {"_id": {"period": "2026-11-08T00:00:00.000Z", "key": "HIGH"}, "count": 4}]})"});
  ASSERT_TRUE(stacked);
  EXPECT_EQ(stacked->at("type"), "stacked_bar");
  EXPECT_EQ(stacked->at("data").as_array().size(), 4u);  // 2 weeks x 2 priorities
  EXPECT_EQ(stacked->at("data").as_array()[0], json::parse(R"({"x": "2026-11-01", "y": 2, "series": "HIGH"})"));
  EXPECT_EQ(stacked->at("data").as_array()[1], json::parse(R"({"x": "2026-11-01", "y": 0, "series": "LOW"})"));
}

TEST(ChartChoice, NoChartForAListANumberARankingOrOneGroup) {
  auto count = grouped("", "");
  count.operation = Operation::count;
  EXPECT_FALSE(chart_of(count, {R"({"count": 7})"}));
  auto list = grouped("", "");
  list.operation = Operation::list;
  list.columns = {"title"};
  EXPECT_FALSE(chart_of(list, {R"({"count": 1})", R"({"documents": [{"_id": "a", "title": "x"}]})"}));
  auto top = grouped("priority", "priority");
  top.top = true;
  EXPECT_FALSE(chart_of(top, {groups_of({{"HIGH", 5}, {"LOW", 3}})}));
  EXPECT_FALSE(chart_of(grouped("priority", "priority"), {groups_of({{"HIGH", 5}})}));
}

}  // namespace
