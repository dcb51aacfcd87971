// GET /api/entities/<kind>/<id> and the entities of answers, on the real server with tenants:
// a business opens its own things, never another's, and unknown ones are a clear 404.
#include "e2e/e2e_fixture.hpp"
#include "core/time_util.hpp"
#include "server/tenant_token.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

constexpr const char* kSecret = "entity-test-secret";
constexpr const char* kTemplate = "https://pms.example.com/{projectDisplayId}/{displayBugNo}";

class EntityRoutesE2e : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    start_server({"--tenant-secret", kSecret, "--llm", "none", "--item-url-template", kTemplate});
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    for (auto& b : db.distinct("project", "business._id", nullptr)) {
      store::FindRequest req{"workItem", json::object{{"business._id", b}}, json::value(), json::value(), 0, 1};
      items_.push_back(db.find(req, nullptr).at(0).as_object());
      store::FindRequest p{"project", json::object{{"_id", items_.back().at("project").at("_id")}}, json::value(), json::value(), 0, 1};
      short_ids_.emplace_back(db.find(p, nullptr).at(0).at("projectDisplayId").as_string());
    }
    ASSERT_EQ(items_.size(), 2u);
  }
  HttpReply get(std::size_t business, const std::string& target) {
    std::string tenant(items_[business].at("business").at("_id").as_string());
    return http_call(server_->port(), "GET", target, {}, {{"X-PMS-Tenant", server::make_tenant_token(kSecret, tenant, unix_now() + 600)}});
  }
  static std::string id_of(const json::object& doc) { return std::string(doc.at("_id").as_string()); }
  std::vector<json::object> items_;
  std::vector<std::string> short_ids_;
};

}  // namespace

TEST_F(EntityRoutesE2e, ABusinessOpensItsOwnItemWithItsFields) {
  auto r = get(0, "/api/entities/workItem/" + id_of(items_[0]));
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body).as_object();
  EXPECT_EQ(body.at("title"), items_[0].at("title"));
  EXPECT_EQ(body.at("number"), items_[0].at("displayBugNo"));
  std::string number(items_[0].at("displayBugNo").as_string());
  EXPECT_EQ(body.at("url"), ("https://pms.example.com/" + short_ids_[0] + "/" + number).c_str());
  // The project is a field that opens the project.
  bool project = false;
  for (auto& f : body.at("fields").as_array())
    if (f.at("label") == "Project")
      project = f.at("values").at(0).at("entity").at("id") == items_[0].at("project").at("_id");
  EXPECT_TRUE(project) << r.body;
}

TEST_F(EntityRoutesE2e, AnotherBusinessesThingIsNotFound) {
  auto r = get(1, "/api/entities/workItem/" + id_of(items_[0]));
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("\"not_found\""), std::string::npos);
  EXPECT_NE(r.body.find("no workItem with id '" + id_of(items_[0]) + "'"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(std::string(items_[0].at("title").as_string())), std::string::npos);
  // Nor without a tenant at all.
  EXPECT_EQ(http_call(server_->port(), "GET", "/api/entities/workItem/" + id_of(items_[0])).status, 401);
}

TEST_F(EntityRoutesE2e, UnknownKindsAndIdsSayWhat) {
  auto kind = get(0, "/api/entities/sprint/1");
  EXPECT_EQ(kind.status, 404);
  EXPECT_NE(kind.body.find("no kind of thing 'sprint'; one of workItem, project, cycle"), std::string::npos) << kind.body;
  auto id = get(0, "/api/entities/cycle/no-such-id");
  EXPECT_EQ(id.status, 404);
  EXPECT_NE(id.body.find("no cycle with id 'no-such-id'"), std::string::npos) << id.body;
  EXPECT_EQ(get(0, "/api/entities/cycle").status, 404);
}

TEST_F(EntityRoutesE2e, AnAnswerNamesItsItemWithTheTemplatesLink) {
  std::string tenant(items_[0].at("business").at("_id").as_string());
  std::string number(items_[0].at("displayBugNo").as_string());
  auto r = http_call(server_->port(), "POST", "/api/chat", dump(json::object{{"message", "details of " + number}}),
                     {{"X-PMS-Tenant", server::make_tenant_token(kSecret, tenant, unix_now() + 600)}, {"Content-Type", "application/json"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = json::parse(r.body).as_object();
  bool linked = false;
  for (auto& e : body.at("entities").as_array())
    if (e.at("text") == number.c_str())
      linked = e.at("kind") == "workItem" && e.at("id") == items_[0].at("_id") &&
               e.at("url") == ("https://pms.example.com/" + short_ids_[0] + "/" + number).c_str();
  EXPECT_TRUE(linked) << r.body;
}

TEST_F(EntityRoutesE2e, SearchFindsOnlyTheBusinessesOwnThings) {
  std::string number(items_[0].at("displayBugNo").as_string());
  auto mine = get(0, "/api/entities?q=" + number);
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto matches = json::parse(mine.body).at("matches").as_array();
  ASSERT_FALSE(matches.empty()) << mine.body;
  EXPECT_EQ(matches[0].at("kind"), "workItem");
  EXPECT_EQ(matches[0].at("id"), items_[0].at("_id"));
  EXPECT_EQ(matches[0].at("number"), number.c_str());
  // The other business's number, and its project's name, are nowhere in the other's answers.
  std::string other_number(items_[1].at("displayBugNo").as_string());
  auto theirs = get(0, "/api/entities?q=" + other_number);
  EXPECT_EQ(theirs.body.find(id_of(items_[1])), std::string::npos) << theirs.body;
  std::string name(items_[1].at("project").at("name").as_string());
  for (std::size_t i; (i = name.find(' ')) != std::string::npos;) name.replace(i, 1, "%20");
  auto project = get(0, "/api/entities?q=" + name);
  EXPECT_EQ(project.body.find(std::string(items_[1].at("project").at("_id").as_string())), std::string::npos) << project.body;
  EXPECT_EQ(get(0, "/api/entities?q=" + std::string(101, 'x')).status, 400);
  EXPECT_EQ(get(0, "/api/entities?q=").body, "{\"matches\":[]}");
}
