#include "store/demo/demo_database.hpp"
#include "store/query/query_error.hpp"
#include "tools/tool_registry.hpp"

#include "support/demo_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using namespace pms::tools;

namespace {

class ToolsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = std::make_unique<pms::testing::DemoStore>("pms-tools-test", "2025-11-20");
    store_ = &demo_->store();
  }
  static void TearDownTestSuite() {
    store_ = nullptr;
    demo_.reset();
  }
  ToolResult run(std::string_view name, const char* args) { return registry_.run(name, json::parse(args), *store_, nullptr); }

  inline static std::unique_ptr<pms::testing::DemoStore> demo_;
  inline static store::sqlite::SqliteDocumentStore* store_ = nullptr;
  ToolRegistry registry_ = ToolRegistry::standard();
};

TEST_F(ToolsTest, DefinitionsAreJsonSchemas) {
  auto defs = registry_.definitions();
  std::vector<std::string> names;
  for (auto& d : defs) {
    names.push_back(d.name);
    EXPECT_EQ(d.parameters.at("type"), "object") << d.name;
    EXPECT_FALSE(d.description.empty());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"list_collections", "collection_schema", "find_documents", "count_documents",
                                             "distinct_values", "aggregate"}));
}

TEST_F(ToolsTest, CountAgreesWithAnIndependentScan) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": {"state.name": "Done"}})");
  ASSERT_TRUE(r.ok) << r.error;
  std::int64_t expected = 0;
  for (auto& d : store_->find({"workItem", nullptr, nullptr, nullptr, 0, 0}))
    expected += d.at("state").at("name") == "Done";
  EXPECT_EQ(r.value.at("count"), expected);
  EXPECT_GT(expected, 0);
}

TEST_F(ToolsTest, FilterPassedAsAStringIsAccepted) {
  auto r = run("count_documents", R"({"collection": "workItem", "filter": "{\"priority\": \"HIGH\"}"})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value.at("count"), run("count_documents", R"({"collection": "workItem", "filter": {"priority": "HIGH"}})").value.at("count"));
}

// Numbers the model or a shell query passes are whole numbers in range, or an error it can read
// (never a library's message with its source path and function signature).
TEST_F(ToolsTest, OutOfRangeNumbersAreReadableErrors) {
  for (auto* args : {R"({"collection": "workItem", "limit": 99999999999999999999})", R"({"collection": "workItem", "limit": 2.5})",
                     R"({"collection": "workItem", "limit": -1})", R"({"collection": "workItem", "limit": "many"})",
                     R"({"collection": "workItem", "skip": -5})", R"({"collection": "workItem", "skip": 0.5})",
                     R"({"collection": "workItem", "skip": 1e30})"}) {
    auto r = run("find_documents", args);
    EXPECT_FALSE(r.ok) << args;
    EXPECT_NE(r.error.find("whole number"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("boost"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("::"), std::string::npos) << r.error;
  }
  for (auto* pipeline : {R"([{"$limit": 99999999999999999999}])", R"([{"$skip": -1}])", R"([{"$limit": 0.5}])"}) {
    auto r = run("aggregate", (std::string(R"({"collection": "workItem", "pipeline": )") + pipeline + "}").c_str());
    EXPECT_FALSE(r.ok) << pipeline;
    EXPECT_EQ(r.error.find("boost"), std::string::npos) << r.error;
    EXPECT_EQ(r.error.find("::"), std::string::npos) << r.error;
  }
  EXPECT_TRUE(run("find_documents", R"({"collection": "workItem", "limit": "5", "skip": 3.0})").ok);
}

TEST_F(ToolsTest, FindCapsTheLimitAndSaysThereIsMore) {
  auto r = run("find_documents", R"({"collection": "workItem", "limit": 500, "projection": {"title": 1}})");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value.at("documents").as_array().size(), 50u);
  EXPECT_TRUE(r.value.as_object().contains("more"));
  auto d = run("find_documents", R"({"collection": "project"})");
  EXPECT_EQ(d.value.at("documents").as_array().size(), 6u);
  EXPECT_FALSE(d.value.as_object().contains("more"));
}

TEST_F(ToolsTest, DistinctAndAggregate) {
  auto d = run("distinct_values", R"({"collection": "workItem", "field": "priority"})");
  ASSERT_TRUE(d.ok) << d.error;
  EXPECT_EQ(d.value.at("values"), json::parse(R"(["HIGH", "LOW", "MEDIUM", "NONE", "URGENT"])"));
  auto a = run("aggregate", R"({"collection": "workItem", "pipeline": [{"$group": {"_id": "$priority", "n": {"$sum": 1}}}, {"$sort": {"n": -1}}]})");
  ASSERT_TRUE(a.ok) << a.error;
  std::int64_t total = 0;
  for (auto& g : a.value.at("results").as_array()) total += g.at("n").as_int64();
  EXPECT_EQ(total, 300);
}

TEST_F(ToolsTest, ErrorsNameTheProblem) {
  auto unknown_op = run("find_documents", R"({"collection": "workItem", "filter": {"priority": {"$like": "H%"}}})");
  EXPECT_FALSE(unknown_op.ok);
  EXPECT_NE(unknown_op.error.find("$like"), std::string::npos);
  auto no_collection = run("count_documents", R"({"collection": "tasks"})");
  EXPECT_FALSE(no_collection.ok);
  EXPECT_NE(no_collection.error.find("workItem"), std::string::npos) << no_collection.error;
  auto no_tool = run("drop_collection", "{}");
  EXPECT_FALSE(no_tool.ok);
  EXPECT_NE(no_tool.error.find("find_documents"), std::string::npos);
  auto write = run("aggregate", R"({"collection": "workItem", "pipeline": [{"$out": "x"}]})");
  EXPECT_FALSE(write.ok);
  EXPECT_NE(write.error.find("read-only"), std::string::npos);
  EXPECT_FALSE(run("count_documents", R"({"filter": {}})").ok);
}

TEST_F(ToolsTest, CancelledQueryEndsTheTurn) {
  CancelToken cancel;
  cancel.cancel();
  std::vector<json::value> many;
  for (int i = 0; i < 1000; ++i) many.push_back(json::object{{"_id", i}});
  store_->replace_collection("many", many);
  EXPECT_THROW(registry_.run("count_documents", json::parse(R"({"collection": "many"})"), *store_, &cancel), store::QueryCancelled);
}

TEST_F(ToolsTest, SchemaShowsStoredValues) {
  auto r = run("collection_schema", R"({"collection": "workItem"})");
  ASSERT_TRUE(r.ok) << r.error;
  bool found = false;
  for (auto& f : r.value.at("fields").as_array()) {
    if (f.at("path") == "state.name") found = f.as_object().contains("values") && f.at("values").as_object().contains("In Progress");
  }
  EXPECT_TRUE(found);
}

TEST(RenderResult, FitsTheBudgetAndSaysWhatWasLeftOut) {
  json::array docs;
  for (int i = 0; i < 100; ++i) docs.push_back(json::object{{"title", std::string(50, 'x')}, {"n", i}});
  ToolResult r{true, json::object{{"collection", "c"}, {"documents", docs}}, {}};
  auto text = render_result(r, 1000);
  EXPECT_LE(text.size(), 1000u);
  auto v = json::parse(text);
  EXPECT_NE(std::string(v.at("omitted").as_string()).find("of 100"), std::string::npos);
  EXPECT_EQ(render_result({false, nullptr, "bad"}, 100), R"({"error":"bad"})");
}

}  // namespace
