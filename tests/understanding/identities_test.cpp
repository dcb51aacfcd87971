// Things named in a question found by their identity, on a small two-tenant database: references
// match on their _id whether or not they still carry the name, projects by short id, a name of
// several things is asked about, groups by reference are per thing.
#include "planner_store_fixture.hpp"

using namespace pms;
using namespace pms::understanding;

// Things named in a question are found by their identity in their own collection, in the asking
// tenant's data: references match on their _id, whether or not they still carry the name.
class IdentityTest : public test_support::PlannerOnStore {
 protected:
  void fill() override {
    store_->replace_collection("project", {json::object{{"_id", "p-fleet"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FLEET"}, {"business", tenant("b1")}},
                                           json::object{{"_id", "p-wms"}, {"name", "Warehouse Scanner"}, {"projectDisplayId", "WMS"}, {"business", tenant("b1")}},
                                           // Another tenant's project of the same name is not a candidate.
                                           json::object{{"_id", "p-other"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FT"}, {"business", tenant("b2")}}});
    store_->replace_collection("cycle", {json::object{{"_id", "c-f23"}, {"title", "Sprint 23"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}},
                                         json::object{{"_id", "c-w23"}, {"title", "Sprint 23"}, {"project", ref("p-wms", "Warehouse Scanner")}, {"business", tenant("b1")}},
                                         json::object{{"_id", "c-f5"}, {"title", "Sprint 5"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant("b1")}},
                                         json::object{{"_id", "c-nov"}, {"title", "November Release"}, {"project", ref("p-wms", "Warehouse Scanner")},
                                                      {"endDate", "2026-11-30T00:00:00.000Z"}, {"business", tenant("b1")}}});
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
  }
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


TEST_F(IdentityTest, AStoredNameWinsOverTheWordsInIt) {
  // "November" in a cycle's name is not the month, "Release" not a state.
  EXPECT_EQ(filter("items in the November Release"), json::parse(R"({"cycle._id": "c-nov"})"));
  auto text = answer("when does the November Release end");
  EXPECT_NE(text.find("| November Release | Warehouse Scanner |"), std::string::npos) << text;
  EXPECT_NE(text.find("2026-11-30"), std::string::npos) << text;
}
