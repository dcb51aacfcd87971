// The MCP-only tools, ask_pms and find_entity, and one business's view through the toolbox,
// checked against the store's own numbers.
#include "demo_fixture.hpp"

using namespace pms;
using namespace pms::mcp;

namespace {

class McpTools : public test::McpDemo {
 protected:
  CallResult call(const Toolbox& box, std::string_view name, std::string_view arguments) {
    auto r = box.call(name, json::parse(arguments).as_object(), nullptr);
    if (!r) {
      ADD_FAILURE() << "no tool " << name;
      return error_result("no tool");
    }
    EXPECT_FALSE(r->text.empty());
    return *r;
  }
  static std::string id_of(std::string_view collection, std::string_view filter) {
    auto docs = store_->find({std::string(collection), json::parse(filter), nullptr, nullptr, 0, 1});
    return docs.empty() ? std::string() : std::string(docs[0].at("_id").as_string());
  }

  Toolbox box_ = whole();
};

}  // namespace

TEST_F(McpTools, AskPmsCountsLikeTheStore) {
  auto r = call(box_, "ask_pms", R"({"question": "how many urgent work items are in Mobile App?"})");
  EXPECT_FALSE(r.is_error);
  auto want = store_->count("workItem", json::parse(R"({"priority": "URGENT", "project.name": "Mobile App"})"));
  ASSERT_GT(want, 0);
  EXPECT_EQ(r.structured.at("count"), want);
  EXPECT_EQ(r.structured.at("answered"), true);
  EXPECT_EQ(r.structured.at("plan").at("operation"), "count");
  EXPECT_EQ(r.structured.at("plan").at("collection"), "workItem");
  EXPECT_NE(r.text.find(std::to_string(want)), std::string::npos) << r.text;
  auto& calls = r.structured.at("tool_calls").as_array();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls[0].at("name"), "count_documents");
  EXPECT_EQ(calls[0].at("ok"), true);
  // The plan's filter is one the count_documents tool gives the same number for.
  EXPECT_EQ(store_->count("workItem", r.structured.at("plan").at("filter")), want);
}

TEST_F(McpTools, AskPmsListsRowsAndGroups) {
  auto list = call(box_, "ask_pms", R"({"question": "latest 3 bugs in Customer Portal"})");
  ASSERT_FALSE(list.is_error) << list.text;
  auto& rows = list.structured.at("rows").as_array();
  auto newest = store_->find({"workItem", json::parse(R"({"project.name": "Customer Portal"})"), json::parse(R"({"_id": 1})"),
                              json::parse(R"({"createdTimeStamp": -1})"), 0, 3});
  ASSERT_EQ(rows.size(), newest.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].at("_id"), newest[i].at("_id")) << i;
  EXPECT_EQ(list.structured.at("count"), store_->count("workItem", json::parse(R"({"project.name": "Customer Portal"})")));

  auto groups = call(box_, "ask_pms", R"({"question": "work items by priority"})");
  ASSERT_FALSE(groups.is_error) << groups.text;
  std::int64_t total = 0;
  for (auto& g : groups.structured.at("groups").as_array()) {
    auto n = g.at("count").to_number<std::int64_t>();
    if (g.at("value").is_string()) {
      EXPECT_EQ(n, store_->count("workItem", json::object{{"priority", g.at("value")}})) << g;
    }
    total += n;
  }
  EXPECT_EQ(total, store_->count("workItem", nullptr));
}

TEST_F(McpTools, AskPmsRefusalIsANormalResult) {
  auto r = call(box_, "ask_pms", R"({"question": "what is the meaning of life?"})");
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.structured.at("answered"), false);
  EXPECT_FALSE(r.structured.at("not_understood").as_array().empty());
  EXPECT_FALSE(r.structured.at("suggestions").as_array().empty());
  EXPECT_FALSE(r.structured.contains("tool_calls"));
}

TEST_F(McpTools, AskPmsRunsShellQueries) {
  auto r = call(box_, "ask_pms", R"j({"question": "db.workItem.countDocuments({priority: 'LOW'})"})j");
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.structured.at("answered_by"), "shell");
  EXPECT_EQ(r.structured.at("result").at("count"), store_->count("workItem", json::parse(R"({"priority": "LOW"})")));
  EXPECT_TRUE(call(box_, "ask_pms", R"j({"question": "db.workItem.drop()"})j").is_error);
}

