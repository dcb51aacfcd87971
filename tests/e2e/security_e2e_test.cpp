// The server's edge on the real server: the web root (no file outside it, in any encoding), the
// Host allowlist (DNS rebinding), the Origin of state-changing requests, JSON bodies, CORS, the
// bearer token, and redaction.
#include "e2e/e2e_fixture.hpp"
#include "e2e/raw_http.hpp"

#include <fstream>

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

  // A built UI and, beside it, a secret file, with links from the UI's directory to both.
  std::filesystem::path make_web_root() {
    auto web = dir_ / "web";
    std::filesystem::create_directories(web / "assets");
    std::ofstream(web / "index.html") << "<!doctype html><p>the ui</p>";
    std::ofstream(web / "assets" / "app-1a2b.js") << "export {}";
    std::ofstream(dir_ / "secret.txt") << "TOP-SECRET";
    std::filesystem::create_symlink(dir_ / "secret.txt", web / "leak.txt");
    std::filesystem::create_directory_symlink(dir_, web / "up");
    return web;
  }

  std::string host_header(std::string_view name) const { return std::string(name) + ":" + std::to_string(server_->port()); }
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

// Finding 1 of issue 14: `GET //etc/passwd` returned the file, and with it /proc/self/environ
// (the token) and the database.
TEST_F(SecurityE2e, NoFileOutsideTheWebRootIsServedInAnyEncoding) {
  auto web = make_web_root();
  for (bool with_token : {false, true}) {
    SCOPED_TRACE(with_token ? "with --auth-token" : "without a token");
    server_.reset();
    std::vector<std::string> args{"--web-root", web.string()};
    if (with_token) args.insert(args.end(), {"--auth-token", "tok-7f3a9"});
    start_server(args);
    auto port = server_->port();
    EXPECT_NE(raw_get(port, "/").find("the ui"), std::string::npos);
    EXPECT_EQ(status_of(raw_get(port, "/assets/app-1a2b.js")), 200);
    std::vector<std::string> targets{
        "//etc/passwd", "/%2Fetc/passwd", "/%2fetc%2fpasswd", "/..%2f..%2f..%2f..%2fetc/passwd", "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%252e%252e/%252e%252e/etc/passwd",
        "/%252fetc%252fpasswd", "/..\\..\\..\\..\\etc\\passwd", "/%5c..%5c..%5cetc%5cpasswd", "/./index.html", "/assets/./../../secret.txt",
        "/%c0%ae%c0%ae/secret.txt", "/%c0%af%c0%afetc/passwd", "/index.html%00.js", "/%00", std::string("/index.html\0.js", 15),
        "/leak.txt", "/up/secret.txt", "/up/pms.db", "//proc/self/environ", "//proc/self/cmdline", "/%2Fproc/self/environ",
        "/" + db_path(), "/" + (dir_ / "secret.txt").string(), "/etc/passwd"};
    for (auto& target : targets) {
      auto reply = raw_get(port, target);
      EXPECT_EQ(reply.find("root:"), std::string::npos) << target;
      EXPECT_EQ(reply.find("TOP-SECRET"), std::string::npos) << target;
      EXPECT_EQ(reply.find("SQLite format"), std::string::npos) << target;
      EXPECT_EQ(reply.find("tok-7f3a9"), std::string::npos) << target;
      EXPECT_EQ(reply.find("PMS_"), std::string::npos) << target;
      // Refused outright, except a plain path the UI could route ("/etc/passwd"), which gets the UI.
      if (target != "/etc/passwd") EXPECT_NE(status_of(reply), 200) << target << "\n" << reply.substr(0, 200);
    }
  }
}

