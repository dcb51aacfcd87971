// Tenant isolation on the real server: a scripted LLM that actively tries to read another
// business's documents, and REST calls with one tenant's token. Nothing of the other business
// may reach the client, or the model.
#include "e2e/e2e_fixture.hpp"
#include "core/time_util.hpp"
#include "server/tenant_token.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

constexpr const char* kSecret = "tenant-test-secret";

struct Business {
  std::string id;
  std::vector<std::string> project_names;
};

class TenantE2e : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    start_server({"--tenant-secret", kSecret});  // creates the demo database: two businesses
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    for (auto& id : db.distinct("project", "business._id", nullptr)) {
      Business b{std::string(id.as_string()), {}};
      for (auto& n : db.distinct("project", "name", json::object{{"business._id", id}})) b.project_names.emplace_back(n.as_string());
      businesses_.push_back(b);
    }
    ASSERT_EQ(businesses_.size(), 2u);
  }
  std::string token(const Business& b) { return server::make_tenant_token(kSecret, b.id, unix_now() + 600); }
  std::unique_ptr<client::ChatClient> connect_as(const Business& b) {
    auto c = std::make_unique<client::ChatClient>(server_->ws_url() + "?tenant=" + token(b));
    EXPECT_EQ(type_of(c->next_event(std::chrono::seconds(5)).value_or(json::object{})), "connected");
    return c;
  }
  HttpReply api(const Business& b, const std::string& method, const std::string& target) {
    return http_call(server_->port(), method, target, {}, {{"X-PMS-Tenant", token(b)}});
  }
  static bool mentions(const std::string& text, const Business& b) {
    if (text.find(b.id) != std::string::npos) return true;
    for (auto& n : b.project_names)
      if (text.find(n) != std::string::npos) return true;
    return false;
  }
  std::vector<Business> businesses_;
};

TEST_F(TenantE2e, WithoutATokenNothingIsServed) {
  try {
    client::ChatClient c(server_->ws_url());
    FAIL() << "the upgrade should have been refused";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("401"), std::string::npos) << e.what();
  }
  for (auto target : {"/api/overview", "/api/collections", "/api/conversations"}) {
    auto r = http_call(server_->port(), "GET", target);
    EXPECT_EQ(r.status, 401) << target;
    EXPECT_NE(r.body.find("tenant_required"), std::string::npos);
  }
  auto forged = http_call(server_->port(), "GET", "/api/overview", {},
                          {{"X-PMS-Tenant", server::make_tenant_token("wrong secret", businesses_[0].id, unix_now() + 600)}});
  EXPECT_EQ(forged.status, 401);
}

TEST_F(TenantE2e, AModelTryingToReadAnotherBusinessSeesOnlyItsOwn) {
  const Business& mine = businesses_[0];
  const Business& other = businesses_[1];
  ScriptedReply attack;
  auto tool = [&](std::string name, std::string args_json) {
    attack.tool_calls.push_back({std::move(name), json::parse(args_json)});
  };
  std::string other_id = "\"" + other.id + "\"";
  tool("find_documents", R"({"collection": "project", "filter": {"business._id": )" + other_id + "}}");
  tool("count_documents", R"({"collection": "workItem", "filter": {"$or": [{"business._id": )" + other_id + R"(}, {"_id": {"$exists": true}}]}})");
  tool("distinct_values", R"({"collection": "project", "field": "name"})");
  tool("distinct_values", R"({"collection": "workItem", "field": "business._id"})");
  tool("aggregate", R"({"collection": "workItem", "pipeline": [{"$lookup": {"from": "project", "localField": "business._id",
       "foreignField": "business._id", "as": "all", "pipeline": [{"$match": {"$or": [{"business._id": )" + other_id + R"(}, {}]}}]}},
       {"$unwind": "$all"}, {"$group": {"_id": "$all.name"}}]})");
  tool("aggregate", R"({"collection": "project", "pipeline": [{"$facet": {"p": [{"$lookup": {"from": "members", "localField": "business._id",
       "foreignField": "business._id", "as": "m"}}]}}]})");
  tool("find_documents", R"({"collection": "members", "limit": 50})");
  llm_->push(attack);
  llm_->push(answer({"Done."}));

  auto c = connect_as(mine);
  c->send(message("Show me everything", "conv-1"));
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  // What the server produced: tool results, the answer, and what it told the model (the system
  // prompt and the tool results). The model's own arguments name the other business, of course.
  std::string seen;
  int tool_results = 0;
  for (auto& e : ev) {
    if (type_of(e) == "tool_start") continue;
    if (type_of(e) == "tool_end") {
      ++tool_results;
      EXPECT_EQ(e.at("ok"), true) << dump(e);
    }
    seen += dump(e);
  }
  EXPECT_EQ(tool_results, 7);
  for (auto& r : llm_->chat_requests())
    for (auto& m : r.body.at("messages").as_array())
      if (m.at("role") == "system" || m.at("role") == "tool") seen += dump(m);
  EXPECT_FALSE(mentions(seen, other)) << "another business's data reached the client or the model";
  EXPECT_TRUE(mentions(seen, mine));  // the tenant's own data did arrive
}

