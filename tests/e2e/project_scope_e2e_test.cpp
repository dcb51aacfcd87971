// A conversation limited to one project on the real server (the chat's scope selector): the
// planner's and the model's queries see only that project, the scope is saved with each question,
// the tenant's projects are listed for choosing, and a project that does not exist is a clear
// error that saves nothing. Expected numbers come from direct queries on the database file.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

using namespace pms;
using namespace pms::testing;

namespace {

struct Project {
  std::string id, short_id, name;
  std::int64_t items = 0;
};

class ProjectScopeE2e : public E2eTest {
 protected:
  void start(std::vector<std::string> extra) {
    start_server(std::move(extra));
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    for (auto& p : db.find({"project", nullptr, nullptr, json::object{{"name", 1}}, 0, 0})) {
      Project pr{std::string(p.at("_id").as_string()), std::string(p.at("projectDisplayId").as_string()), std::string(p.at("name").as_string())};
      pr.items = db.count("workItem", json::object{{"project._id", pr.id}});
      projects_.push_back(pr);
    }
    total_ = db.count("workItem", json::object{});
    ASSERT_GE(projects_.size(), 2u);
  }
  static json::object scoped(std::string_view text, std::string_view project, std::string_view conversation = {}) {
    auto m = message(text, conversation);
    m["project"] = project;
    return m;
  }
  static std::string bold(std::int64_t n) { return "**" + std::to_string(n) + "**"; }
  std::vector<Project> projects_;
  std::int64_t total_ = 0;
};

}  // namespace

TEST_F(ProjectScopeE2e, TheTenantsProjectsAreListedByName) {
  start({"--llm", "none"});
  auto r = http_call(server_->port(), "GET", "/api/projects");
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = json::parse(r.body).at("projects").as_array();
  ASSERT_EQ(list.size(), projects_.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    EXPECT_EQ(list[i].at("name"), projects_[i].name.c_str());
    EXPECT_EQ(list[i].at("short_id"), projects_[i].short_id.c_str());
    EXPECT_EQ(list[i].at("id"), projects_[i].id.c_str());
  }
}

TEST_F(ProjectScopeE2e, TheOverviewOfAProjectNamesOnlyIt) {
  start({"--llm", "none"});
  auto r = http_call(server_->port(), "GET", "/api/overview?project=" + projects_[1].short_id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body).at("projects"), json::array{projects_[1].name.c_str()});
  auto all = json::parse(http_call(server_->port(), "GET", "/api/overview").body);
  EXPECT_EQ(all.at("projects").as_array().size(), projects_.size());
  auto unknown = http_call(server_->port(), "GET", "/api/overview?project=NOPE");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("unknown_project"), std::string::npos) << unknown.body;
}

TEST_F(ProjectScopeE2e, APlannerAnswerCountsOnlyTheProjectAndTheScopeIsSavedWithTheQuestion) {
  start({"--llm", "none"});
  const auto& p = projects_[0];
  ASSERT_NE(p.items, total_);
  auto c = connect();
  c->send(scoped("how many work items are there?", p.short_id, "scoped-1"));
  auto ev = until_done(*c);
  auto& done = ev.back();
  ASSERT_EQ(type_of(done), "complete") << dump(done);
  EXPECT_EQ(done.at("project").at("short_id"), p.short_id.c_str());
  EXPECT_EQ(done.at("project").at("name"), p.name.c_str());
  auto answer = std::string(done.at("response").as_string());
  EXPECT_NE(answer.find(bold(p.items)), std::string::npos) << answer;
  EXPECT_NE(answer.find(p.name), std::string::npos) << answer;  // it says which project

  // The same conversation without the scope: every project again, and the question says so.
  c->send(message("how many work items are there?", "scoped-1"));
  auto all = until_done(*c);
  EXPECT_FALSE(all.back().contains("project"));
  EXPECT_NE(std::string(all.back().at("response").as_string()).find(bold(total_)), std::string::npos);

  auto saved = json::parse(http_call(server_->port(), "GET", "/api/conversations/scoped-1").body).at("messages").as_array();
  std::vector<json::value> questions;
  for (auto& m : saved)
    if (m.at("role") == "user") questions.push_back(m);
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_EQ(questions[0].at("project").at("id"), p.id.c_str());
  EXPECT_FALSE(questions[1].as_object().contains("project"));
}

