// A conversation limited to one project: the project a client names is found in the tenant's own
// data, the plan is limited to it and says so, and a question about another project is refused
// instead of answered with a confident zero.
#include "planner_store_fixture.hpp"

#include "understanding/project_scope.hpp"

using namespace pms;
using namespace pms::understanding;

class ProjectScopeTest : public test_support::PlannerOnStore {
 protected:
  void fill() override {
    store_->replace_collection("project", {json::object{{"_id", "p-wms"}, {"name", "Warehouse Scanner"}, {"projectDisplayId", "WMS"}, {"business", tenant("b1")}},
                                           json::object{{"_id", "p-fleet"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FLEET"}, {"business", tenant("b1")}},
                                           json::object{{"_id", "p-other"}, {"name", "Other Co Project"}, {"projectDisplayId", "OCP"}, {"business", tenant("b2")}}});
    std::vector<json::value> items;
    auto item = [&](const char* project_id, const char* project_name, const char* priority) {
      int n = static_cast<int>(items.size()) + 1;
      items.push_back(json::object{{"_id", "w" + std::to_string(n)}, {"displayBugNo", "X-" + std::to_string(n)}, {"title", "Item " + std::to_string(n)},
                                   {"priority", priority}, {"state", ref("s-todo", "Todo")}, {"project", ref(project_id, project_name)},
                                   {"business", tenant("b1")}, {"createdTimeStamp", "2026-10-01T10:00:00.000Z"}});
    };
    for (const char* p : {"HIGH", "HIGH", "LOW"}) item("p-fleet", "Fleet Tracker", p);
    for (const char* p : {"HIGH", "LOW", "LOW", "LOW", "LOW"}) item("p-wms", "Warehouse Scanner", p);
    store_->replace_collection("workItem", items);
  }

  // The planner's answer in a conversation limited to `project`, its queries run in the project's view.
  std::string scoped_answer(std::string_view q, const ProjectScope& project) {
    auto u = ask(q);
    scope_to_project(u, project);
    if (!u.plan) return explain_refusal(u);
    store::ScopedStore view(*scoped_, store::project_scope(project.id));
    auto tools = tools::ToolRegistry::standard();
    PlanRun run(*u.plan);
    while (auto call = run.next()) run.feed(tools.run(call->name, call->arguments, view, nullptr));
    return run.answer();
  }
};

TEST_F(ProjectScopeTest, AProjectIsNamedByItsShortIdInAnyCaseOrItsIdAmongTheTenantsOwn) {
  EXPECT_EQ(find_project(*scoped_, "FLEET").name, "Fleet Tracker");
  EXPECT_EQ(find_project(*scoped_, "fleet").name, "Fleet Tracker");
  EXPECT_EQ(find_project(*scoped_, "p-wms").short_id, "WMS");
  EXPECT_THROW(find_project(*scoped_, "OCP"), UnknownProject);  // another tenant's
  EXPECT_THROW(find_project(*scoped_, "Fleet Tracker"), UnknownProject);
  auto all = list_projects(*scoped_);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "Fleet Tracker");  // by name
  EXPECT_EQ(dump(all[1].to_json()), R"({"id":"p-wms","short_id":"WMS","name":"Warehouse Scanner"})");
}

TEST_F(ProjectScopeTest, APlanIsLimitedToTheProjectAndSaysSo) {
  auto fleet = find_project(*scoped_, "FLEET");
  auto u = ask("how many work items");
  ASSERT_TRUE(u.plan);
  scope_to_project(u, fleet);
  ASSERT_TRUE(u.plan);
  EXPECT_NE(u.plan->summary().find("project is Fleet Tracker"), std::string::npos) << u.plan->summary();
  EXPECT_EQ(scoped_->count(u.plan->collection, u.plan->filter()), 3);
  // The same numbers as asking about the project by name, without a scope.
  EXPECT_EQ(count("how many high priority work items in Fleet Tracker"), 1 + 1);
  auto answer = scoped_answer("how many high priority work items", fleet);
  EXPECT_NE(answer.find('2'), std::string::npos) << answer;
  EXPECT_EQ(answer.find('3'), std::string::npos) << answer;
  // Projects themselves: the one.
  auto projects = ask("list projects");
  scope_to_project(projects, fleet);
  ASSERT_TRUE(projects.plan);
  EXPECT_EQ(scoped_->count("project", projects.plan->filter()), 1);
}

TEST_F(ProjectScopeTest, NamingTheScopesProjectAddsNothingAndNamingAnotherIsRefused) {
  auto fleet = find_project(*scoped_, "FLEET");
  auto same = ask("how many work items in Fleet Tracker");
  ASSERT_TRUE(same.plan);
  auto conditions = same.plan->conditions.size();
  scope_to_project(same, fleet);
  ASSERT_TRUE(same.plan);
  EXPECT_EQ(same.plan->conditions.size(), conditions);

  auto other = ask("how many work items in Warehouse Scanner");
  ASSERT_TRUE(other.plan);
  scope_to_project(other, fleet);
  EXPECT_FALSE(other.plan);
  EXPECT_FALSE(other.context);  // the conversation's last plan stays as it was
  auto refusal = explain_refusal(other);
  EXPECT_NE(refusal.find("Fleet Tracker (FLEET)"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("Warehouse Scanner"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("all projects"), std::string::npos) << refusal;
}
