// Follow-ups over the demo database: each message changes the conversation's last plan, and what
// it answers is checked against the store queried directly.
#include "core/time_util.hpp"
#include "support/demo_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/follow_up.hpp"
#include "understanding/follow_up_suggestions.hpp"
#include "understanding/plan_run.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <unistd.h>

using namespace pms;
using namespace pms::understanding;

namespace {

class FollowUp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = std::make_unique<pms::testing::DemoStore>("pms-follow-up", "2026-11-20");
    store_ = &demo_->store();
    catalog_ = new ValueCatalog(build_value_catalog(*store_));
  }
  static void TearDownTestSuite() {
    delete catalog_;
    store_ = nullptr;
    demo_.reset();
  }

  struct Turn {
    Understanding u;
    PlanOutcome outcome;
    std::string answer;
    std::optional<ListPage> page;
  };
  // One message of the conversation: understood against its last plan, run through the tools.
  Turn say(std::string_view message) {
    Turn t{understand_message(message, *catalog_, now_, context_ ? &*context_ : nullptr), {}, {}, {}};
    if (t.u.context) context_ = t.u.context;
    if (!t.u.plan) {
      t.answer = explain_refusal(t.u);
      return t;
    }
    auto tools = tools::ToolRegistry::standard();
    PlanRun run(*t.u.plan);
    while (auto call = run.next()) run.feed(tools.run(call->name, call->arguments, *store_, nullptr));
    t.outcome = run.outcome();
    t.answer = run.answer();
    t.page = run.page();
    return t;
  }
  static std::int64_t count(const json::object& filter) { return store_->count("workItem", filter); }
  static std::vector<std::string> ids(const std::vector<json::value>& docs) {
    std::vector<std::string> out;
    for (auto& d : docs) out.push_back(dump(d.at("_id")));
    return out;
  }

  inline static std::unique_ptr<pms::testing::DemoStore> demo_;
  inline static store::sqlite::SqliteDocumentStore* store_ = nullptr;
  inline static ValueCatalog* catalog_ = nullptr;
  std::int64_t now_ = *parse_iso8601_ms("2026-11-20T12:00:00Z");
  std::optional<PlanContext> context_;
};

bool has_condition(const QueryPlan& p, std::string_view path) {
  return std::any_of(p.conditions.begin(), p.conditions.end(), [&](auto& c) { return c.path == path; });
}

TEST_F(FollowUp, RefineAddsAConditionToTheLastPlan) {
  auto base = say("how many open bugs in mobile app?");
  ASSERT_TRUE(base.u.plan) << base.answer;
  auto refined = say("and only the high priority ones?");
  ASSERT_TRUE(refined.u.plan) << refined.answer;
  // The same conditions and one more.
  auto want = base.u.plan->filter();
  want["priority"] = "HIGH";
  EXPECT_EQ(refined.u.plan->filter(), want);
  EXPECT_EQ(refined.u.plan->operation, Operation::count);
  EXPECT_EQ(*refined.outcome.count, count(want));
  EXPECT_LT(*refined.outcome.count, *base.outcome.count);
  EXPECT_NE(refined.u.follow_up.find("how many open bugs in mobile app?"), std::string::npos) << refined.u.follow_up;
  EXPECT_NE(refined.u.follow_up.find("priority is HIGH"), std::string::npos) << refined.u.follow_up;
  EXPECT_EQ(refined.u.context->messages.size(), 2u);
}

TEST_F(FollowUp, WhatAboutReplacesTheValueOfItsRole) {
  auto base = say("how many open bugs in mobile app?");
  auto other = say("what about Billing Platform?");
  ASSERT_TRUE(other.u.plan) << other.answer;
  auto text = other.u.plan->describe_conditions();
  EXPECT_NE(text.find("Billing Platform"), std::string::npos) << text;
  EXPECT_EQ(text.find("Mobile App"), std::string::npos) << text;
  EXPECT_EQ(other.u.plan->conditions.size(), base.u.plan->conditions.size());
  EXPECT_EQ(*other.outcome.count, count(other.u.plan->filter()));
  EXPECT_NE(other.u.follow_up.find("instead of Mobile App"), std::string::npos) << other.u.follow_up;
}

