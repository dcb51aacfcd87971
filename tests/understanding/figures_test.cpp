// Figures other than a count, asked and answered on a small database: people counted once, a
// numeric field's total and average (and what was left out of them), shares, array sizes, a
// comparison of two things, and a name as long as a sentence.
#include "planner_store_fixture.hpp"
#include "understanding/markdown_table.hpp"

using namespace pms;
using namespace pms::understanding;

class FiguresTest : public test_support::PlannerOnStore {
 protected:
  void fill() override {
    store_->replace_collection("project", {json::object{{"_id", "p-fleet"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FLEET"}, {"isArchived", false},
                                                        {"isActive", true}, {"business", tenant()}},
                                           json::object{{"_id", "p-pac"}, {"name", "Portal"}, {"projectDisplayId", "PAC"}, {"isArchived", true},
                                                        {"isActive", false}, {"business", tenant()}}});
    // Maria is a member of both projects: three people, four membership rows.
    store_->replace_collection("members", {json::object{{"_id", "m1"}, {"memberId", "u-maria"}, {"name", "Maria Lopez"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}},
                                           json::object{{"_id", "m2"}, {"memberId", "u-maria"}, {"name", "Maria Lopez"}, {"project", ref("p-pac", "Portal")}, {"business", tenant()}},
                                           json::object{{"_id", "m3"}, {"memberId", "u-omar"}, {"name", "Omar Chen"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}},
                                           json::object{{"_id", "m4"}, {"memberId", "u-ana"}, {"name", "Ana Ruiz"}, {"project", ref("p-pac", "Portal")}, {"business", tenant()}}});
    store_->replace_collection("module", {json::object{{"_id", "mod-1"}, {"title", "Dispatcher Console"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}}});
    store_->replace_collection("userStory", {json::object{{"_id", "us-1"}, {"title", "As a dispatcher I see the live ETA of every van"},
                                                          {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}}});
    std::vector<json::value> items;
    // Estimates as teams really keep them: points, T-shirt sizes, none.
    auto item = [&](const char* project, const char* group, const char* priority, json::value estimate, json::array assignees) {
      int n = static_cast<int>(items.size()) + 1;
      bool fleet = std::string_view(project) == "p-fleet";
      json::object doc{{"_id", "w" + std::to_string(n)},
                       {"displayBugNo", std::string(fleet ? "FLEET-" : "PAC-") + std::to_string(n)},
                       {"title", "Item " + std::to_string(n)},
                       {"project", ref(project, fleet ? "Fleet Tracker" : "Portal")},
                       {"state", ref("s-" + std::string(group), group)},
                       {"stateMaster", ref("g-" + std::string(group), group)},
                       {"priority", priority},
                       {"assignee", std::move(assignees)},
                       {"business", tenant()},
                       {"createdTimeStamp", "2026-10-01T10:00:00.000Z"}};
      if (!estimate.is_null()) doc["estimate"] = std::move(estimate);
      items.push_back(std::move(doc));
    };
    auto maria = ref("u-maria", "Maria Lopez"), omar = ref("u-omar", "Omar Chen");
    item("p-fleet", "Completed", "LOW", 3, {maria});
    item("p-fleet", "Started", "URGENT", 5, {maria});
    item("p-fleet", "Completed", "LOW", "M", {omar});
    item("p-fleet", "Unstarted", "URGENT", nullptr, {});
    item("p-fleet", "Completed", "LOW", 2, {maria, omar});
    item("p-pac", "Completed", "LOW", "S", {omar});
    item("p-pac", "Backlog", "HIGH", "L", {maria});
    items[0].as_object()["userStory"] = json::object{{"_id", "us-1"}, {"name", "As a dispatcher I see the live ETA of every van"}};
    items[1].as_object()["userStory"] = json::object{{"_id", "us-1"}};
    items[2].as_object()["modules"] = json::object{{"_id", "mod-1"}, {"name", "Dispatcher Console"}};
    store_->replace_collection("workItem", items);
  }
  static bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }
};

