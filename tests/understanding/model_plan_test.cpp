// A model's plan (issue 16, section 3): the schema a model writes it under holds the catalog's
// stored values, a plan that keeps to it becomes the very plan the planner builds for a question
// saying the same, and one off the schema is refused with a reason.
#include "planner_store_fixture.hpp"
#include "store/demo/demo_database.hpp"
#include "store/sqlite/export_import.hpp"
#include "understanding/model_plan.hpp"

using namespace pms;
using namespace pms::understanding;

namespace {

const json::array& enum_at(const json::object& schema, std::initializer_list<std::string_view> path) {
  const json::value* v = &schema.at("properties");
  for (auto key : path) v = &v->at(key);
  return v->at("enum").as_array();
}

bool offers(const json::array& values, std::string_view value) {
  return std::any_of(values.begin(), values.end(), [&](auto& v) { return v.is_string() && v.get_string() == value; });
}

class ModelPlanTest : public test_support::PlannerOnStore {
 protected:
  void fill() override {
    store_->replace_collection("project", {json::object{{"_id", "p-fleet"}, {"name", "Fleet Tracker"}, {"projectDisplayId", "FLEET"}, {"business", tenant()}},
                                           json::object{{"_id", "p-pac"}, {"name", "Portal"}, {"projectDisplayId", "PAC"}, {"business", tenant()}}});
    // Both projects have a "Sprint 1": a name of two things.
    store_->replace_collection("cycle", {json::object{{"_id", "c-f1"}, {"title", "Sprint 1"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}},
                                         json::object{{"_id", "c-p1"}, {"title", "Sprint 1"}, {"project", ref("p-pac", "Portal")}, {"business", tenant()}},
                                         json::object{{"_id", "c-f2"}, {"title", "Sprint 2"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}}});
    store_->replace_collection("members", {json::object{{"_id", "m1"}, {"memberId", "u-maria"}, {"name", "Maria Lopez"}, {"project", ref("p-fleet", "Fleet Tracker")}, {"business", tenant()}},
                                           json::object{{"_id", "m2"}, {"memberId", "u-omar"}, {"name", "Omar Chen"}, {"project", ref("p-pac", "Portal")}, {"business", tenant()}}});
    std::vector<json::value> items;
    auto item = [&](const char* project, const char* cycle, const char* group, const char* priority, const char* assignee, const char* created, const char* due) {
      int n = static_cast<int>(items.size()) + 1;
      bool fleet = std::string_view(project) == "p-fleet";
      json::object doc{{"_id", "w" + std::to_string(n)},
                       {"displayBugNo", std::string(fleet ? "FLEET-" : "PAC-") + std::to_string(n)},
                       {"title", "Item " + std::to_string(n)},
                       {"project", ref(project, fleet ? "Fleet Tracker" : "Portal")},
                       {"cycle", ref(cycle, std::string_view(cycle) == "c-f2" ? "Sprint 2" : "Sprint 1")},
                       {"state", ref("s-" + std::string(group), group)},
                       {"stateMaster", ref("g-" + std::string(group), group)},
                       {"priority", priority},
                       {"assignee", json::array{ref(std::string_view(assignee) == "Maria Lopez" ? "u-maria" : "u-omar", assignee)}},
                       {"label", json::array{ref("l-1", fleet ? "backend" : "frontend")}},
                       {"business", tenant()},
                       {"createdTimeStamp", created},
                       {"endDate", due}};
      items.push_back(std::move(doc));
    };
    item("p-fleet", "c-f1", "Completed", "LOW", "Maria Lopez", "2026-10-01T10:00:00.000Z", "2026-10-20T00:00:00.000Z");
    item("p-fleet", "c-f1", "Started", "URGENT", "Maria Lopez", "2026-10-15T10:00:00.000Z", "2026-11-10T00:00:00.000Z");
    item("p-fleet", "c-f2", "Unstarted", "URGENT", "Omar Chen", "2026-11-02T10:00:00.000Z", "2026-12-01T00:00:00.000Z");
    item("p-fleet", "c-f2", "Cancelled", "URGENT", "Omar Chen", "2026-11-05T10:00:00.000Z", "2026-11-01T00:00:00.000Z");
    item("p-pac", "c-p1", "Backlog", "HIGH", "Omar Chen", "2026-11-10T10:00:00.000Z", "2026-11-15T00:00:00.000Z");
    item("p-pac", "c-p1", "Completed", "URGENT", "Maria Lopez", "2026-11-18T10:00:00.000Z", "2026-11-30T00:00:00.000Z");
    store_->replace_collection("workItem", items);
  }

