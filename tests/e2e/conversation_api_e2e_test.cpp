// The conversation routes beyond reading and deleting: titles from the planner's reading and
// renames, server-side search, and readers' ratings of answers counted in /api/status.
#include "e2e/e2e_fixture.hpp"
#include "core/time_util.hpp"
#include "server/tenant_token.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

class ConversationApiE2e : public E2eTest {
 protected:
  HttpReply call(const std::string& method, const std::string& target, const std::string& body = {},
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return http_call(server_->port(), method, target, body, headers);
  }
  json::value ok_json(const std::string& method, const std::string& target, const std::string& body = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    auto r = call(method, target, body, headers);
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.body;
    return json::parse(r.body);
  }
  // The error code of a refused call, checking its status.
  std::string refused(int status, const std::string& method, const std::string& target, const std::string& body = {}) {
    auto r = call(method, target, body);
    EXPECT_EQ(r.status, status) << method << " " << target << ": " << r.body;
    return std::string(json::parse(r.body).at("error").at("code").as_string());
  }
  // Asks the planner in conversation `id`.
  json::value ask(const std::string& id, const std::string& question,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    return ok_json("POST", "/api/chat", dump(json::object{{"message", question}, {"conversation_id", id}, {"mode", "planner"}}), headers);
  }
  std::vector<std::string> found(const std::string& q, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    std::vector<std::string> ids;
    auto list = ok_json("GET", "/api/conversations?q=" + q, {}, headers);
    for (auto& c : list.at("conversations").as_array())
      ids.emplace_back(c.at("conversation_id").as_string());
    return ids;
  }
  // The place of the newest answer in the conversation's messages.
  std::int64_t last_answer(const std::string& id, const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    auto msgs = ok_json("GET", "/api/conversations/" + id, {}, headers).at("messages").as_array();
    for (auto i = static_cast<std::int64_t>(msgs.size()) - 1; i >= 0; --i) {
      auto& m = msgs[static_cast<std::size_t>(i)].as_object();
      if (m.at("role") == "assistant" && !m.contains("tool_calls")) return i;
    }
    ADD_FAILURE() << id << " has no answer";
    return -1;
  }
};

TEST_F(ConversationApiE2e, ATitleFromThePlannersReadingThatARenameReplaces) {
  start_server();
  ask("planned", "how many open bugs in mobile app?");
  ask("planned", "and only the high priority ones?");
  ask("refused", "/q what is the weather in paris");
  std::map<std::string, std::string> titles;
  auto list = ok_json("GET", "/api/conversations");
  for (auto& c : list.at("conversations").as_array())
    titles[std::string(c.at("conversation_id").as_string())] = std::string(c.at("title").as_string());
  EXPECT_TRUE(titles["planned"].starts_with("Count work items where ")) << titles["planned"];
  EXPECT_NE(titles["planned"].find("Mobile App"), std::string::npos) << titles["planned"];
  EXPECT_EQ(titles["refused"], "What is the weather in paris");

  auto renamed = ok_json("PATCH", "/api/conversations/planned", R"({"title": "  Mobile\n bugs  "})");
  EXPECT_EQ(renamed.at("title"), "Mobile bugs");
  ask("planned", "show them by priority");
  EXPECT_EQ(ok_json("GET", "/api/conversations").at("conversations").at(0).at("title"), "Mobile bugs");

  EXPECT_EQ(refused(400, "PATCH", "/api/conversations/planned", R"({"title": "   "})"), "invalid_message");
  EXPECT_EQ(refused(400, "PATCH", "/api/conversations/planned", R"({"name": "x"})"), "invalid_message");
  EXPECT_EQ(refused(400, "PATCH", "/api/conversations/planned", dump(json::object{{"title", std::string(121, 'x')}})), "invalid_message");
  EXPECT_EQ(refused(400, "PATCH", "/api/conversations/planned", "{nope"), "invalid_json");
  EXPECT_EQ(refused(404, "PATCH", "/api/conversations/none", R"({"title": "x"})"), "not_found");
  EXPECT_EQ(refused(400, "PATCH", "/api/conversations/bad%20id", R"({"title": "x"})"), "invalid_id");
  ok_json("PATCH", "/api/conversations/planned", dump(json::object{{"title", std::string(120, 'x')}}));
}

TEST_F(ConversationApiE2e, SearchFindsAWordOfAnAnswer) {
  start_server();
  ask("bugs", "open bugs by priority");
  ask("cycles", "how many cycles are there?");
  auto answer = std::string(ok_json("GET", "/api/conversations/bugs").at("messages").as_array().back().at("content").as_string());
  ASSERT_NE(answer.find("URGENT"), std::string::npos) << answer;
  EXPECT_EQ(found("urgent"), (std::vector<std::string>{"bugs"}));
  EXPECT_EQ(found("CYCLES"), (std::vector<std::string>{"cycles"}));
  EXPECT_EQ(found("how%20cycles"), (std::vector<std::string>{"cycles"}));
  EXPECT_EQ(found("urgent%20cycles"), (std::vector<std::string>{}));
  EXPECT_EQ(found("%25"), (std::vector<std::string>{}));
  EXPECT_EQ(found("").size(), 2u);
  EXPECT_EQ(refused(400, "GET", "/api/conversations?q=" + std::string(201, 'a')), "invalid_message");
}