TEST_F(FiguresTest, PeopleAreCountedOnceNotPerMembership) {
  auto text = answer("how many people are on the team");
  EXPECT_TRUE(has(text, "**3** people")) << text;
  EXPECT_TRUE(has(text, "4 member records")) << text;
  EXPECT_TRUE(has(answer("how many members are in Fleet Tracker"), "**2** people"));
  EXPECT_EQ(count("how many memberships are there"), 4) << "the records themselves, when asked for";
}

TEST_F(FiguresTest, TotalsAddTheNumbersAndSayWhatWasLeftOut) {
  auto total = answer("total estimate in Fleet Tracker");
  EXPECT_TRUE(has(total, "is **10**, from the 3 of 5 work items with a numeric estimate")) << total;
  EXPECT_TRUE(has(total, "1 have an estimate that is not a number (M)")) << total;
  EXPECT_TRUE(has(total, "1 have no estimate")) << total;
  EXPECT_TRUE(has(answer("how many story points are in Fleet Tracker"), "**10**")) << "story points are the estimate field";
  auto average = answer("average estimate of open items in Fleet Tracker");
  EXPECT_TRUE(has(average, "**5**, from the 1 of 2 work items")) << average;
  // No number to give is said as such, not as 0.
  auto none = answer("total estimate in Portal");
  EXPECT_TRUE(has(none, "None of the 2 work items")) << none;
  EXPECT_FALSE(has(none, "**0**")) << none;
  EXPECT_FALSE(ask("total estimate of pages").plan) << "pages have no estimate";
}

TEST_F(FiguresTest, MeasuresPerGroupAndTheLeader) {
  auto by_project = answer("average estimate per project");
  EXPECT_TRUE(has(by_project, "| Fleet Tracker | 3.33 | 3 | 5 |")) << by_project;
  EXPECT_TRUE(has(by_project, "| Portal | - | 0 | 2 |")) << by_project;
  EXPECT_TRUE(has(by_project, "3 have an estimate that is not a number (L, M, S)")) << by_project;
  // An item of two people counts for each.
  auto top = answer("who has the most story points");
  EXPECT_TRUE(has(top, "**Maria Lopez** has the highest total estimate of work items: 10.")) << top;
}

TEST_F(FiguresTest, ASharesPartIsTheConditionAfterTheVerb) {
  auto done = answer("what percentage of Fleet Tracker is done");
  EXPECT_TRUE(has(done, "Of the 5 work items where project is Fleet Tracker, **3 (60%)** match: done")) << done;
  auto urgent = answer("what percentage of open items are urgent");
  EXPECT_TRUE(has(urgent, "Of the 3 work items where open")) << urgent;
  EXPECT_TRUE(has(urgent, "**2 (66.7%)** match: priority is URGENT")) << urgent;
  EXPECT_TRUE(has(answer("percent done in Portal"), "**1 (50%)**"));
  auto by_project = answer("percentage done by project");
  EXPECT_TRUE(has(by_project, "| Fleet Tracker | 3 | 5 | 60% |")) << by_project;
  EXPECT_TRUE(has(by_project, "| Portal | 1 | 2 | 50% |")) << by_project;
  // Without a part it is not guessed at.
  EXPECT_FALSE(ask("what percentage of Fleet Tracker").plan);
}

TEST_F(FiguresTest, ArraySizesComparisonsAndLongNames) {
  EXPECT_EQ(filter("how many items have more than one assignee"), json::parse(R"({"assignee.1": {"$exists": true}})"));
  EXPECT_EQ(count("how many items have more than one assignee"), 1);
  EXPECT_EQ(count("items with at least 2 assignees"), 1);
  EXPECT_EQ(count("items with several assignees in Portal"), 0);
  auto compared = answer("compare Fleet Tracker and Portal");
  EXPECT_TRUE(has(compared, "| Fleet Tracker | 5 |")) << compared;
  EXPECT_TRUE(has(compared, "| Portal | 2 |")) << compared;
  // The whole title names the story; its word "dispatcher" is not the module.
  EXPECT_EQ(count("how many work items for the user story 'As a dispatcher I see the live ETA of every van'"), 2);
}