TEST_F(FollowUp, OperationsChangeAndTheConditionsStay) {
  auto base = say("how many open bugs in mobile app?");
  auto grouped = say("now by assignee");
  ASSERT_TRUE(grouped.u.plan) << grouped.answer;
  EXPECT_EQ(grouped.u.plan->operation, Operation::group);
  EXPECT_EQ(grouped.u.plan->group_label, "assignee");
  EXPECT_EQ(grouped.u.plan->filter(), base.u.plan->filter());
  auto listed = say("list them");
  ASSERT_TRUE(listed.u.plan) << listed.answer;
  EXPECT_EQ(listed.u.plan->operation, Operation::list);
  EXPECT_EQ(listed.u.plan->filter(), base.u.plan->filter());
  auto counted = say("how many is that?");
  ASSERT_TRUE(counted.u.plan) << counted.answer;
  EXPECT_EQ(counted.u.plan->operation, Operation::count);
  EXPECT_EQ(*counted.outcome.count, *base.outcome.count);
}

TEST_F(FollowUp, SameForAnotherTimeReplacesTheTime) {
  auto base = say("how many bugs were created this week?");
  ASSERT_TRUE(base.u.plan) << base.answer;
  auto month = say("same for last month");
  ASSERT_TRUE(month.u.plan) << month.answer;
  ASSERT_EQ(month.u.plan->conditions.size(), 1u);
  EXPECT_EQ(month.u.plan->conditions[0].path, "createdTimeStamp");
  EXPECT_EQ(month.u.plan->conditions[0].test, json::parse(R"({"$gte": "2026-10-01T00:00:00.000Z", "$lt": "2026-11-01T00:00:00.000Z"})"));
}

TEST_F(FollowUp, PagesWalkTheWholeListInOneOrder) {
  auto first = say("list open items in mobile app");
  ASSERT_TRUE(first.u.plan) << first.answer;
  auto total = *first.outcome.count;
  ASSERT_GT(total, 20);
  ASSERT_TRUE(first.page);
  EXPECT_EQ(first.page->shown, kDefaultPage);
  std::vector<std::string> seen = ids(first.outcome.rows);
  while (true) {
    auto next = say("show more");
    ASSERT_TRUE(next.u.plan) << next.answer;
    EXPECT_EQ(next.u.plan->skip, static_cast<std::int64_t>(seen.size()));
    if (next.outcome.rows.empty()) break;
    for (auto& id : ids(next.outcome.rows)) seen.push_back(id);
  }
  // Every match once, in the order of one query for all of them.
  store::FindRequest all{"workItem", first.u.plan->filter(), json::object{{"_id", 1}}, json::object{{"createdTimeStamp", -1}, {"_id", 1}}, 0, 1000};
  EXPECT_EQ(seen, ids(store_->find(all)));
  auto everything = say("show all");
  ASSERT_TRUE(everything.u.plan) << everything.answer;
  EXPECT_EQ(ids(everything.outcome.rows), seen);
  EXPECT_EQ(everything.page, std::nullopt);  // all of them, on one page
}

TEST_F(FollowUp, NextWithASizeAndShowFifty) {
  say("list open items in mobile app");
  auto next = say("next 5");
  ASSERT_TRUE(next.u.plan) << next.answer;
  EXPECT_EQ(next.u.plan->skip, 10);
  EXPECT_EQ(next.outcome.rows.size(), 5u);
  EXPECT_EQ(next.page->offset, 10);
  auto fifty = say("show 50");
  ASSERT_TRUE(fifty.u.plan) << fifty.answer;
  EXPECT_EQ(fifty.u.plan->skip, 0);
  EXPECT_EQ(fifty.u.plan->limit, 50);
}

TEST_F(FollowUp, AFollowUpWithoutALastPlanIsRefusedSayingWhy) {
  for (auto message : {"now by assignee", "and only the high priority ones?", "what about Billing Platform?", "show more"}) {
    context_.reset();
    auto t = say(message);
    EXPECT_FALSE(t.u.plan) << message;
    EXPECT_NE(t.answer.find("follow-up"), std::string::npos) << message << ": " << t.answer;
  }
}

TEST_F(FollowUp, ShowMoreOfABreakdownIsRefusedAndTheLastPlanKept) {
  say("open bugs by priority");
  auto more = say("show more");
  EXPECT_FALSE(more.u.plan);
  EXPECT_NE(more.answer.find("list them"), std::string::npos) << more.answer;
  auto listed = say("list them");
  ASSERT_TRUE(listed.u.plan) << listed.answer;
  EXPECT_EQ(listed.u.plan->operation, Operation::list);
}

