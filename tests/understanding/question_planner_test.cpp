// The planner on a small hand-made catalog: what words link to, what is refused and why; the
// state vocabulary on small databases with and without state groups (stateMaster); and things
// found by their identity on a small two-tenant database.
#include "understanding/question_planner.hpp"

#include "core/time_util.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "store/tenant_scoped_store.hpp"
#include "tools/tool_registry.hpp"
#include "understanding/lexicon.hpp"
#include "understanding/plan_run.hpp"

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

// Things named in a question are found by their identity in their own collection, in the asking
// tenant's data: references match on their _id, whether or not they still carry the name.
class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("pms-identities-" + std::to_string(::getpid()) + ".db");
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(path_.string(), "ProjectManagement");
    auto ref = [](std::string id, std::string name) { return json::object{{"_id", std::move(id)}, {"name", std::move(name)}}; };
    auto tenant = [](const char* b) { return json::object{{"_id", b}}; };
    store_->replace_collection("project", {json::object{{"_id", "p-fleet"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FLEET"}, {"business", tenant("b1")}},
                                           json::object{{"_id", "p-wms"}, {"name", "Warehouse Scanner"}, {"projectDisplayId", "WMS"}, {"business", tenant("b1")}},
                                           // Another tenant's project of the same name is not a candidate.
                                           json::object{{"_id", "p-other"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FT"}, {"business", tenant("b2")}}});
    store_->replace_collection("cycle", {json::object{{"_id", "c-f23"}, {"title", "Sprint 23"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}},
                                         json::object{{"_id", "c-w23"}, {"title", "Sprint 23"}, {"project", ref("p-wms", "Warehouse Scanner")}, {"business", tenant("b1")}},
                                         json::object{{"_id", "c-f5"}, {"title", "Sprint 5"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}}});
    // Maria is a member of both projects: one person, two membership rows.
    store_->replace_collection("members", {json::object{{"_id", "m1"}, {"memberId", "u-maria"}, {"name", "Maria Lopez"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}},
                                           json::object{{"_id", "m2"}, {"memberId", "u-maria"}, {"name", "Maria Lopez"}, {"project", ref("p-wms", "Warehouse Scanner")}, {"business", tenant("b1")}},
                                           json::object{{"_id", "m3"}, {"memberId", "u-omar"}, {"name", "Omar Chen"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}},
                                           // Another person of the same name, in the other project.
                                           json::object{{"_id", "m4"}, {"memberId", "u-omar2"}, {"name", "Omar Chen"}, {"project", ref("p-wms", "Warehouse Scanner")}, {"business", tenant("b1")}}});
    std::vector<json::value> items;
    auto item = [&](std::string project, json::value project_ref, json::value cycle, json::value assignee) {
      int n = static_cast<int>(items.size()) + 1;
      json::object doc{{"_id", "w" + std::to_string(n)},
                       {"displayBugNo", project + "-" + std::to_string(n)},
                       {"title", "Item " + std::to_string(n)},
                       {"state", ref("s-todo", "Todo")},
                       {"business", tenant("b1")},
                       {"createdTimeStamp", "2026-10-01T10:00:00.000Z"}};
      if (!project_ref.is_null()) doc["project"] = project_ref;
      if (!cycle.is_null()) doc["cycle"] = cycle;
      if (!assignee.is_null()) doc["assignee"] = json::array{assignee};
      items.push_back(std::move(doc));
    };
    // Fleet Tracker: 6 items, half of whose references lost their names.
    item("FLEET", ref("p-fleet", "Fleet Tracker"), ref("c-f23", "Sprint 23"), ref("u-maria", "Maria Lopez"));
    item("FLEET", ref("p-fleet", "Fleet Tracker"), ref("c-f23", "Sprint 23"), ref("u-omar", "Omar Chen"));
    item("FLEET", ref("p-fleet", "Fleet Tracker"), ref("c-f5", "Sprint 5"), nullptr);
    item("FLEET", json::object{{"_id", "p-fleet"}}, json::object{{"_id", "c-f23"}}, json::object{{"_id", "u-maria"}});
    item("FLEET", ref("p-fleet", ""), ref("c-f23", ""), ref("u-maria", ""));
    item("FLEET", json::object{{"_id", "p-fleet"}}, nullptr, nullptr);
    // Warehouse Scanner: 2 items in its own Sprint 23; one item with no project, in Fleet's Sprint 23.
    item("WMS", ref("p-wms", "Warehouse Scanner"), ref("c-w23", "Sprint 23"), ref("u-maria", "Maria Lopez"));
    item("WMS", json::object{{"_id", "p-wms"}}, ref("c-w23", "Sprint 23"), nullptr);
    item("NOP", nullptr, ref("c-f23", "Sprint 23"), nullptr);
    store_->replace_collection("workItem", items);
    scoped_ = std::make_unique<store::TenantScopedStore>(*store_, "business._id", "b1");
    catalog_ = build_value_catalog(*scoped_);
  }
  void TearDown() override {
    scoped_.reset();
    store_.reset();
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  Understanding ask(std::string_view q) { return understand_question(q, catalog_, kNow); }
  json::value filter(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) {
      ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
      return nullptr;
    }
    return u.plan->filter();
  }
  std::int64_t count(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) {
      ADD_FAILURE() << q << ": no plan: " << explain_refusal(u);
      return -1;
    }
    return scoped_->count(u.plan->collection, u.plan->filter());
  }
  std::string answer(std::string_view q) {
    auto u = ask(q);
    if (!u.plan) return explain_refusal(u);
    auto tools = tools::ToolRegistry::standard();
    PlanRun run(*u.plan);
    while (auto call = run.next()) run.feed(tools.run(call->name, call->arguments, *scoped_, nullptr));
    return run.answer();
  }
  std::filesystem::path path_;
  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
  std::unique_ptr<store::TenantScopedStore> scoped_;
  ValueCatalog catalog_;
};

TEST_F(IdentityTest, TheCatalogHoldsTheTenantsEntitiesOncePerId) {
  auto* projects = catalog_.collection("project");
  ASSERT_TRUE(projects);
  ASSERT_EQ(projects->entities.size(), 2u) << "the other tenant's project is not in this tenant's catalog";
  EXPECT_EQ(projects->entities_named("fleet")[0]->id, "p-fleet") << "by short id";
  auto* members = catalog_.collection("members");
  ASSERT_TRUE(members);
  ASSERT_EQ(members->entities.size(), 3u) << "one person per memberId, not per membership row";
  auto maria = members->entities_named("maria lopez");
  ASSERT_EQ(maria.size(), 1u);
  EXPECT_EQ(maria[0]->projects, (std::vector<std::string>{"p-fleet", "p-wms"}));
  EXPECT_TRUE(catalog_.collection("workItem")->has_reference("project._id"));
}

TEST_F(IdentityTest, ReferencesMatchOnTheirIdWithOrWithoutTheName) {
  EXPECT_EQ(filter("how many items in Fleet Tracker"), json::parse(R"({"project._id": "p-fleet"})"));
  EXPECT_EQ(count("how many items in Fleet Tracker"), 6) << "also the items whose project reference is {_id} or has an empty name";
  EXPECT_EQ(filter("how many bugs in FLEET"), json::parse(R"({"project._id": "p-fleet"})")) << "the project's short id";
  EXPECT_EQ(count("how many items are assigned to Maria Lopez"), 4);
  EXPECT_EQ(filter("how many unassigned items"), json::parse(R"({"assignee._id": {"$exists": false}})"));
  EXPECT_EQ(count("how many unassigned items"), 4) << "an assignee reference without its name is someone";
  EXPECT_EQ(filter("items not in Warehouse Scanner"), json::parse(R"({"project._id": {"$ne": "p-wms"}})"));
  EXPECT_EQ(filter("status of FLEET-2"), json::parse(R"({"displayBugNo": "FLEET-2"})")) << "a short id without digits is a display number's prefix";
  // Item 4's cycle reference is {_id} only: the row shows the name its id points at.
  auto text = answer("which sprint is FLEET-4 in?");
  EXPECT_NE(text.find("| FLEET-4 | Item 4 | Todo | — | Maria Lopez | Sprint 23 |"), std::string::npos) << text;
}

TEST_F(IdentityTest, ANameOfTwoThingsIsAskedAboutNeverSummed) {
  auto u = ask("how many items are in Sprint 23");
  ASSERT_FALSE(u.plan) << "Sprint 23 of Fleet Tracker and of Warehouse Scanner are two cycles";
  EXPECT_NE(u.problem.find("Sprint 23 of Fleet Tracker or Sprint 23 of Warehouse Scanner"), std::string::npos) << u.problem;
  ASSERT_GE(u.suggestions.size(), 2u);
  EXPECT_EQ(u.suggestions[0], "how many items are in Sprint 23 of Fleet Tracker");
  EXPECT_EQ(u.suggestions[1], "how many items are in Sprint 23 of Warehouse Scanner");
  // Scoped by its project it is one cycle; its items count whether or not they name their project.
  EXPECT_EQ(filter("how many items are in Sprint 23 of Fleet Tracker"), json::parse(R"({"cycle._id": "c-f23"})"));
  EXPECT_EQ(count("how many items are in Sprint 23 of Fleet Tracker"), 5) << "also the one without a project";
  EXPECT_EQ(count("how many items are in Sprint 23 of Warehouse Scanner"), 2);
  EXPECT_EQ(count("how many items are in Sprint 5"), 1) << "a name of one thing needs no project";
  // Two people of one name are told apart by their projects, and a project in the question does.
  auto omar = ask("how many items are assigned to Omar Chen");
  ASSERT_FALSE(omar.plan);
  EXPECT_NE(omar.problem.find("Omar Chen of Fleet Tracker or Omar Chen of Warehouse Scanner"), std::string::npos) << omar.problem;
  EXPECT_EQ(filter("how many items are assigned to Omar Chen in Fleet Tracker"),
            json::parse(R"({"assignee._id": "u-omar", "project._id": "p-fleet"})"));
  EXPECT_EQ(count(omar.suggestions.at(0)), 1) << omar.suggestions.at(0);
  // A person is not part of a project the way a sprint is: the project stays a condition.
  EXPECT_EQ(filter("how many items are assigned to Maria Lopez in Warehouse Scanner"),
            json::parse(R"({"assignee._id": "u-maria", "project._id": "p-wms"})"));
  EXPECT_EQ(count("how many items are assigned to Maria Lopez in Warehouse Scanner"), 1);
  // The cycles themselves, named: each is listed as itself.
  EXPECT_EQ(filter("list cycles named Sprint 23"), json::parse(R"({"_id": {"$in": ["c-f23", "c-w23"]}})"));
}

TEST_F(IdentityTest, GroupsByReferenceArePerThingAndShownByName) {
  auto u = ask("work items per project");
  ASSERT_TRUE(u.plan) << explain_refusal(u);
  EXPECT_EQ(u.plan->group_path, "project._id");
  auto by_project = answer("work items per project");
  EXPECT_NE(by_project.find("| Fleet Tracker | 6 |"), std::string::npos) << by_project;
  EXPECT_NE(by_project.find("| Warehouse Scanner | 2 |"), std::string::npos) << by_project;
  EXPECT_NE(by_project.find("| (none) | 1 |"), std::string::npos) << by_project;
  auto top = answer("who has the most work items");
  EXPECT_NE(top.find("**Maria Lopez** has the most work items: 4."), std::string::npos) << "names lost in references still count: " << top;

  // Two cycles of one name are told apart by their projects.
  auto text = answer("work items by sprint");
  EXPECT_NE(text.find("| Sprint 23 of Fleet Tracker | 5 |"), std::string::npos) << text;
  EXPECT_NE(text.find("| Sprint 23 of Warehouse Scanner | 2 |"), std::string::npos) << text;
  EXPECT_NE(text.find("| Sprint 5 | 1 |"), std::string::npos) << text;
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