TEST_F(FiguresTest, MissingMeasuresPluralValuesAndStateGroups) {
  EXPECT_EQ(count("how many items without an estimate"), 1);
  EXPECT_EQ(count("how many unestimated items"), 1);
  EXPECT_EQ(count("items with an estimate in Portal"), 2) << "a T-shirt size is an estimate too";
  EXPECT_EQ(count("how many URGENTs"), 2) << "a stored value said in the plural";
  EXPECT_EQ(filter("how many items are in the backlog group"), json::parse(R"({"stateMaster.name": "Backlog"})"));
  EXPECT_EQ(count("items either started or in the backlog state group"), 2);
  auto groups = answer("count of items per state group");
  EXPECT_TRUE(has(groups, "| Completed | 4 |")) << groups;
  EXPECT_TRUE(has(groups, "| Backlog | 1 |")) << groups;
}

TEST_F(FiguresTest, DifferentValuesOfARoleAreCountedOnce) {
  auto text = answer("how many different people have work items in Fleet Tracker");
  EXPECT_TRUE(has(text, "**2** different assignees")) << text;
  auto per_project = answer("distinct assignees per project");
  EXPECT_TRUE(has(per_project, "| Fleet Tracker | 2 |")) << per_project;
  EXPECT_TRUE(has(per_project, "| Portal | 2 |")) << per_project;
  EXPECT_TRUE(has(per_project, "Different assignees")) << per_project;
  // A change of state said with a time asks when it happened, which is not recorded.
  EXPECT_FALSE(ask("what got released this month").plan);
}

TEST_F(FiguresTest, FlagsAreTheSchemasTrueFalseFields) {
  EXPECT_EQ(filter("how many archived projects are there"), json::parse(R"({"isArchived": true})"));
  EXPECT_EQ(count("how many archived projects are there"), 1);
  EXPECT_EQ(count("which projects are not archived"), 1);
  EXPECT_EQ(count("active projects"), 1);
  EXPECT_EQ(count("how many inactive projects"), 1);
  EXPECT_FALSE(ask("how many locked projects").plan) << "projects hold no such field here";
}

TEST_F(FiguresTest, TeamsNobodyAndTheMostUsed) {
  EXPECT_EQ(count("items assigned to nobody"), 1);
  EXPECT_EQ(count("how many tickets is nobody working on"), 1);
  auto team = ask("list the team of Portal");
  ASSERT_TRUE(team.plan) << explain_refusal(team);
  EXPECT_EQ(team.plan->collection, "members");
  EXPECT_EQ(count("who are the people on Fleet Tracker"), 2);
  EXPECT_TRUE(has(answer("the most used priority in Fleet Tracker"), "**LOW** has the most work items")) ;
}

TEST_F(FiguresTest, DetailsOfOneItemShowItsFieldsAndDescription) {
  auto text = answer("details of FLEET-2");
  EXPECT_TRUE(has(text, "| Field | Value |")) << text;
  EXPECT_TRUE(has(text, "| Estimate | 5 |")) << text;
  EXPECT_TRUE(has(text, "| Project | Fleet Tracker |")) << text;
  EXPECT_TRUE(has(text, "| User story | As a dispatcher I see the live ETA of every van |")) << "the name its id points at: " << text;
  EXPECT_FALSE(has(text, "| Labels |")) << "fields the item does not have are left out";
}

TEST(TextExcerpt, RichTextBecomesPlainAndShort) {
  EXPECT_EQ(text_excerpt("<p>Fix the <b>ETA</b> &amp; SMS</p><p>Second</p>", 100), "Fix the ETA & SMS Second");
  EXPECT_EQ(text_excerpt("one two three four", 9), "one two …");
  EXPECT_EQ(text_excerpt("", 10), "");
  EXPECT_EQ(text_excerpt("a <unclosed", 10), "a");
}