TEST_F(FollowUp, TheLastPlanComesBackFromItsJson) {
  say("how many open bugs in mobile app?");
  say("only urgent");
  auto stored = json::parse(serialize(context_->to_json()));
  auto back = PlanContext::from_json(stored);
  ASSERT_TRUE(back);
  auto direct = say("now by assignee");
  auto reloaded = understand_message("now by assignee", *catalog_, now_, &*back);
  ASSERT_TRUE(direct.u.plan && reloaded.plan);
  EXPECT_EQ(reloaded.plan->filter(), direct.u.plan->filter());
  EXPECT_EQ(reloaded.plan->group_path, direct.u.plan->group_path);
  EXPECT_FALSE(PlanContext::from_json(json::parse(R"({"version": 2, "messages": []})")));
  EXPECT_FALSE(PlanContext::from_json(json::parse(R"({"version": 1, "messages": [{"text": 3}]})")));
}

TEST_F(FollowUp, AWholeQuestionStartsAnew) {
  say("how many open bugs in mobile app?");
  for (auto message : {"how many cycles are there?", "what is Priya Rossi working on?", "how many urgent bugs are there?"}) {
    auto t = say(message);
    ASSERT_TRUE(t.u.plan) << message << ": " << t.answer;
    EXPECT_TRUE(t.u.follow_up.empty()) << message;
    EXPECT_EQ(t.u.context->messages.size(), 1u) << message;
    EXPECT_FALSE(has_condition(*t.u.plan, "project._id")) << message;
  }
}

TEST_F(FollowUp, AFragmentChangesTheLastPlan) {
  auto base = say("how many open bugs in mobile app?");
  auto t = say("by priority");
  ASSERT_TRUE(t.u.plan) << t.answer;
  EXPECT_EQ(t.u.plan->operation, Operation::group);
  EXPECT_EQ(t.u.plan->filter(), base.u.plan->filter());
}

TEST_F(FollowUp, NotAndAlsoNarrowAndWiden) {
  say("list urgent bugs");
  auto high = say("also high");
  ASSERT_TRUE(high.u.plan) << high.answer;
  EXPECT_EQ(high.u.plan->filter().at("priority"), json::parse(R"({"$in": ["URGENT", "HIGH"]})"));
  auto not_done = say("not the done ones");
  ASSERT_TRUE(not_done.u.plan) << not_done.answer;
  auto filter = not_done.u.plan->filter();
  EXPECT_EQ(filter.at("priority"), json::parse(R"({"$in": ["URGENT", "HIGH"]})"));
  EXPECT_EQ(*not_done.outcome.count, count(filter));
  EXPECT_LT(*not_done.outcome.count, *high.outcome.count);
}

// Overdue lists show the due date, most overdue first; "list all" lists every match.
TEST_F(FollowUp, ListsFitTheQuestion) {
  auto overdue = say("which items are overdue?");
  ASSERT_TRUE(overdue.u.plan) << overdue.answer;
  EXPECT_EQ(overdue.u.plan->sort, json::parse(R"({"endDate": 1})").as_object());
  EXPECT_NE(overdue.answer.find("| Due |"), std::string::npos) << overdue.answer;
  std::string last;
  for (auto& row : overdue.outcome.rows) {
    auto due = std::string(row.at("endDate").as_string());
    EXPECT_LE(last, due);
    last = due;
  }
  auto all = say("list all open items in mobile app");
  ASSERT_TRUE(all.u.plan) << all.answer;
  EXPECT_EQ(static_cast<std::int64_t>(all.outcome.rows.size()), *all.outcome.count);
  auto working = say("what is Priya Rossi working on?");
  ASSERT_TRUE(working.u.plan) << working.answer;
  EXPECT_NE(working.answer.find("| State |"), std::string::npos);
  EXPECT_NE(working.answer.find("| Due |"), std::string::npos);
}

}  // namespace

namespace {

// A follow-up builds on the model's plan as on a question.
TEST_F(FollowUp, AModelsPlanIsALastPlanToo) {
  PlanContext context{{{"hw mny wrk itms in mobile app", now_, R"({"entity": "workItem", "operation": "count", "filters": {"project": "Mobile App"}})"}}};
  auto back = PlanContext::from_json(json::parse(serialize(context.to_json())));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->messages[0].model_plan, context.messages[0].model_plan);
  auto base = understand_message("how many work items in mobile app?", *catalog_, now_, nullptr);
  auto u = understand_message("only the urgent ones", *catalog_, now_, &*back, true);
  ASSERT_TRUE(u.plan) << explain_refusal(u);
  auto want = base.plan->filter();
  want["priority"] = "URGENT";
  EXPECT_EQ(u.plan->filter(), want);
  EXPECT_NE(u.follow_up.find("hw mny wrk itms in mobile app"), std::string::npos) << u.follow_up;
}

