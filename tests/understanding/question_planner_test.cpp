// The planner on a small hand-made catalog: what words link to, what is refused and why; the
// state vocabulary on small databases with and without state groups (stateMaster); vocabulary
// typos. Things found by their identity are in identities_test.cpp.
#include "understanding/question_planner.hpp"

#include "core/time_util.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "understanding/lexicon.hpp"
#include "understanding/reading_understanding.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

using namespace pms;
using namespace pms::understanding;

namespace {

const ValueCatalog& catalog() {
  static const ValueCatalog c = [] {
    auto field = &CategoryField::of;
    ValueCatalog cat;
    CollectionCatalog wi{"workItem", 100, {}, {}};
    wi.categories = {field("state.name", {"Backlog", "Todo", "In Progress", "Done", "Cancelled"}),
                     field("priority", {"URGENT", "HIGH", "MEDIUM", "LOW", "NONE"}),
                     field("assignee.name", {"Priya Patel", "Priya Shah", "Omar Chen"}),
                     field("createdBy.name", {"Omar Chen"}),
                     field("label.name", {"bug", "performance"}),
                     field("modules.name", {"Performance", "Billing"}),
                     field("project.name", {"Mobile App", "Billing Platform"}),
                     field("cycle.name", {"Sprint 3"}),
                     field("status", {"PENDING"})};
    wi.dates = {{"createdTimeStamp", "2026-01-01T00:00:00.000Z", "2026-11-20T00:00:00.000Z"},
                {"updatedTimeStamp", "2026-01-01T00:00:00.000Z", "2026-11-20T00:00:00.000Z"},
                {"endDate", "2026-01-01T00:00:00.000Z", "2026-12-20T00:00:00.000Z"}};
    CollectionCatalog cycle{"cycle", 4, {field("title", {"Sprint 3"}), field("status", {"ACTIVE", "COMPLETED"})}, {}};
    CollectionCatalog members{"members", 3, {field("name", {"Priya Patel", "Priya Shah", "Omar Chen"}), field("role", {"ADMIN", "VIEWER"})},
                              {{"joiningDate", "2025-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"}}};
    CollectionCatalog project{"project", 2, {field("name", {"Mobile App", "Billing Platform"})}, {}};
    cat.collections = {wi, cycle, members, project};
    return cat;
  }();
  return c;
}

const std::int64_t kNow = *parse_iso8601_ms("2026-11-20T12:00:00Z");

Understanding ask(std::string_view q) { return understand_question(q, catalog(), kNow); }

json::value filter_of(std::string_view q) {
  auto u = ask(q);
  if (!u.plan) {
    ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
    return nullptr;
  }
  return u.plan->filter();
}

}  // namespace

