// Plan execution as a sequence of tool calls, and the answers composed from their results.
#include "understanding/plan_run.hpp"

#include <gtest/gtest.h>

using namespace pms;
using namespace pms::understanding;

namespace {

QueryPlan work_items(Operation op) {
  QueryPlan p;
  p.collection = "workItem";
  p.singular = "work item";
  p.plural = "work items";
  p.operation = op;
  p.conditions.push_back({"priority", "HIGH", "priority is HIGH"});
  p.columns = {"displayBugNo", "title", "assignee.name"};
  return p;
}

tools::ToolResult ok(std::string_view json_text) { return {true, json::parse(json_text), {}}; }

}  // namespace

TEST(PlanRun, CountIsOneCallAndOneSentence) {
  PlanRun run(work_items(Operation::count));
  auto call = run.next();
  ASSERT_TRUE(call);
  EXPECT_EQ(call->name, "count_documents");
  EXPECT_EQ(json::value(call->arguments), json::parse(R"({"collection": "workItem", "filter": {"priority": "HIGH"}})"));
  run.feed(ok(R"({"collection": "workItem", "count": 1})"));
  EXPECT_FALSE(run.next());
  EXPECT_EQ(run.answer(), "**1** work item matches: priority is HIGH.");
}

TEST(PlanRun, ListCountsThenShowsATable) {
  auto plan = work_items(Operation::list);
  plan.sort = json::object{{"createdTimeStamp", -1}};
  plan.order_text = "newest first";
  plan.limit = 2;
  PlanRun run(plan);
  ASSERT_EQ(run.next()->name, "count_documents");
  run.feed(ok(R"({"count": 12})"));
  auto find = run.next();
  ASSERT_TRUE(find);
  EXPECT_EQ(find->name, "find_documents");
  EXPECT_EQ(find->arguments.at("limit"), 2);
  EXPECT_EQ(find->arguments.at("sort"), json::parse(R"({"createdTimeStamp": -1, "_id": 1})"));  // ties in one order on every page
  EXPECT_FALSE(find->arguments.contains("skip"));
  run.feed(ok(R"({"documents": [{"_id": "a", "displayBugNo": "MA-2", "title": "Fix | pipe", "assignee": [{"name": "Ann"}, {"name": "Bo"}]},
                                {"_id": "b", "displayBugNo": "MA-1", "title": "Add export", "assignee": []}]})"));
  EXPECT_FALSE(run.next());
  EXPECT_EQ(run.answer(),
            "**12** work items match: priority is HIGH. The 2 newest:\n\n"
            "| Number | Title | Assignees |\n| --- | --- | --- |\n"
            "| MA-2 | Fix \\| pipe | Ann, Bo |\n| MA-1 | Add export | — |\n"
            "\n**10** more: say \"show more\" for the next 10, or \"show all\".");
  EXPECT_EQ(run.outcome().rows.size(), 2u);
  ASSERT_TRUE(run.page());
  EXPECT_EQ(run.page()->offset, 0);
  EXPECT_EQ(run.page()->shown, 2);
  EXPECT_EQ(run.page()->remaining(), 10);
}