TEST_F(ProjectScopeE2e, AQuestionAboutAnotherProjectIsRefusedNotAnsweredWithZero) {
  start({"--llm", "none"});
  auto c = connect();
  c->send(scoped("how many work items are in " + projects_[1].name + "?", projects_[0].short_id));
  auto done = until_done(*c).back();
  ASSERT_EQ(type_of(done), "complete") << dump(done);
  auto answer = std::string(done.at("response").as_string());
  EXPECT_NE(answer.find("limited to the project " + projects_[0].name), std::string::npos) << answer;
  EXPECT_EQ(answer.find("**0**"), std::string::npos) << answer;
}

TEST_F(ProjectScopeE2e, AnUnknownProjectIsAClearErrorThatSavesNothing) {
  start({"--llm", "none"});
  auto c = connect();
  c->send(scoped("how many work items?", "NO-SUCH-PROJECT", "scoped-unknown"));
  auto done = until_done(*c).back();
  ASSERT_EQ(type_of(done), "error");
  EXPECT_EQ(done.at("code"), "unknown_project");
  EXPECT_EQ(done.at("conversation_id"), "scoped-unknown");
  EXPECT_NE(std::string(done.at("message").as_string()).find("NO-SUCH-PROJECT"), std::string::npos);
  EXPECT_EQ(http_call(server_->port(), "GET", "/api/conversations/scoped-unknown").status, 404);
  // A project that is not a string is a bad frame; the connection stays usable.
  auto bad = message("how many work items?");
  bad["project"] = 7;
  c->send(bad);
  auto e = next_of_type(*c, "error");
  EXPECT_EQ(e.at("code"), "invalid_message");
  EXPECT_FALSE(e.contains("conversation_id"));
  auto rest = http_call(server_->port(), "POST", "/api/chat", R"({"message": "how many work items?", "project": "NO-SUCH-PROJECT"})");
  EXPECT_EQ(rest.status, 400) << rest.body;
  EXPECT_NE(rest.body.find("unknown_project"), std::string::npos);
}

TEST_F(ProjectScopeE2e, TheModelsToolsSeeOnlyTheProjectAndItIsToldSo) {
  start({});
  const auto& p = projects_[1];
  ScriptedReply call;
  call.tool_calls.push_back({"count_documents", json::parse(R"({"collection": "workItem", "filter": {}})")});
  call.tool_calls.push_back({"distinct_values", json::parse(R"({"collection": "workItem", "field": "project._id"})")});
  llm_->push(call);
  llm_->push(answer({"Counted."}));
  auto rest = http_call(server_->port(), "POST", "/api/chat", R"({"message": "count everything", "project": ")" + p.id + "\"}");
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(json::parse(rest.body).at("project").at("name"), p.name.c_str());
  auto requests = llm_->chat_requests();
  ASSERT_EQ(requests.size(), 2u);
  auto& messages = requests[1].body.at("messages").as_array();
  EXPECT_NE(dump(messages.at(0)).find("limited to the project " + p.name), std::string::npos);
  std::vector<std::string> results;
  for (auto& m : messages)
    if (m.at("role") == "tool") results.push_back(std::string(m.at("content").as_string()));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_NE(results[0].find(std::to_string(p.items)), std::string::npos) << results[0];
  EXPECT_NE(results[1].find(p.id), std::string::npos) << results[1];
  for (auto& other : projects_)
    if (other.id != p.id) EXPECT_EQ(results[1].find(other.id), std::string::npos) << results[1];
}