  QueryPlan plan(std::string_view json_text) {
    auto built = plan_from_model_json(json_text, catalog_, now_);
    if (auto* why = std::get_if<std::string>(&built)) {
      ADD_FAILURE() << json_text << ": refused: " << *why;
      return {};
    }
    return std::get<QueryPlan>(std::move(built));
  }
  std::string refusal(std::string_view json_text) {
    auto built = plan_from_model_json(json_text, catalog_, now_);
    if (std::holds_alternative<QueryPlan>(built)) {
      ADD_FAILURE() << json_text << ": planned: " << std::get<QueryPlan>(built).summary();
      return {};
    }
    return std::get<std::string>(built);
  }
  // The planner's plan for a question saying the same as the model's JSON.
  QueryPlan planners(std::string_view question) {
    auto u = ask(question);
    if (!u.plan) {
      ADD_FAILURE() << question << ": no plan: " << explain_refusal(u);
      return {};
    }
    return *u.plan;
  }
  static void expect_same(const QueryPlan& model, const QueryPlan& planner) {
    EXPECT_EQ(model.collection, planner.collection);
    EXPECT_EQ(model.operation, planner.operation);
    EXPECT_EQ(json::value(model.filter()), json::value(planner.filter())) << model.summary() << "\nplanner: " << planner.summary();
    EXPECT_EQ(model.group_path, planner.group_path);
    EXPECT_EQ(json::value(model.sort), json::value(planner.sort));
    EXPECT_EQ(model.limit, planner.limit);
    EXPECT_EQ(model.top, planner.top);
  }
};

TEST_F(ModelPlanTest, TheSchemaOffersEveryStoredValueOfEachRole) {
  auto schema = model_plan_schema(catalog_);
  auto& items = *catalog_.collection("workItem");
  for (auto [key, path] : {std::pair{"priority", "priority"}, {"assignee", "assignee.name"}, {"project", "project.name"}, {"state", "state.name"},
                           {"label", "label.name"}}) {
    auto* field = items.category(path);
    ASSERT_TRUE(field) << path;
    auto& offered = enum_at(schema, {"filters", "properties", key});
    for (auto& v : field->values) EXPECT_TRUE(offers(offered, v.value)) << key << ": " << v.value;
    // A value no document holds is not offered.
    EXPECT_FALSE(offers(offered, "Nonexistent"));
  }
  EXPECT_TRUE(offers(enum_at(schema, {"entity"}), "workItem"));
  EXPECT_TRUE(offers(enum_at(schema, {"entity"}), "project"));
  EXPECT_FALSE(offers(enum_at(schema, {"entity"}), "page"));  // the data has no pages
  EXPECT_TRUE(offers(enum_at(schema, {"group_by"}), "assignee"));
  EXPECT_TRUE(offers(enum_at(schema, {"group_by"}), "state_group"));
  EXPECT_TRUE(offers(enum_at(schema, {"filters", "properties", "state_group"}), "open"));
  auto& filters = schema.at("properties").at("filters").at("properties").as_object();
  EXPECT_TRUE(filters.contains("created_from"));
  EXPECT_TRUE(filters.contains("due_to"));
  EXPECT_FALSE(filters.contains("updated_from"));  // no document holds an update time
  EXPECT_FALSE(filters.contains("module"));        // nor a module: no field without values
  EXPECT_EQ(schema.at("additionalProperties"), false);
  EXPECT_EQ(schema.at("properties").at("filters").at("additionalProperties"), false);
}

TEST(ModelPlanSchema, EnumsAreCappedAndAnEmptyCatalogHasNoSchema) {
  std::vector<std::string> many;
  for (int i = 0; i < 250; ++i) many.push_back("Label " + std::to_string(i));
  ValueCatalog catalog;
  catalog.collections.push_back(CollectionCatalog{"workItem", 250, {CategoryField::of("label.name", many)}, {}, {}, {}, {}});
  auto schema = model_plan_schema(catalog);
  auto& labels = enum_at(schema, {"filters", "properties", "label"});
  EXPECT_EQ(labels.size(), kModelPlanMaxEnum);
  EXPECT_TRUE(offers(labels, many.front()));
  EXPECT_FALSE(offers(labels, many.back()));
  EXPECT_TRUE(model_plan_schema(ValueCatalog{}).empty());
}

TEST(ModelPlanSchema, OnTheDemoDatabaseItHoldsItsValuesAndStaysSmall) {
  auto path = std::filesystem::temp_directory_path() / ("pms-model-plan-demo-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    store::sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
    store::demo::DemoOptions o;
    o.reference_date = "2026-11-20";
    store::demo::write_demo_database(store, o);
    auto catalog = build_value_catalog(store);
    auto schema = model_plan_schema(catalog);
    for (auto& [key, path] : {std::pair{"priority", "priority"}, {"state", "state.name"}, {"assignee", "assignee.name"}}) {
      auto* field = catalog.collection("workItem")->category(path);
      ASSERT_TRUE(field);
      for (auto& v : field->values) EXPECT_TRUE(offers(enum_at(schema, {"filters", "properties", key}), v.value)) << v.value;
    }
    // Compiled into a grammar per request, never put in the prompt: small enough to do that each turn.
    EXPECT_LT(dump(schema).size(), 12u * 1024) << dump(schema).size();
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST_F(ModelPlanTest, ACountIsThePlannersPlanForTheSameQuestion) {
  auto model = plan(R"({"entity":"workItem","operation":"count","filters":{"priority":"URGENT","project":"Fleet Tracker","state_group":"open"}})");
  expect_same(model, planners("how many open urgent work items in Fleet Tracker"));
  // Matched on the project's id, as the planner matches names it resolved.
  EXPECT_TRUE(model.filter().contains("project._id")) << dump(model.filter());
  // Items 2 and 3: URGENT, in Fleet Tracker, neither Completed nor Cancelled.
  EXPECT_EQ(scoped_->count(model.collection, model.filter()),
            scoped_->count("workItem", json::object{{"priority", "URGENT"}, {"project._id", "p-fleet"},
                                                    {"stateMaster.name", json::object{{"$nin", json::array{"Completed", "Cancelled"}}}}}));
  EXPECT_EQ(model.operation, Operation::count);
}

TEST_F(ModelPlanTest, GroupsTopsListsAndPeopleAreThePlannersToo) {
  expect_same(plan(R"({"entity":"workItem","operation":"group","group_by":"assignee","filters":{"state_group":"done"}})"),
              planners("done work items by assignee"));
  expect_same(plan(R"({"entity":"workItem","operation":"top","group_by":"assignee","filters":{"priority":"URGENT"}})"),
              planners("which assignee has the most urgent work items"));
  expect_same(plan(R"({"entity":"workItem","operation":"list","sort":"oldest","limit":3,"filters":{"assignee":"Maria Lopez"}})"),
              planners("oldest 3 work items assigned to Maria Lopez"));
  expect_same(plan(R"({"entity":"workItem","operation":"list","filters":{"overdue":true}})"), planners("overdue work items"));
  // "count" with a group_by counts per group.
  auto per = plan(R"({"entity":"workItem","operation":"count","group_by":"project"})");
  EXPECT_EQ(per.operation, Operation::group);
  EXPECT_EQ(per.group_path, "project._id");
}

TEST_F(ModelPlanTest, EveryStateWordMeansWhatItMeansInAQuestion) {
  for (std::string word : {"open", "done", "cancelled", "in progress", "not started"}) {
    SCOPED_TRACE(word);
    auto model = plan(dump(json::object{{"entity", "workItem"}, {"operation", "count"}, {"filters", json::object{{"state_group", word}}}}));
    expect_same(model, planners("how many " + word + " work items"));
    EXPECT_TRUE(model.filter().contains("stateMaster.name")) << dump(model.filter());  // by group: the documents carry it
  }
}

TEST_F(ModelPlanTest, DaysAreWholeDaysBothEndsIncluded) {
  auto p = plan(R"({"entity":"workItem","operation":"count","filters":{"created_from":"2026-11-01","created_to":"2026-11-10"}})");
  auto f = p.filter();
  ASSERT_TRUE(f.contains("createdTimeStamp")) << dump(f);
  EXPECT_EQ(f.at("createdTimeStamp").at("$gte"), "2026-11-01T00:00:00.000Z");
  EXPECT_EQ(f.at("createdTimeStamp").at("$lt"), "2026-11-11T00:00:00.000Z");
  EXPECT_EQ(scoped_->count(p.collection, f), 3);  // created on 11-02, 11-05 and 11-10
  auto due = plan(R"({"entity":"workItem","operation":"list","filters":{"due_to":"2026-11-15"}})").filter();
  EXPECT_EQ(due.at("endDate").at("$lt"), "2026-11-16T00:00:00.000Z");
  EXPECT_FALSE(due.at("endDate").as_object().contains("$gte"));
}

TEST_F(ModelPlanTest, OffSchemaPlansAreRefusedWithTheReason) {
  auto says = [&](std::string_view json_text, std::string_view part) {
    auto why = refusal(json_text);
    EXPECT_NE(why.find(part), std::string::npos) << json_text << " -> " << why;
  };
  says(R"({"entity":"workItem","operation":"count","filters":{"status_name":"Done"}})", "status_name");
  says(R"({"entity":"workItem","operation":"count","filters":{"priority":"Nonexistent"}})", "not a stored priority");
  says(R"({"entity":"workItem","operation":"count","filters":{"priority":"urgent"}})", "URGENT");  // lower-cased: not as stored
  says(R"({"entity":"workItem","operation":"count","filters":{"created_from":"2026-13-01"}})", "not a day");
  says(R"({"entity":"workItem","operation":"count","filters":{"created_from":"yesterday"}})", "not a day");
  says(R"({"entity":"workItem","operation":"count","filters":{"created_from":"2026-11-10","created_to":"2026-11-01"}})", "end before");
  says(R"({"entity":"workItem","operation":"count","filters":{"updated_from":"2026-11-01"}})", "no update date");
  says(R"({"entity":"workItem","operation":"count","filters":{"state_group":"closed"}})", "state_group");
  says(R"({"entity":"workItem","operation":"count","filters":{"cycle":"Sprint 1"}})", "more than one cycle");
  says(R"({"entity":"workItem", "operation": "count", "filters": {"priority": "URG)", "not JSON");
  says(R"(There are 3 urgent bugs.)", "not JSON");
  says(R"(["workItem"])", "not a JSON object");
  says(R"({"entity":"bugs","operation":"count"})", "\"bugs\" is not an entity");
  says(R"({"entity":"page","operation":"count"})", "\"page\" is not an entity");  // known, but not in this data
  says(R"({"operation":"count"})", "no entity");
  says(R"({"entity":"workItem","operation":"sum"})", "no operation");
  says(R"({"entity":"workItem","operation":"count","where":{}})", "unknown key \"where\"");
  says(R"({"entity":"workItem","operation":"group"})", "without a group_by");
  says(R"({"entity":"workItem","operation":"group","group_by":"colour"})", "no role");
  says(R"({"entity":"workItem","operation":"list","group_by":"assignee"})", "lists and groups");
  says(R"({"entity":"workItem","operation":"list","limit":0})", "limit");
  says(R"({"entity":"workItem","operation":"list","sort":"random"})", "sorts by");
  says(R"({"entity":"project","operation":"count","filters":{"priority":"URGENT"}})", "projects have no priority");
}

TEST_F(ModelPlanTest, AValueOfTheRightFieldButAnotherEntityIsRefused) {
  // "Sprint 2" is a stored cycle of work items; projects have no cycle, so the schema's union of
  // values does not let a plan filter projects on it.
  auto why = refusal(R"({"entity":"project","operation":"list","filters":{"cycle":"Sprint 2"}})");
  EXPECT_NE(why.find("projects have no cycle"), std::string::npos) << why;
  // A name of one thing alone is that thing: its items, whatever their project.
  auto p = plan(R"({"entity":"workItem","operation":"count","filters":{"cycle":"Sprint 2"}})");
  EXPECT_EQ(scoped_->count(p.collection, p.filter()), 2);
}

// On data the planner was not written against (the Kestrel export, where present): the schema
// holds its stored values and stays small, and a plan naming its most frequent project is the
// planner's for the same question.
TEST(ModelPlanOnKestrel, SchemaAndPlanOnAnExportedDatabase) {
  const std::filesystem::path exported = std::filesystem::path(PMS_EVAL_DIR) / "../../../shared/eval/kestrel/export";
  if (!std::filesystem::is_directory(exported)) GTEST_SKIP() << "no Kestrel export at " << exported;
  auto path = std::filesystem::temp_directory_path() / ("pms-model-plan-kestrel-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    store::sqlite::SqliteDocumentStore store(path.string(), "ProjectManagement");
    store::sqlite::import_exports(store, store::sqlite::export_files({exported.string()}));
    auto catalog = build_value_catalog(store);
    auto schema = model_plan_schema(catalog);
    auto* items = catalog.collection("workItem");
    ASSERT_TRUE(items);
    for (auto [key, path] : {std::pair{"priority", "priority"}, {"state", "state.name"}}) {
      auto* field = items->category(path);
      ASSERT_TRUE(field) << path;
      for (auto& v : field->values) EXPECT_TRUE(offers(enum_at(schema, {"filters", "properties", key}), v.value)) << v.value;
    }
    EXPECT_LT(dump(schema).size(), 24u * 1024) << dump(schema).size();

    auto* projects = items->category("project.name");
    ASSERT_TRUE(projects && !projects->values.empty());
    const std::string& project = projects->values.front().value;
    std::int64_t now = *parse_iso8601_ms("2026-11-20T10:00:00Z");
    auto built = plan_from_model_json(dump(json::object{{"entity", "workItem"}, {"operation", "count"},
                                                        {"filters", json::object{{"project", project}, {"state_group", "open"}}}}),
                                      catalog, now);
    ASSERT_TRUE(std::holds_alternative<QueryPlan>(built)) << std::get<std::string>(built);
    auto u = understand_question("how many open work items in " + project, catalog, now);
    ASSERT_TRUE(u.plan) << explain_refusal(u);
    EXPECT_EQ(json::value(std::get<QueryPlan>(built).filter()), json::value(u.plan->filter()));
    EXPECT_GT(store.count("workItem", std::get<QueryPlan>(built).filter()), 0);
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
