// /mcp on the real server (127.0.0.1): the Streamable HTTP transport behind the API's checks —
// token, tenant, Host, Origin — and its sessions, with numbers checked against the store.
#include "e2e/e2e_fixture.hpp"
#include "core/time_util.hpp"
#include "server/tenant_token.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

constexpr const char* kToken = "mcp-e2e-token";
constexpr const char* kSecret = "mcp-e2e-secret";

using Headers = std::vector<std::pair<std::string, std::string>>;

const std::string kInitialize =
    R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}})";

class McpHttpE2e : public E2eTest {
 protected:
  HttpReply post(const std::string& body, Headers headers) {
    headers.insert(headers.end(), {{"Content-Type", "application/json"}, {"Accept", "application/json, text/event-stream"}});
    return http_call(server_->port(), "POST", "/mcp", body, headers);
  }
  // The one JSON-RPC message of an SSE response.
  static json::value event(const HttpReply& r) {
    EXPECT_EQ(r.headers.count("content-type") ? r.headers.at("content-type") : "", "text/event-stream");
    auto at = r.body.find("data: ");
    if (at == std::string::npos) {
      ADD_FAILURE() << "no data line in " << r.body;
      return nullptr;
    }
    return json::parse(r.body.substr(at + 6, r.body.find('\n', at) - at - 6));
  }
  // A session opened with `headers`; its id.
  std::string open(const Headers& headers) {
    auto r = post(kInitialize, headers);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(event(r).at("result").at("protocolVersion"), "2025-11-25");
    return r.headers.count("mcp-session-id") ? r.headers.at("mcp-session-id") : std::string();
  }
  std::int64_t count_via_mcp(const Headers& headers, const std::string& session) {
    Headers with = headers;
    with.insert(with.end(), {{"Mcp-Session-Id", session}, {"MCP-Protocol-Version", "2025-11-25"}});
    auto r = post(R"({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "count_documents", "arguments": {"collection": "workItem"}}})", with);
    EXPECT_EQ(r.status, 200) << r.body;
    return event(r).at("result").at("structuredContent").at("count").to_number<std::int64_t>();
  }
  std::int64_t store_count(const json::value& filter) {
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    return db.count("workItem", filter);
  }
};

}  // namespace

TEST_F(McpHttpE2e, BehindTheAuthTokenWithSessions) {
  start_server({"--auth-token", kToken});
  auto refused = post(kInitialize, {});
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers["www-authenticate"], "Bearer");
  EXPECT_EQ(post(kInitialize, {{"Authorization", "Bearer wrong"}}).status, 401);

  Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  auto session = open(auth);
  ASSERT_EQ(session.size(), 32u);
  EXPECT_EQ(count_via_mcp(auth, session), store_count(nullptr));

  Headers in_session = auth;
  in_session.emplace_back("Mcp-Session-Id", session);
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "method": "notifications/initialized"})", in_session).status, 202);
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "id": 3, "method": "ping"})", auth).status, 400);  // no session id
  Headers unknown = auth;
  unknown.emplace_back("Mcp-Session-Id", std::string(32, '0'));
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "id": 3, "method": "ping"})", unknown).status, 404);
  Headers bad_version = in_session;
  bad_version.emplace_back("MCP-Protocol-Version", "1999-01-01");
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "id": 3, "method": "ping"})", bad_version).status, 400);
  auto garbage = post("{not json", in_session);
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(json::parse(garbage.body).at("error").at("code"), -32700);

  EXPECT_EQ(http_call(server_->port(), "GET", "/mcp", "", in_session).status, 405);
  EXPECT_EQ(http_call(server_->port(), "DELETE", "/mcp", "", in_session).status, 204);
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "id": 4, "method": "ping"})", in_session).status, 404);
}

TEST_F(McpHttpE2e, HostAndOriginAreCheckedAsForTheApi) {
  start_server({});
  EXPECT_EQ(post(kInitialize, {{"Host", "attacker.example"}}).status, 421);
  EXPECT_EQ(post(kInitialize, {{"Origin", "https://attacker.example"}}).status, 403);
  auto own_host = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(post(kInitialize, {{"Host", own_host}, {"Origin", "http://" + own_host}}).status, 200);  // the page's own origin
}

TEST_F(McpHttpE2e, ASessionIsItsTenants) {
  start_server({"--tenant-secret", kSecret});
  std::vector<std::string> businesses;
  {
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    for (auto& id : db.distinct("project", "business._id", nullptr)) businesses.emplace_back(id.as_string());
  }
  ASSERT_EQ(businesses.size(), 2u);
  auto as = [&](const std::string& business) {
    return Headers{{"X-PMS-Tenant", server::make_tenant_token(kSecret, business, unix_now() + 600)}};
  };
  EXPECT_EQ(post(kInitialize, {}).status, 401);  // no tenant token
  auto session = open(as(businesses[0]));
  auto own = store_count(json::object{{"business._id", businesses[0]}});
  ASSERT_LT(own, store_count(nullptr));
  EXPECT_EQ(count_via_mcp(as(businesses[0]), session), own);
  // Another tenant's token cannot reach the session, nor end it.
  Headers other = as(businesses[1]);
  other.emplace_back("Mcp-Session-Id", session);
  EXPECT_EQ(post(R"({"jsonrpc": "2.0", "id": 5, "method": "ping"})", other).status, 404);
  EXPECT_EQ(http_call(server_->port(), "DELETE", "/mcp", "", other).status, 404);
  EXPECT_EQ(count_via_mcp(as(businesses[0]), session), own);
}