TEST(QuestionPlanner, LinksWordsToExactStoredValues) {
  auto u = ask("how many critical bugs in progres in mobile ap?");
  ASSERT_TRUE(u.plan) << explain_refusal(u);
  EXPECT_EQ(u.plan->operation, Operation::count);
  EXPECT_EQ(u.plan->collection, "workItem");
  EXPECT_EQ(json::value(u.plan->filter()),
            json::parse(R"({"priority": "URGENT", "state.name": "In Progress", "project.name": "Mobile App"})"));
  EXPECT_EQ(filter_of("urgent or high tickets for omar"),
            json::parse(R"({"priority": {"$in": ["URGENT", "HIGH"]}, "assignee.name": "Omar Chen"})"));
  EXPECT_EQ(filter_of("items created by omar chen"), json::parse(R"({"createdBy.name": "Omar Chen"})"));
  // What someone is working on is what is not finished (no state groups here); worked on, all.
  EXPECT_EQ(filter_of("what is omar working on"),
            json::parse(R"({"assignee.name": "Omar Chen", "state.name": {"$nin": ["Done", "Cancelled"]}})"));
  EXPECT_EQ(filter_of("what did omar work on"), json::parse(R"({"assignee.name": "Omar Chen"})"));
  // "X vs Y" puts one role's two values side by side; "break down X by Y" groups X's items.
  auto vs = ask("urgent vs high tickets for omar");
  ASSERT_TRUE(vs.plan) << explain_refusal(vs);
  EXPECT_EQ(vs.plan->operation, Operation::group);
  EXPECT_EQ(vs.plan->group_path, "priority");
  EXPECT_EQ(vs.plan->filter(), json::parse(R"({"priority": {"$in": ["URGENT", "HIGH"]}, "assignee.name": "Omar Chen"})"));
  EXPECT_FALSE(ask("urgent vs high bugs of mobile app vs billing platform").plan) << "two comparisons at once";
  auto down = ask("break down mobile app by state");
  ASSERT_TRUE(down.plan) << explain_refusal(down);
  EXPECT_EQ(down.plan->operation, Operation::group);
  EXPECT_EQ(down.plan->group_path, "state.name");
  // "combined" only says the counts add up, which a count of either does.
  EXPECT_EQ(filter_of("how many urgent items in mobile app and billing platform combined"),
            json::parse(R"({"priority": "URGENT", "project.name": {"$in": ["Mobile App", "Billing Platform"]}})"));
  auto used = ask("which label is used the most");
  ASSERT_TRUE(used.plan) << explain_refusal(used);
  EXPECT_EQ(used.plan->group_path, "label.name");
  // Who owns a thing is its lead, else its assignee: the row of the one thing named shows it.
  CollectionCatalog module{"module", 2, {CategoryField::of("title", {"Route Optimizer"}), CategoryField::of("lead.name", {"Omar Chen"})}, {}};
  ValueCatalog with_modules;
  with_modules.collections = {module};
  auto owns = understand_question("who owns the route optimizer module", with_modules, kNow);
  ASSERT_TRUE(owns.plan) << explain_refusal(owns);
  EXPECT_EQ(owns.plan->collection, "module");
  EXPECT_NE(std::find(owns.plan->columns.begin(), owns.plan->columns.end(), "lead.name"), owns.plan->columns.end());
  // A missing reference: "no state", "without a project", "not in any sprint"; "not state X" is not one.
  EXPECT_EQ(filter_of("how many items have no state at all"), json::parse(R"({"state.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("how many items aren't in any project"), json::parse(R"({"project.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("urgent items not in any sprint"), json::parse(R"({"priority": "URGENT", "cycle.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("items without a project"), json::parse(R"({"project.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("items not in state backlog"), json::parse(R"({"state.name": {"$ne": "Backlog"}})"));
  // Workload is open items per assignee.
  auto load = ask("workload by assignee");
  ASSERT_TRUE(load.plan) << explain_refusal(load);
  EXPECT_EQ(load.plan->operation, Operation::group);
  EXPECT_EQ(load.plan->group_path, "assignee.name");
  EXPECT_EQ(load.plan->filter(), json::parse(R"({"state.name": {"$nin": ["Done", "Cancelled"]}})"));
  auto team_load = ask("team workload");
  ASSERT_TRUE(team_load.plan) << explain_refusal(team_load);
  EXPECT_EQ(team_load.plan->group_path, "assignee.name");
  EXPECT_EQ(filter_of("omar chen's workload"),
            json::parse(R"({"state.name": {"$nin": ["Done", "Cancelled"]}, "assignee.name": "Omar Chen"})"));
  // Not updated in N days: updated before the last N days began (kNow is 2026-11-20).
  EXPECT_EQ(filter_of("items not updated in 30 days"), json::parse(R"({"updatedTimeStamp": {"$lt": "2026-10-21T00:00:00.000Z"}})"));
  EXPECT_EQ(filter_of("urgent bugs with no updates in the last 2 weeks"),
            json::parse(R"({"priority": "URGENT", "updatedTimeStamp": {"$lt": "2026-11-06T00:00:00.000Z"}})"));
  EXPECT_EQ(filter_of("stale for 10 days"), json::parse(R"({"updatedTimeStamp": {"$lt": "2026-11-10T00:00:00.000Z"}})"));
  EXPECT_FALSE(ask("stale items").plan) << "stale for how long is not said";
  // One state name spelled two ways in two projects is one name, whichever way it is typed.
  CollectionCatalog todo{"workItem", 10, {CategoryField::of("state.name", {"To Do", "Todo", "Done"})}, {}};
  ValueCatalog with_todo;
  with_todo.collections = {todo};
  for (auto q : {"how many to do items", "how many todo items"}) {
    auto u = understand_question(q, with_todo, kNow);
    ASSERT_TRUE(u.plan) << q << ": " << explain_refusal(u);
    EXPECT_EQ(u.plan->filter(), json::parse(R"({"state.name": {"$in": ["To Do", "Todo"]}})")) << q;
  }
  // "mention X" searches the title and the description for the word; "about" alone does not.
  EXPECT_EQ(filter_of("how many tickets mention Barcode"),
            json::parse(R"({"$or": [{"title": {"$regex": "Barcode", "$options": "i"}}, {"description": {"$regex": "Barcode", "$options": "i"}}]})"));
  EXPECT_FALSE(ask("how many tickets about barcode").plan);
  // "Who created X? count per person": per creator.
  auto creators = ask("who created the mobile app tickets? count per person");
  ASSERT_TRUE(creators.plan) << explain_refusal(creators);
  EXPECT_EQ(creators.plan->group_path, "createdBy.name");
  EXPECT_FALSE(ask("who created the mobile app tickets").plan) << "a list of creators is not a grouping asked for";
  // A person before a creation verb is the creator, also of pages, which have no assignee.
  CollectionCatalog page{"page", 3, {CategoryField::of("createdBy.name", {"Marta Gil"})}, {}};
  ValueCatalog with_pages;
  with_pages.collections = {page};
  auto wrote = understand_question("how many pages did marta gil write", with_pages, kNow);
  ASSERT_TRUE(wrote.plan) << explain_refusal(wrote);
  EXPECT_EQ(wrote.plan->filter(), json::parse(R"({"createdBy.name": "Marta Gil"})"));
  EXPECT_FALSE(understand_question("how many pages about marta gil", with_pages, kNow).plan) << "no verb, no role";
  // "Who is on the team" asks for people, not for work items.
  auto team = ask("who is on the team");
  ASSERT_TRUE(team.plan) << explain_refusal(team);
  EXPECT_EQ(team.plan->collection, "members");
  EXPECT_EQ(filter_of("who are the admins"), json::parse(R"({"role": "ADMIN"})"));
}

TEST(QuestionPlanner, StateGroupsNegationAndMissingValues) {
  EXPECT_EQ(filter_of("open bugs"), json::parse(R"({"state.name": {"$nin": ["Done", "Cancelled"]}})"));
  EXPECT_EQ(filter_of("closed bugs"), json::parse(R"({"state.name": "Done"})"));
  EXPECT_EQ(filter_of("bugs not in backlog"), json::parse(R"({"state.name": {"$ne": "Backlog"}})"));
  EXPECT_EQ(filter_of("unassigned bugs"), json::parse(R"({"assignee.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("bugs without label"), json::parse(R"({"label.name": {"$exists": false}})"));
  EXPECT_EQ(filter_of("pending items"), json::parse(R"({"status": "PENDING"})")) << "a stored value beats a synonym";
}

TEST(QuestionPlanner, DueDatesWithoutAYearAreTheNextOnes) {
  EXPECT_EQ(filter_of("items due before december"), json::parse(R"({"endDate": {"$lt": "2026-12-01T00:00:00.000Z"}})"));
}

TEST(QuestionPlanner, DatesResolveAgainstNow) {
  EXPECT_EQ(filter_of("bugs created this week"),
            json::parse(R"({"createdTimeStamp": {"$gte": "2026-11-16T00:00:00.000Z", "$lt": "2026-11-23T00:00:00.000Z"}})"));
  EXPECT_EQ(filter_of("items updated since october"), json::parse(R"({"updatedTimeStamp": {"$gte": "2026-10-01T00:00:00.000Z"}})"));
  EXPECT_EQ(filter_of("overdue bugs"), json::parse(R"({"endDate": {"$lt": "2026-11-20T00:00:00.000Z"}, "state.name": {"$nin": ["Done", "Cancelled"]}})"));
  auto closed = ask("bugs closed last week");
  EXPECT_FALSE(closed.plan);
  EXPECT_NE(closed.problem.find("not when they were closed"), std::string::npos) << closed.problem;
}

TEST(QuestionPlanner, AmbiguityIsAskedAboutNotGuessed) {
  auto u = ask("performance bugs");
  ASSERT_FALSE(u.plan);
  EXPECT_NE(u.problem.find("label performance"), std::string::npos) << u.problem;
  EXPECT_NE(u.problem.find("module Performance"), std::string::npos) << u.problem;
  EXPECT_EQ(filter_of("bugs in the performance module"), json::parse(R"({"modules.name": "Performance"})"));
  EXPECT_EQ(filter_of("bugs labelled performance"), json::parse(R"({"label.name": "performance"})"));

  auto priya = ask("bugs for priya");
  ASSERT_FALSE(priya.plan);
  EXPECT_NE(priya.problem.find("Priya Patel"), std::string::npos);
  EXPECT_NE(priya.problem.find("Priya Shah"), std::string::npos);
  // Each meaning is offered as the question to ask instead, and that question is understood.
  ASSERT_GE(priya.suggestions.size(), 2u);
  EXPECT_EQ(priya.suggestions[0], "bugs for Priya Patel");
  EXPECT_EQ(priya.suggestions[1], "bugs for Priya Shah");
  EXPECT_EQ(filter_of(priya.suggestions[0]), json::parse(R"({"assignee.name": "Priya Patel"})"));
  ASSERT_GE(u.suggestions.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) EXPECT_TRUE(ask(u.suggestions[k]).plan) << u.suggestions[k];
}

TEST(QuestionPlanner, ARoleWordIsNotOneWordOfALongerName) {
  ValueCatalog cat;
  cat.collections = {CollectionCatalog{"workItem", 10, {CategoryField::of("label.name", {"RGPD"}), CategoryField::of("modules.name", {"Label Printing"})}, {}}};
  auto u = understand_question("items with label RGPD", cat, kNow);
  ASSERT_TRUE(u.plan) << explain_refusal(u);
  EXPECT_EQ(u.plan->filter(), json::parse(R"({"label.name": "RGPD"})")) << "\"label\" names the field, not the module Label Printing";
  auto printing = understand_question("items in label printing", cat, kNow);
  ASSERT_TRUE(printing.plan) << explain_refusal(printing);
  EXPECT_EQ(printing.plan->filter(), json::parse(R"({"modules.name": "Label Printing"})"));
}

TEST(QuestionPlanner, OperationsGroupsAndLeaders) {
  auto top = ask("who has the most urgent bugs");
  ASSERT_TRUE(top.plan) << explain_refusal(top);
  EXPECT_EQ(top.plan->operation, Operation::group);
  EXPECT_TRUE(top.plan->top);
  EXPECT_EQ(top.plan->group_path, "assignee.name");
  EXPECT_EQ(json::value(top.plan->filter()), json::parse(R"({"priority": "URGENT"})"));

  auto by = ask("open bugs by priority");
  ASSERT_TRUE(by.plan);
  EXPECT_EQ(by.plan->group_path, "priority");
  EXPECT_FALSE(by.plan->top);

  auto latest = ask("latest 3 urgent bugs");
  ASSERT_TRUE(latest.plan);
  EXPECT_EQ(latest.plan->operation, Operation::list);
  EXPECT_EQ(latest.plan->limit, 3);
  EXPECT_EQ(json::value(latest.plan->sort), json::parse(R"({"createdTimeStamp": -1})"));

  auto id = ask("what is the status of maa2-12?");
  ASSERT_TRUE(id.plan) << explain_refusal(id);
  EXPECT_EQ(json::value(id.plan->filter()), json::parse(R"({"displayBugNo": "MAA2-12"})"));
  EXPECT_EQ(id.plan->limit, 1);

  auto sprint = ask("bugs in the current sprint");
  ASSERT_TRUE(sprint.plan);
  ASSERT_TRUE(sprint.plan->cycle);
  EXPECT_EQ(sprint.plan->cycle->status_value, "ACTIVE");

  auto admins = ask("how many admins are there");
  ASSERT_TRUE(admins.plan) << explain_refusal(admins);
  EXPECT_EQ(admins.plan->collection, "members");
  EXPECT_EQ(json::value(admins.plan->filter()), json::parse(R"({"role": "ADMIN"})"));
}

TEST(QuestionPlanner, RefusesWhatItCannotAnswerAndSaysWhy) {
  auto unknown = ask("what is the velocity of mobile app");
  ASSERT_FALSE(unknown.plan);
  ASSERT_EQ(unknown.not_understood, (std::vector<std::string>{"velocity"}));
  auto text = explain_refusal(unknown);
  EXPECT_NE(text.find("\"velocity\""), std::string::npos);
  EXPECT_NE(text.find("project is Mobile App"), std::string::npos) << "what was understood is said";
  EXPECT_NE(text.find("Questions I can answer"), std::string::npos);

  EXPECT_NE(ask("delete all done bugs").problem.find("only read"), std::string::npos);
  EXPECT_NE(ask("close all done bugs").problem.find("only read"), std::string::npos) << "a change, not a typo of 'closed'";
  EXPECT_FALSE(ask("what is the platform of Mobile App").plan) << "one word of a name (Billing Platform) before 'of' asks for an attribute";
  EXPECT_NE(ask("show my open bugs").problem.find("who you are"), std::string::npos);
  EXPECT_NE(ask("what did I close today").problem.find("who you are"), std::string::npos);
  EXPECT_FALSE(ask("hi there").plan);
  EXPECT_FALSE(ask("").plan);
  EXPECT_FALSE(ask("most").plan);
}

TEST(QuestionPlanner, HintsNameTheStoredValues) {
  auto hints = hints_for_model(ask("how many high prio bugs are in progres for omar?"));
  EXPECT_NE(hints.find("priority: \"HIGH\""), std::string::npos) << hints;
  EXPECT_NE(hints.find("state.name: \"In Progress\""), std::string::npos) << hints;
  EXPECT_NE(hints.find("assignee.name: \"Omar Chen\""), std::string::npos) << hints;
  EXPECT_EQ(hints_for_model(ask("tell me a joke")), "");
  // A negated link is hinted as its negation, never as the values it excludes.
  auto open = hints_for_model(ask("how many open bugs?"));
  EXPECT_NE(open.find("$nin"), std::string::npos) << open;
}

TEST(QuestionPlanner, ARefusalSaysWhenTheCatalogIsIncomplete) {
  ValueCatalog partial = catalog();
  partial.incomplete = "still being read from the database: 1 of 4 collections so far";
  auto u = understand_question("bugs in the zeta module", partial, kNow);
  ASSERT_FALSE(u.plan);
  EXPECT_NE(explain_refusal(u).find("still being read from the database: 1 of 4 collections so far: ask again in a moment"),
            std::string::npos)
      << explain_refusal(u);
}

TEST(QuestionPlanner, AQuestionAboutOneNamedThingListsIt) {
  auto lead = ask("who leads mobile app?");
  ASSERT_TRUE(lead.plan) << explain_refusal(lead);
  EXPECT_EQ(lead.plan->collection, "project");
  EXPECT_EQ(json::value(lead.plan->filter()), json::parse(R"({"name": "Mobile App"})"));
  auto end = ask("when does sprint 3 end");
  ASSERT_TRUE(end.plan) << explain_refusal(end);
  EXPECT_EQ(end.plan->collection, "cycle");
  EXPECT_EQ(json::value(end.plan->filter()), json::parse(R"({"title": "Sprint 3"})"));
  // "sprint" and "3" belong to the stored name: not the entity, not a limit.
  auto bugs = ask("sprint 3 bugs by state");
  ASSERT_TRUE(bugs.plan) << explain_refusal(bugs);
  EXPECT_EQ(bugs.plan->collection, "workItem");
  EXPECT_EQ(json::value(bugs.plan->filter()), json::parse(R"({"cycle.name": "Sprint 3"})"));
  EXPECT_FALSE(ask("who leads").plan) << "a field without a named thing is not a question it answers";
}

namespace {

// Work items whose states are named per project, as real PMS data has them, each with the group
// of its state (the schema's stateMaster) as `groups` says: "Released" is done, "Won't Do" dropped.
const ValueCatalog& grouped_catalog() {
  static const ValueCatalog c = [] {
    auto field = &CategoryField::of;
    ValueCatalog cat;
    CollectionCatalog wi{"workItem", 100, {}, {}};
    wi.categories = {field("state.name", {"Todo", "Doing", "QA", "Released", "Done", "Won't Do"}),
                     field("stateMaster.name", {"Unstarted", "Started", "Completed", "Cancelled"}),
                     field("priority", {"URGENT", "HIGH"})};
    wi.dates = {{"createdTimeStamp", "2026-01-01T00:00:00.000Z", "2026-11-20T00:00:00.000Z"},
                {"endDate", "2026-01-01T00:00:00.000Z", "2026-12-20T00:00:00.000Z"}};
    // Epics that carry groups, none of them finished yet.
    CollectionCatalog epic{"epic", 3, {field("state.name", {"Todo", "Doing"}), field("stateMaster.name", {"Unstarted", "Started"})}, {}};
    cat.collections = {wi, epic};
    return cat;
  }();
  return c;
}

json::value grouped_filter(std::string_view q) {
  auto u = understand_question(q, grouped_catalog(), kNow);
  if (!u.plan) {
    ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
    return nullptr;
  }
  return u.plan->filter();
}

}  // namespace

TEST(QuestionPlanner, StateWordsMeanStateGroupsWhereDocumentsCarryThem) {
  EXPECT_EQ(grouped_filter("open bugs"), json::parse(R"({"stateMaster.name": {"$nin": ["Completed", "Cancelled"]}})"));
  EXPECT_EQ(grouped_filter("bugs not done"), json::parse(R"({"stateMaster.name": {"$nin": ["Completed", "Cancelled"]}})"));
  // "Done" is also a state name here; the word still means every finished state ("Released").
  EXPECT_EQ(grouped_filter("how many items are done"), json::parse(R"({"stateMaster.name": "Completed"})"));
  EXPECT_EQ(grouped_filter("closed urgent bugs"), json::parse(R"({"stateMaster.name": "Completed", "priority": "URGENT"})"));
  EXPECT_EQ(grouped_filter("finished items"), json::parse(R"({"stateMaster.name": "Completed"})"));
  EXPECT_EQ(grouped_filter("cancelled tickets"), json::parse(R"({"stateMaster.name": "Cancelled"})"));
  EXPECT_EQ(grouped_filter("items not cancelled"), json::parse(R"({"stateMaster.name": {"$ne": "Cancelled"}})"));
  EXPECT_EQ(grouped_filter("started items"), json::parse(R"({"stateMaster.name": "Started"})"));
  EXPECT_EQ(grouped_filter("how many items are not started"), json::parse(R"({"stateMaster.name": "Unstarted"})"));
  // "in progress" is the Started group, not the state named so: "Doing" and "QA" are in progress too.
  EXPECT_EQ(grouped_filter("items in progress"), json::parse(R"({"stateMaster.name": "Started"})"));
  EXPECT_EQ(grouped_filter("how many items are in progres"), json::parse(R"({"stateMaster.name": "Started"})"));
  EXPECT_EQ(grouped_filter("work in progress"), json::parse(R"({"stateMaster.name": "Started"})"));
  EXPECT_EQ(grouped_filter("urgent items being worked on"), json::parse(R"({"priority": "URGENT", "stateMaster.name": "Started"})"));
  EXPECT_EQ(grouped_filter("items not in progress"), json::parse(R"({"stateMaster.name": {"$ne": "Started"}})"));
  // "progress" alone asks how things go; it names no state.
  EXPECT_EQ(grouped_filter("urgent items progress by state"), json::parse(R"({"priority": "URGENT"})"));
  EXPECT_EQ(grouped_filter("overdue items"),
            json::parse(R"({"endDate": {"$lt": "2026-11-20T00:00:00.000Z"}, "stateMaster.name": {"$nin": ["Completed", "Cancelled"]}})"));
  // A state group and a state name are two conditions, not one list.
  EXPECT_EQ(grouped_filter("open items not in qa"),
            json::parse(R"({"stateMaster.name": {"$nin": ["Completed", "Cancelled"]}, "state.name": {"$ne": "QA"}})"));
  // A group no document holds yet matches nothing: no epic is done, which is an answer.
  EXPECT_EQ(grouped_filter("how many epics are done"), json::parse(R"({"stateMaster.name": {"$in": []}})"));
  auto u = understand_question("how many items are done", grouped_catalog(), kNow);
  ASSERT_TRUE(u.plan);
  EXPECT_EQ(u.plan->describe_conditions(), "done (state group Completed)");
}

TEST(QuestionPlanner, WithoutStateGroupsStateWordsMeanStateNames) {
  // The hand-made catalog has no stateMaster: the names decide, as they always did.
  EXPECT_EQ(filter_of("how many items are done"), json::parse(R"({"state.name": "Done"})"));
  EXPECT_EQ(filter_of("cancelled tickets"), json::parse(R"({"state.name": "Cancelled"})"));
  EXPECT_EQ(filter_of("open items not in backlog"), json::parse(R"({"state.name": {"$nin": ["Done", "Cancelled", "Backlog"]}})"));
}

// The same questions over two small databases, one whose work items carry their state group and
// one whose do not: each counts what the words mean in its data.
TEST(QuestionPlanner, StateGroupsCountPerProjectStateNamesRight) {
  auto path = std::filesystem::temp_directory_path() / ("pms-state-groups-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  store::sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
  struct State {
    const char *name, *group;
    int items;
  };
  // Two projects with their own names for the same groups.
  const State states[] = {{"Todo", "Unstarted", 4}, {"Doing", "Started", 3}, {"In Progress", "Started", 2}, {"QA", "Started", 1},
                          {"Released", "Completed", 5}, {"Done", "Completed", 6}, {"Won't Do", "Cancelled", 2}, {"Cancelled", "Cancelled", 1}};
  std::vector<json::value> grouped, named;
  int n = 0;
  for (auto& s : states) {
    for (int k = 0; k < s.items; ++k, ++n) {
      json::object doc{{"_id", "w" + std::to_string(n)},
                       {"title", "Item " + std::to_string(n)},
                       {"state", json::object{{"_id", std::string("s-") + s.name}, {"name", s.name}}},
                       {"createdTimeStamp", "2026-10-01T10:00:00.000Z"}};
      named.push_back(doc);
      doc["stateMaster"] = json::object{{"_id", std::string("g-") + s.group}, {"name", s.group}};
      grouped.push_back(std::move(doc));
    }
  }
  auto count = [&](std::string_view q) -> std::int64_t {
    auto u = understand_question(q, build_value_catalog(store), kNow);
    if (!u.plan) {
      ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
      return -1;
    }
    return store.count(u.plan->collection, u.plan->filter());
  };

  store.replace_collection("workItem", grouped);
  EXPECT_EQ(count("how many items are done"), 11) << "Released and Done";
  EXPECT_EQ(count("how many items are cancelled"), 3) << "Won't Do and Cancelled";
  EXPECT_EQ(count("how many open items"), 10);
  EXPECT_EQ(count("how many items are started"), 6) << "Doing, In Progress and QA";
  EXPECT_EQ(count("how many items are not started"), 4);
  EXPECT_EQ(count("how many items are in progress"), 6) << "the Started group, not only the state named In Progress";

  store.replace_collection("workItem", named);
  EXPECT_EQ(count("how many items are done"), 6) << "without groups only the state named Done is known to be done";
  EXPECT_EQ(count("how many items are cancelled"), 1);
  EXPECT_EQ(count("how many open items"), 17) << "every state not named like done or cancelled";
  EXPECT_EQ(count("how many items are in progress"), 2) << "without groups, the state named In Progress";

  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// Typos of the vocabulary are corrected only for words nothing else understood, only one edit
// away from one known word, never in a stored name.
TEST(QuestionPlanner, VocabularyTyposAreReadAsTheWordsMeant) {
  EXPECT_EQ(vocabulary_typo("backlgo"), "backlog");
  EXPECT_EQ(vocabulary_typo("prority"), "priority");
  EXPECT_EQ(vocabulary_typo("epcis"), "epics");
  EXPECT_EQ(vocabulary_typo("taks"), "task") << "a transposition over 'tags', one substitution away";
  EXPECT_TRUE(vocabulary_typo("wich").has_value()) << "'which' or 'with', both without meaning";
  EXPECT_FALSE(vocabulary_typo("atsk")) << "never the first letter";
  EXPECT_FALSE(vocabulary_typo("bgu")) << "short words must be right";
  EXPECT_FALSE(vocabulary_typo("backlog")) << "a known word is not a typo";

  EXPECT_EQ(filter_of("bugs in the backlgo"), json::parse(R"({"state.name": "Backlog"})"));
  EXPECT_EQ(filter_of("how many items are prority high"), json::parse(R"({"priority": "HIGH"})"));
  EXPECT_EQ(filter_of("how many taks does omar have"), json::parse(R"({"assignee.name": "Omar Chen"})"));
  auto u = ask("wich cycles are completed");
  ASSERT_TRUE(u.plan) << explain_refusal(u);
  EXPECT_EQ(u.plan->collection, "cycle");
  // A word one edit from no known word, or from two, stays not understood.
  EXPECT_FALSE(ask("how many tickets resemble billing").plan);
}

// The readings as other entities ("how many admins?") are tried for their plans: what a refusal
// offers instead is that of the reading returned.
TEST(QuestionPlanner, AnotherEntitysReadingIsTakenAndARefusalOffersQuestions) {
  auto admins = ask("how many admins?");
  ASSERT_TRUE(admins.plan) << explain_refusal(admins);
  EXPECT_EQ(admins.plan->collection, "members");
  EXPECT_TRUE(admins.suggestions.empty());
  auto refused = ask("q 12 0");
  EXPECT_FALSE(refused.plan);
  EXPECT_EQ(refused.not_understood, (std::vector<std::string>{"q", "12", "0"}));
  EXPECT_FALSE(refused.suggestions.empty());
  EXPECT_EQ(refused.suggestions, ask("zz 7").suggestions) << "nothing understood: the same general questions";
}

// The planner reads the passes before the entity once and copies the reader for each other
// entity (QuestionReader::about): each copy must read exactly what a fresh reader about that
// entity reads, also where typos are corrected and the passes run again, or a pass refuses.
TEST(QuestionPlanner, AReaderCopiedBeforeTheEntityReadsAsAFreshOne) {
  auto seen = [](const Reading& r) {
    auto u = understanding_of(r, catalog(), kNow);
    std::string s = u.problem + "|" + hints_for_model(u) + "|";
    for (auto& w : u.not_understood) s += w + ",";
    for (auto& w : u.understood) s += w + ";";
    if (u.plan)
      s += "|" + u.plan->collection + " " + u.plan->summary() + " " + dump(u.plan->filter()) + " " + dump(u.plan->sort) + " " +
           std::to_string(u.plan->limit);
    return s;
  };
  std::vector<const EntitySpec*> entities{nullptr};
  for (auto& e : entity_specs())
    if (catalog().collection(e.collection)) entities.push_back(&e);
  for (std::string_view q : {"how many admins?", "q 12 0", "how many taks does omar have", "bugs in the backlgo", "wich cycles are completed",
                             "how many tickets were closed last week", "show my open bugs", "delete all done bugs", "top 5 urgent bugs by assignee",
                             "what is the status of maa2-12?", "who joined this year", "open items in the current sprint", "and only the high ones"}) {
    QuestionReader shared(q, catalog(), kNow);
    shared.read_before_entity();
    for (auto* e : entities) {
      SCOPED_TRACE(std::string(q) + " as " + (e ? std::string(e->plural) : "read"));
      auto fresh = seen(QuestionReader(q, catalog(), kNow, e).read());
      EXPECT_EQ(seen(shared.about(e).read()), fresh);
      EXPECT_EQ(seen(shared.about(e).read()), fresh) << "the shared reader is left as it was";
    }
  }
}
