// Origin allowlist, CORS and the bearer token on the real server.
#include "e2e/e2e_fixture.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

class SecurityE2e : public E2eTest {
 protected:
  std::string refusal(const std::string& url, client::ChatClient::Headers headers) {
    try {
      client::ChatClient c(url, std::chrono::seconds(5), std::move(headers));
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(SecurityE2e, CrossSiteWebSocketsAreRefused) {
  start_server({"--allowed-origins", "http://localhost:5173"});
  std::string host = "127.0.0.1:" + std::to_string(server_->port());
  auto evil = refusal(server_->ws_url(), {{"Origin", "https://evil.example"}});
  EXPECT_NE(evil.find("HTTP 403"), std::string::npos) << evil;
  EXPECT_EQ(refusal(server_->ws_url(), {{"Origin", "http://" + host}}), "");           // the server's own page
  EXPECT_EQ(refusal(server_->ws_url(), {{"Origin", "http://localhost:5173"}}), "");    // listed
  EXPECT_EQ(refusal(server_->ws_url(), {}), "");                                       // not a browser
}

TEST_F(SecurityE2e, CorsOnlyForConfiguredOrigins) {
  start_server({"--allowed-origins", "http://localhost:5173"});
  auto ok = http_call(server_->port(), "OPTIONS", "/api/chat", "", {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.headers["access-control-allow-origin"], "http://localhost:5173");
  EXPECT_NE(ok.headers["access-control-allow-methods"].find("POST"), std::string::npos);
  EXPECT_EQ(http_call(server_->port(), "OPTIONS", "/api/chat", "", {{"Origin", "https://evil.example"}}).status, 403);
  auto get = http_call(server_->port(), "GET", "/api/collections", "", {{"Origin", "http://localhost:5173"}});
  EXPECT_EQ(get.headers["access-control-allow-origin"], "http://localhost:5173");
  auto other = http_call(server_->port(), "GET", "/api/collections", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.headers.count("access-control-allow-origin"), 0u);
}

TEST_F(SecurityE2e, TokenGuardsTheApiAndTheChatButNotHealth) {
  start_server({"--auth-token", "s3cret-token"});
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
  auto denied = http_call(server_->port(), "GET", "/api/collections");
  EXPECT_EQ(denied.status, 401);
  EXPECT_EQ(denied.headers["www-authenticate"], "Bearer");
  EXPECT_EQ(http_call(server_->port(), "GET", "/api/collections", "", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(http_call(server_->port(), "GET", "/api/collections", "", {{"Authorization", "Bearer s3cret-token"}}).status, 200);
  EXPECT_NE(refusal(server_->ws_url(), {}).find("HTTP 401"), std::string::npos);
  llm_->push(answer({"ok"}));
  client::ChatClient c(server_->ws_url() + "?token=s3cret-token");
  next_of_type(c, "connected");
  c.send(message("hi"));
  EXPECT_EQ(joined_tokens(until_done(c)), "ok");
  // The token never reaches the log.
  EXPECT_EQ(server_->log().find("s3cret-token"), std::string::npos);
}

// Finds members and a project (which carry `email` and `leadMail` in the demo data) and returns
// what the client saw of the tool results plus what the model was sent.
std::string tool_output_seen(E2eTest& t, ScriptedLlmServer& llm, client::ChatClient& c) {
  llm.push(call_tool("find_documents", json::parse(R"({"collection": "members", "limit": 3})")));
  llm.push(call_tool("find_documents", json::parse(R"({"collection": "project", "limit": 3})")));
  llm.push(answer({"ok"}));
  c.send(message("Who are the members?"));
  auto ev = until_done(c);
  EXPECT_EQ(types(ev).back(), "complete");
  std::string seen;
  for (auto& e : ev) if (type_of(e) == "tool_end") seen += std::string(e.at("output").as_string());
  for (auto& r : llm.chat_requests()) seen += dump(r.body);
  return seen;
}

class RedactionE2e : public E2eTest {};

TEST_F(RedactionE2e, EmailAddressesNeverReachTheModelOrTheClientByDefault) {
  start_server();
  auto c = connect();
  auto seen = tool_output_seen(*this, *llm_, *c);
  EXPECT_NE(seen.find("\"name\""), std::string::npos);  // the documents did arrive
  EXPECT_EQ(seen.find('@'), std::string::npos) << seen;
  EXPECT_EQ(seen.find("leadMail"), std::string::npos);
}

TEST_F(RedactionE2e, AnEmptyListShowsThem) {
  start_server({"--redact-fields", ""});
  auto c = connect();
  auto seen = tool_output_seen(*this, *llm_, *c);
  EXPECT_NE(seen.find('@'), std::string::npos);
  EXPECT_NE(seen.find("leadMail"), std::string::npos);
}

}  // namespace