// Finding 4: a page elsewhere could run turns (text/plain needs no preflight) and delete.
TEST_F(SecurityE2e, ForeignPagesCannotRunTurnsOrDelete) {
  start_server();
  auto port = server_->port();
  llm_->push(answer({"kept"}));
  ASSERT_EQ(http_call(port, "POST", "/api/chat", R"({"message": "Keep me", "conversation_id": "keep-1"})").status, 200);
  std::string body = R"({"message": "Run a turn", "conversation_id": "evil-1"})";
  auto code_of = [](const HttpReply& r) { return std::string(json::parse(r.body).at("error").at("code").as_string()); };
  for (std::string origin : {"http://evil.example", "null", "http://127.0.0.1:1"}) {
    SCOPED_TRACE(origin);
    auto plain = http_call(port, "POST", "/api/chat", body, {{"Origin", origin}, {"Content-Type", "text/plain"}});
    EXPECT_EQ(plain.status, 403);
    EXPECT_EQ(code_of(plain), "origin_not_allowed");
    EXPECT_EQ(http_call(port, "POST", "/api/chat", body, {{"Origin", origin}}).status, 403);
    auto del = http_call(port, "DELETE", "/api/conversations/keep-1", "", {{"Origin", origin}});
    EXPECT_EQ(del.status, 403);
    EXPECT_EQ(code_of(del), "origin_not_allowed");
  }
  // Without an Origin (not a browser), the body must still be JSON.
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
    auto r = http_call(port, "POST", "/api/chat", body, {{"Content-Type", type}});
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_EQ(code_of(r), "unsupported_media_type");
  }
  EXPECT_EQ(llm_->chat_requests().size(), 1u);  // no refused request ran a turn
  EXPECT_EQ(http_call(port, "GET", "/api/conversations/keep-1").status, 200);
  EXPECT_EQ(http_call(port, "GET", "/api/conversations/evil-1").status, 404);
  // The server's own page may.
  auto own = http_call(port, "DELETE", "/api/conversations/keep-1", "",
                       {{"Host", host_header("127.0.0.1")}, {"Origin", "http://" + host_header("127.0.0.1")}});
  EXPECT_EQ(own.status, 204) << own.body;
}

// Finding 4: a rebound name (`Host: evil.example:8000`, Origin to match) got everything.
TEST_F(SecurityE2e, ARebindingHostIsRefusedEverywhere) {
  start_server({"--web-root", make_web_root().string()});
  auto port = server_->port();
  std::vector<std::pair<std::string, std::string>> rebound{{"Host", host_header("evil.example")},
                                                           {"Origin", "http://" + host_header("evil.example")}};
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/collections"}, {"GET", "/api/status"}, {"DELETE", "/api/conversations/x"}, {"GET", "/health"},
           {"GET", "/"}, {"GET", "/assets/app-1a2b.js"}, {"GET", "/conversations/abc"}, {"OPTIONS", "/api/chat"}}) {
    auto r = http_call(port, method, target, "", rebound);
    EXPECT_EQ(r.status, 421) << method << " " << target;
    auto error = json::parse(r.body).at("error");
    EXPECT_EQ(error.at("code"), "host_not_allowed");
    EXPECT_NE(std::string(error.at("message").as_string()).find("--allowed-hosts"), std::string::npos);
  }
  auto ws = refusal(server_->ws_url(), {{"Host", host_header("evil.example")}, {"Origin", "http://" + host_header("evil.example")}});
  EXPECT_NE(ws.find("HTTP 421"), std::string::npos) << ws;
  // The names the server is known by still work.
  for (std::string name : {"localhost", "127.0.0.1", "[::1]"}) {
    EXPECT_EQ(http_call(port, "GET", "/api/collections", "", {{"Host", host_header(name)}}).status, 200) << name;
    EXPECT_EQ(refusal(server_->ws_url(), {{"Host", host_header(name)}, {"Origin", "http://" + host_header(name)}}), "") << name;
  }
  EXPECT_EQ(llm_->chat_requests().size(), 0u);
}

TEST_F(SecurityE2e, AllowedHostsAdmitsTheListedNames) {
  start_server({"--allowed-hosts", "pms.example,.corp.example"});
  auto port = server_->port();
  for (std::string name : {"pms.example", "ui.corp.example"}) {
    EXPECT_EQ(http_call(port, "GET", "/api/collections", "", {{"Host", host_header(name)}}).status, 200) << name;
    EXPECT_EQ(refusal(server_->ws_url(), {{"Host", host_header(name)}, {"Origin", "http://" + host_header(name)}}), "") << name;
  }
  EXPECT_EQ(http_call(port, "GET", "/api/collections", "", {{"Host", host_header("other.example")}}).status, 421);
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
