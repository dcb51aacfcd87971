// The Streamable HTTP transport's sessions: bound to their tenant, ended, expired and capped.
#include "mcp/session_registry.hpp"

#include "demo_fixture.hpp"

#include <thread>

using namespace pms;
using namespace pms::mcp;

namespace {

class SessionRegistryTest : public test::McpDemo {
 protected:
  std::shared_ptr<TenantSession> session(std::string tenant) {
    return std::make_shared<TenantSession>(*store_, "business._id", std::move(tenant), registry_,
                                           [](const std::string&) { return catalog_; });
  }
};

}  // namespace

TEST_F(SessionRegistryTest, IdsAreRandomAndFoundByTheirTenantOnly) {
  SessionRegistry sessions(10, std::chrono::minutes(1));
  auto a = sessions.add(session("acme"));
  auto b = sessions.add(session("acme"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 32u);
  ASSERT_TRUE(sessions.find(a, "acme"));
  EXPECT_EQ(sessions.find(a, "acme")->tenant(), "acme");
  EXPECT_FALSE(sessions.find(a, "northwind"));
  EXPECT_FALSE(sessions.find(a, ""));
  EXPECT_FALSE(sessions.find("nope", "acme"));
  EXPECT_FALSE(sessions.remove(a, "northwind"));
  EXPECT_TRUE(sessions.remove(a, "acme"));
  EXPECT_FALSE(sessions.find(a, "acme"));
  EXPECT_TRUE(sessions.find(b, "acme"));
}

TEST_F(SessionRegistryTest, TheLeastRecentlyUsedGoesPastTheCap) {
  SessionRegistry sessions(2, std::chrono::minutes(1));
  auto a = sessions.add(session(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto b = sessions.add(session(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(sessions.find(a, ""));  // a is now the more recent
  auto c = sessions.add(session(""));
  EXPECT_EQ(sessions.size(), 2u);
  EXPECT_TRUE(sessions.find(a, ""));
  EXPECT_FALSE(sessions.find(b, ""));
  EXPECT_TRUE(sessions.find(c, ""));
}

TEST_F(SessionRegistryTest, IdleSessionsExpire) {
  SessionRegistry sessions(10, std::chrono::milliseconds(20));
  auto a = sessions.add(session(""));
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  EXPECT_FALSE(sessions.find(a, ""));
}

TEST_F(SessionRegistryTest, ASessionSeesOnlyItsTenant) {
  auto s = session(std::string(test::kAcme));
  auto reply = s->session().handle(R"({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "count_documents", "arguments": {"collection": "workItem"}}})");
  ASSERT_TRUE(reply);
  EXPECT_EQ(json::parse(*reply).at("result").at("structuredContent").at("count"),
            store_->count("workItem", json::object{{"business._id", test::kAcme}}));
}