// "show all": more rows than one find_documents call returns are fetched page after page, each
// continuing where the last ended, until the limit or the last match.
TEST(PlanRun, ManyRowsComeInPagesOfFifty) {
  auto plan = work_items(Operation::list);
  plan.sort = json::object{{"createdTimeStamp", -1}};
  plan.order_text = "newest first";
  plan.skip = 10;
  plan.limit = kMaxListed;
  PlanRun run(plan);
  run.next();
  run.feed(ok(R"({"count": 130})"));
  std::vector<std::int64_t> skips, limits;
  int id = 0;
  while (auto call = run.next()) {
    ASSERT_EQ(call->name, "find_documents");
    skips.push_back(call->arguments.at("skip").to_number<std::int64_t>());
    limits.push_back(call->arguments.at("limit").to_number<std::int64_t>());
    json::array docs;
    std::int64_t left = 130 - skips.back();
    for (std::int64_t k = 0; k < std::min(limits.back(), left); ++k) docs.push_back(json::object{{"_id", std::to_string(id++)}});
    json::object result{{"documents", docs}};
    if (left > limits.back()) result["more"] = "more documents match";
    run.feed({true, result, ""});
  }
  EXPECT_EQ(skips, (std::vector<std::int64_t>{10, 60, 110}));
  EXPECT_EQ(limits, (std::vector<std::int64_t>{50, 50, 50}));
  EXPECT_EQ(run.outcome().rows.size(), 120u);
  EXPECT_EQ(run.page()->remaining(), 0);
  EXPECT_NE(run.answer().find("11 to 130, newest first:"), std::string::npos) << run.answer();
  EXPECT_EQ(run.answer().find("more:"), std::string::npos);
}

TEST(PlanRun, NothingToListSkipsTheFind) {
  PlanRun run(work_items(Operation::list));
  run.next();
  run.feed(ok(R"({"count": 0})"));
  EXPECT_FALSE(run.next());
  EXPECT_EQ(run.answer(), "No work items match: priority is HIGH.");
}

TEST(PlanRun, LeadersIncludeTiesAndLeaveOutTheNoneGroup) {
  auto plan = work_items(Operation::group);
  plan.group_path = "assignee.name";
  plan.group_label = "assignee";
  plan.top = true;
  plan.limit = 1;
  PlanRun run(plan);
  auto call = run.next();
  ASSERT_EQ(call->name, "aggregate");
  EXPECT_EQ(call->arguments.at("pipeline").as_array().front(), json::parse(R"({"$match": {"priority": "HIGH"}})"));
  run.feed(ok(R"({"results": [{"_id": null, "count": 5}, {"_id": "Ann", "count": 3}, {"_id": "Bo", "count": 3}, {"_id": "Cy", "count": 1}]})"));
  auto answer = run.answer();
  EXPECT_EQ(answer.substr(0, answer.find('\n')), "**Ann** and **Bo** are tied with the most work items where priority is HIGH: 3 each.");
  EXPECT_NE(answer.find("| (none) | 5 |"), std::string::npos);
  EXPECT_EQ(run.outcome().groups.size(), 4u);
}

TEST(PlanRun, ACycleLookupComesFirst) {
  auto plan = work_items(Operation::count);
  plan.cycle = CycleLookup{"ACTIVE", "cycle._id", "in the active sprint"};
  PlanRun run(plan);
  auto cycles = run.next();
  ASSERT_EQ(cycles->name, "find_documents");
  EXPECT_EQ(cycles->arguments.at("filter"), json::parse(R"({"status": "ACTIVE"})"));
  run.feed(ok(R"({"documents": [{"_id": "c1", "title": "Sprint 3"}, {"_id": "c2", "title": "Sprint 3"}]})"));
  auto count = run.next();
  ASSERT_EQ(count->name, "count_documents");
  EXPECT_EQ(count->arguments.at("filter"), json::parse(R"({"priority": "HIGH", "cycle._id": {"$in": ["c1", "c2"]}})"));
  run.feed(ok(R"({"count": 4})"));
  EXPECT_EQ(run.answer(), "**4** work items match: priority is HIGH and in the active sprint (Sprint 3).");

  PlanRun none(plan);
  none.next();
  none.feed(ok(R"({"documents": []})"));
  EXPECT_FALSE(none.next());
  EXPECT_EQ(none.answer(), "There is no active sprint right now, so no work items are in it.");
}

TEST(PlanRun, AToolErrorIsTheAnswer) {
  PlanRun run(work_items(Operation::count));
  run.next();
  run.feed({false, nullptr, "the query ran longer than 10000 ms"});
  EXPECT_FALSE(run.next());
  EXPECT_EQ(run.answer(), "I could not get the answer from the database: the query ran longer than 10000 ms");
}