TEST_F(McpTools, AskPmsFailingDatabaseIsAnError) {
  // A store that fails every query, as an unreachable MongoDB does.
  struct FailingStore : store::sqlite::SqliteDocumentStore {
    using SqliteDocumentStore::SqliteDocumentStore;
    std::int64_t count(std::string_view, const json::value&, const CancelToken*) override { throw store::StoreError("connection refused"); }
  };
  auto path = path_.string() + "-failing";
  {
    FailingStore failing(path, "ProjectManagement");
    store::demo::write_demo_database(failing, {});
    Toolbox box(services(failing, catalog_));
    auto r = call(box, "ask_pms", R"({"question": "how many urgent work items are there?"})");
    EXPECT_TRUE(r.is_error);
    EXPECT_NE(std::string(r.structured.at("error").as_string()).find("connection refused"), std::string::npos) << r.text;
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

TEST_F(McpTools, FindEntityByNameShortIdAndTypo) {
  auto want = id_of("project", R"({"name": "Mobile App"})");
  ASSERT_FALSE(want.empty());
  for (auto text : {"Mobile App", "mobile app", "MAA2", "Mobil App", want.c_str()}) {
    auto r = call(box_, "find_entity", R"({"kind": "project", "text": ")" + std::string(text) + "\"}");
    ASSERT_FALSE(r.is_error) << r.text;
    auto& m = r.structured.at("matches").as_array();
    ASSERT_FALSE(m.empty()) << text;
    EXPECT_EQ(m[0].at("id"), json::value(want)) << text;
    EXPECT_EQ(m[0].at("kind"), "project");
    EXPECT_EQ(m[0].at("short_id"), "MAA2");
  }
  auto typo = call(box_, "find_entity", R"({"kind": "project", "text": "Mobil App"})");
  EXPECT_EQ(typo.structured.at("matches").at(0).at("match"), "typo");
}

TEST_F(McpTools, FindEntityWorkItemsByDisplayNumber) {
  auto r = call(box_, "find_entity", R"({"text": "maa2-1"})");
  ASSERT_FALSE(r.is_error) << r.text;
  auto& m = r.structured.at("matches").as_array();
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].at("kind"), "work_item");
  EXPECT_EQ(m[0].at("display_id"), "MAA2-1");
  EXPECT_EQ(m[0].at("match"), "exact");
  EXPECT_EQ(m[0].at("id"), json::value(id_of("workItem", R"({"displayBugNo": "MAA2-1"})")));
  EXPECT_EQ(m[0].at("projects").at(0).at("name"), "Mobile App");
}

TEST_F(McpTools, FindEntityPeopleAndCyclesWithTheirProjects) {
  auto person = call(box_, "find_entity", R"({"kind": "person", "text": "Elena Reyes"})");
  auto& people = person.structured.at("matches").as_array();
  ASSERT_EQ(people.size(), 1u) << person.text;  // one person, though a membership row per project
  EXPECT_EQ(people[0].at("id"), json::value(store_->find({"members", json::parse(R"({"name": "Elena Reyes"})"), nullptr, nullptr, 0, 1})[0].at("memberId")));
  EXPECT_FALSE(people[0].at("projects").as_array().empty());
  // Work items reference a person by the id find_entity gives.
  auto& referenced_as = people[0].at("referenced_as").as_array();
  ASSERT_NE(std::find(referenced_as.begin(), referenced_as.end(), json::value("assignee._id")), referenced_as.end());
  EXPECT_EQ(store_->count("workItem", json::object{{"assignee._id", people[0].at("id")}}),
            store_->count("workItem", json::parse(R"({"assignee.name": "Elena Reyes"})")));

  auto cycles = call(box_, "find_entity", R"({"kind": "cycle", "text": "Sprint 8"})");
  auto& found = cycles.structured.at("matches").as_array();
  ASSERT_FALSE(found.empty()) << cycles.text;
  std::int64_t exact = 0;
  for (auto& c : found) exact += c.at("match") == "exact";
  EXPECT_EQ(exact, store_->count("cycle", json::parse(R"({"title": "Sprint 8"})")));
}

TEST_F(McpTools, FindEntityNothingIsANoteNotAnError) {
  auto r = call(box_, "find_entity", R"({"text": "Zyzzyva Qwerty"})");
  EXPECT_FALSE(r.is_error);
  EXPECT_TRUE(r.structured.at("matches").as_array().empty());
  EXPECT_TRUE(r.structured.contains("note"));
  EXPECT_TRUE(call(box_, "find_entity", R"({"text": "   "})").is_error);
}

TEST_F(McpTools, ATenantSeesOnlyItsOwnBusiness) {
  store::TenantView view(*store_, "business._id", std::string(test::kAcme));
  auto catalog = std::make_shared<const understanding::ValueCatalog>(understanding::build_value_catalog(view.store()));
  Toolbox box(services(view.store(), catalog));
  auto own = store_->count("workItem", json::object{{"business._id", test::kAcme}});
  auto all = store_->count("workItem", nullptr);
  ASSERT_GT(own, 0);
  ASSERT_LT(own, all);
  EXPECT_EQ(call(box, "count_documents", R"({"collection": "workItem"})").structured.at("count"), own);
  EXPECT_EQ(call(box, "ask_pms", R"({"question": "how many work items are there?"})").structured.at("count"), own);
  auto found = call(box, "find_documents", R"({"collection": "workItem", "limit": 50})");
  for (auto& d : found.structured.at("documents").as_array()) EXPECT_EQ(d.at("business").at("_id"), json::value(test::kAcme));
  // Northwind's project and work items are not found, by name or by number.
  EXPECT_TRUE(call(box, "find_entity", R"({"text": "Data Warehouse"})").structured.at("matches").as_array().empty());
  EXPECT_TRUE(call(box, "find_entity", R"({"text": "DWB1-1"})").structured.at("matches").as_array().empty());
  EXPECT_FALSE(call(box_, "find_entity", R"({"text": "DWB1-1"})").structured.at("matches").as_array().empty());
}

TEST_F(McpTools, RedactedFieldsStayRedacted) {
  store_->set_redacted_fields({"email"});
  auto r = call(box_, "find_documents", R"({"collection": "members", "limit": 5})");
  store_->set_redacted_fields({});
  ASSERT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.text.find("@"), std::string::npos) << r.text;
}