// After answers without a plan (the model's), "the urgent ones" may mean them: refused, not
// answered over everything. As the first message it is a question of its own.
TEST_F(FollowUp, AWeakCueAfterAnswersWithoutAPlanIsRefused) {
  auto first = understand_message("show me the urgent ones", *catalog_, now_, nullptr, false);
  EXPECT_TRUE(first.plan);
  auto later = understand_message("show me the urgent ones", *catalog_, now_, nullptr, true);
  EXPECT_FALSE(later.plan);
  EXPECT_NE(explain_refusal(later).find("follow-up"), std::string::npos) << explain_refusal(later);
}

TEST_F(FollowUp, SeriesCountPerPeriodAndChangeLikeAnyPlan) {
  auto weekly = say("how many work items were created per week since October?");
  ASSERT_TRUE(weekly.u.plan) << weekly.answer;
  ASSERT_TRUE(weekly.u.plan->series);
  EXPECT_EQ(weekly.u.plan->series->unit, "week");
  EXPECT_EQ(weekly.u.plan->series->path, "createdTimeStamp");
  // The weeks' counts add up to the items created since October.
  std::int64_t sum = 0;
  for (auto& [id, n] : weekly.outcome.groups) sum += n;
  EXPECT_EQ(sum, count(json::object{{"createdTimeStamp", json::object{{"$gte", "2026-10-01T00:00:00.000Z"}}}}));
  EXPECT_NE(weekly.answer.find("| Week of | Work items |"), std::string::npos) << weekly.answer;

  auto by = say("by priority");
  ASSERT_TRUE(by.u.plan) << by.answer;
  ASSERT_TRUE(by.u.plan->series);
  EXPECT_EQ(by.u.plan->group_label, "priority");
  EXPECT_EQ(by.u.plan->filter(), weekly.u.plan->filter());

  auto due = say("bugs due per month");
  ASSERT_TRUE(due.u.plan) << due.answer;
  EXPECT_EQ(due.u.plan->series->path, "endDate");
  auto monthly = say("monthly urgent bugs");
  ASSERT_TRUE(monthly.u.plan) << monthly.answer;
  EXPECT_EQ(monthly.u.plan->series->unit, "month");
  EXPECT_TRUE(has_condition(*monthly.u.plan, "priority"));
  auto listed = say("list them");
  ASSERT_TRUE(listed.u.plan) << listed.answer;
  EXPECT_EQ(listed.u.plan->operation, Operation::list);
  EXPECT_FALSE(listed.u.plan->series);
}

}  // namespace

namespace {

// The follow-ups offered after an answer are ones the planner reads as building on it.
TEST_F(FollowUp, SuggestionsBuildOnTheAnswer) {
  auto tools = tools::ToolRegistry::standard();
  auto run_of = [&](const Turn& t) {
    PlanRun run(*t.u.plan);
    while (auto call = run.next()) run.feed(tools.run(call->name, call->arguments, *store_, nullptr));
    return run;
  };
  auto listed = say("list open items in mobile app");
  ASSERT_TRUE(listed.u.plan);
  auto offered = follow_up_suggestions(run_of(listed), *listed.u.context, *catalog_, now_);
  ASSERT_FALSE(offered.empty());
  EXPECT_EQ(offered[0], "show all " + std::to_string(count(listed.u.plan->filter())));
  EXPECT_LE(offered.size(), 3u);
  for (auto& s : offered) {
    auto next = understand_message(s, *catalog_, now_, &*listed.u.context, true);
    ASSERT_TRUE(next.plan) << s;
    EXPECT_FALSE(next.follow_up.empty()) << s << " was not read as a follow-up";
    for (auto& [k, v] : listed.u.plan->filter()) EXPECT_TRUE(next.plan->filter().contains(k)) << s << " dropped " << k;
  }
  auto grouped = say("open bugs by priority");
  auto after_group = follow_up_suggestions(run_of(grouped), *grouped.u.context, *catalog_, now_);
  EXPECT_NE(std::find(after_group.begin(), after_group.end(), "list them"), after_group.end());
  for (auto& s : after_group) EXPECT_EQ(s.find("only"), std::string::npos) << "narrowing the grouped role: " << s;
  auto one = say("details of MAA2-4");
  EXPECT_TRUE(follow_up_suggestions(run_of(one), *one.u.context, *catalog_, now_).empty());
}

}  // namespace