TEST_F(ConversationApiE2e, AnAnswersRatingIsStoredReloadedAndCounted) {
  start_server();
  ask("rated", "how many projects are there?");
  ask("rated", "how many cycles are there?");
  auto status_feedback = [&] { return ok_json("GET", "/api/status").at("feedback"); };
  EXPECT_EQ(status_feedback(), (json::value{{"up", 0}, {"down", 0}}));
  auto n = last_answer("rated");
  auto target = "/api/conversations/rated/messages/" + std::to_string(n) + "/feedback";
  auto saved = ok_json("PUT", target, R"({"rating": "down"})");
  EXPECT_EQ(saved, (json::value{{"conversation_id", "rated"}, {"message", n}, {"rating", "down"}}));
  ok_json("PUT", target, R"({"rating": "up"})");
  EXPECT_EQ(ok_json("GET", "/api/conversations/rated").at("messages").at(static_cast<std::size_t>(n)).at("feedback"), "up");
  EXPECT_EQ(status_feedback(), (json::value{{"up", 1}, {"down", 0}}));

  server_.reset();  // the rating is in the file
  start_server();
  EXPECT_EQ(status_feedback(), (json::value{{"up", 1}, {"down", 0}}));
  ok_json("PUT", target, R"({"rating": null})");
  EXPECT_FALSE(ok_json("GET", "/api/conversations/rated").at("messages").at(static_cast<std::size_t>(n)).as_object().contains("feedback"));
  EXPECT_EQ(status_feedback(), (json::value{{"up", 0}, {"down", 0}}));

  EXPECT_EQ(refused(400, "PUT", "/api/conversations/rated/messages/0/feedback", R"({"rating": "up"})"), "invalid_message");  // a question
  EXPECT_EQ(refused(404, "PUT", "/api/conversations/rated/messages/999/feedback", R"({"rating": "up"})"), "not_found");
  EXPECT_EQ(refused(404, "PUT", "/api/conversations/none/messages/1/feedback", R"({"rating": "up"})"), "not_found");
  EXPECT_EQ(refused(400, "PUT", target, R"({"rating": "meh"})"), "invalid_message");
  EXPECT_EQ(refused(400, "PUT", target, R"({})"), "invalid_message");
  EXPECT_EQ(refused(400, "PUT", "/api/conversations/rated/messages/-1/feedback", R"({"rating": "up"})"), "invalid_id");
  EXPECT_EQ(refused(405, "POST", target, R"({"rating": "up"})"), "method_not_allowed");
  EXPECT_EQ(refused(404, "PUT", "/api/conversations/rated/messages//feedback", R"({"rating": "up"})"), "not_found");
}

// A page on an allowed origin may rename and rate: its preflight is answered with both methods.
TEST_F(ConversationApiE2e, APreflightAllowsRenamesAndRatings) {
  start_server({"--allowed-origins", "http://localhost:5173"});
  auto r = call("OPTIONS", "/api/conversations/c1", {}, {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "PATCH"}});
  EXPECT_EQ(r.status, 204);
  auto methods = r.headers.at("access-control-allow-methods");
  EXPECT_NE(methods.find("PATCH"), std::string::npos) << methods;
  EXPECT_NE(methods.find("PUT"), std::string::npos) << methods;
}

// Another business's conversation cannot be renamed, rated or found, and its ratings are not counted.
TEST_F(ConversationApiE2e, RenamesRatingsAndSearchStayWithTheirTenant) {
  constexpr const char* kSecret = "conversation-test-secret";
  start_server({"--tenant-secret", kSecret});
  store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
  auto businesses = db.distinct("project", "business._id", nullptr);
  ASSERT_EQ(businesses.size(), 2u);
  auto as = [&](const json::value& b) {
    return std::vector<std::pair<std::string, std::string>>{{"X-PMS-Tenant", server::make_tenant_token(kSecret, std::string(b.as_string()), unix_now() + 600)}};
  };
  auto a = as(businesses[0]), b = as(businesses[1]);
  ask("mine", "how many projects are there?", a);
  auto n = std::to_string(last_answer("mine", a));
  EXPECT_EQ(call("PATCH", "/api/conversations/mine", R"({"title": "B's now"})", b).status, 404);
  EXPECT_EQ(call("PUT", "/api/conversations/mine/messages/" + n + "/feedback", R"({"rating": "down"})", b).status, 404);
  EXPECT_EQ(found("projects", b), (std::vector<std::string>{}));
  EXPECT_EQ(found("projects", a), (std::vector<std::string>{"mine"}));
  ok_json("PUT", "/api/conversations/mine/messages/" + n + "/feedback", R"({"rating": "down"})", a);
  EXPECT_EQ(ok_json("GET", "/api/status", {}, a).at("feedback"), (json::value{{"up", 0}, {"down", 1}}));
  EXPECT_EQ(ok_json("GET", "/api/status", {}, b).at("feedback"), (json::value{{"up", 0}, {"down", 0}}));
}

}  // namespace