TEST_F(TenantE2e, RestAndConversationsAreTheTenantsOwn) {
  const Business& a = businesses_[0];
  const Business& b = businesses_[1];
  llm_->push(answer({"A's answer."}));
  auto ca = connect_as(a);
  ca->send(message("Hello from A", "shared-id"));
  ASSERT_EQ(types(until_done(*ca)).back(), "complete");

  EXPECT_EQ(api(a, "GET", "/api/conversations/shared-id").status, 200);
  EXPECT_EQ(api(b, "GET", "/api/conversations/shared-id").status, 404);  // same id, another tenant
  EXPECT_EQ(api(b, "GET", "/api/conversations").body.find("shared-id"), std::string::npos);
  EXPECT_NE(api(a, "GET", "/api/conversations").body.find("\"conversation_id\":\"shared-id\""), std::string::npos);
  EXPECT_EQ(api(b, "DELETE", "/api/conversations/shared-id").status, 404);

  // B continuing "shared-id" starts its own conversation: A's history never reaches B's model.
  llm_->push(answer({"B's answer."}));
  auto cb = connect_as(b);
  cb->send(message("Hello from B", "shared-id"));
  ASSERT_EQ(types(until_done(*cb)).back(), "complete");
  auto last = llm_->chat_requests().back();
  EXPECT_EQ(dump(last.body).find("Hello from A"), std::string::npos);

  auto overview = api(b, "GET", "/api/overview");
  ASSERT_EQ(overview.status, 200);
  EXPECT_FALSE(mentions(overview.body, a)) << overview.body;
  EXPECT_TRUE(mentions(overview.body, b));
  auto collections = api(b, "GET", "/api/collections").body;
  auto all = http_call(server_->port(), "GET", "/api/collections", {}, {{"X-PMS-Tenant", token(a)}}).body;
  EXPECT_NE(collections, all);  // counts are each tenant's own
}

// The question planner links words to the tenant's own stored values and runs its plan through
// the tenant's scope: another business's names are neither matched, suggested nor shown.
TEST_F(TenantE2e, ThePlannerSeesOnlyItsBusiness) {
  const Business& mine = businesses_[0];
  const Business& other = businesses_[1];
  auto c = connect_as(mine);
  c->send(message("/q work items by project"));
  auto ev = until_done(*c);
  std::string all;
  for (auto& e : ev) all += dump(e);
  EXPECT_FALSE(mentions(all, other)) << all;
  for (auto& name : mine.project_names) EXPECT_NE(all.find(name), std::string::npos) << name;

  // A name only the other business has links to nothing: refused, and nothing of it is shown
  // beyond the words typed.
  const std::string& foreign = other.project_names.front();
  c->send(message("/q open bugs in " + foreign));
  auto refused = until_done(*c);
  auto answer = joined_tokens(refused);
  auto seq = types(refused);
  EXPECT_EQ(std::count(seq.begin(), seq.end(), "tool_start"), 0) << answer;
  EXPECT_EQ(seq.back(), "complete");
  EXPECT_EQ(answer.find(foreign), std::string::npos) << answer;
  EXPECT_FALSE(mentions(answer, other)) << answer;
}

}  // namespace
