// Answers without a model on the real server: --llm none, "/q" with a model up, MongoDB shell
// queries, and the stored-value hints the model gets. Expected numbers come from direct queries
// on the database file, never from the planner.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <algorithm>
#include <thread>

using namespace pms;
using namespace pms::testing;

namespace {

using Seq = std::vector<std::string>;

class PlannerE2e : public E2eTest {
 protected:
  std::int64_t count(std::string_view collection, std::string_view filter) {
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    return db.count(collection, json::parse(filter));
  }
  // The events' types with each run of tokens as one "token".
  static Seq shape(const Events& ev) {
    Seq out;
    for (auto& t : types(ev))
      if (out.empty() || t != "token" || out.back() != "token") out.push_back(t);
    return out;
  }
};

TEST_F(PlannerE2e, WithoutAnLlmTheToolCallsAreShownAndTheAnswerStreams) {
  start_server({"--llm", "none"});
  auto c = connect();
  c->send(message("how many urgent bugs are still open?"));
  auto ev = until_done(*c);
  EXPECT_EQ(shape(ev), (Seq{"user_message", "tool_start", "tool_end", "token", "complete"}));
  auto& start = ev[1];
  EXPECT_EQ(start.at("tool_name"), "count_documents");
  auto n = count("workItem", R"({"priority": "URGENT", "state.name": {"$nin": ["Done", "Cancelled"]}})");
  EXPECT_NE(joined_tokens(ev).find("**" + std::to_string(n) + "** work item"), std::string::npos) << joined_tokens(ev);
  auto& done = ev.back();
  EXPECT_EQ(done.at("answered_by"), "planner");
  EXPECT_EQ(done.at("llm_calls"), 0);
  EXPECT_EQ(done.at("response"), json::value(joined_tokens(ev)));
  EXPECT_TRUE(llm_->chat_requests().empty());

  auto status = json::parse(http_call(server_->port(), "GET", "/api/status").body);
  EXPECT_EQ(status.at("llm").at("provider"), "none");
}

TEST_F(PlannerE2e, SlashQUsesThePlannerEvenWithAModelUp) {
  start_server();
  auto c = connect();
  c->send(message("/q work items by priority"));
  auto ev = until_done(*c);
  ASSERT_EQ(shape(ev), (Seq{"user_message", "tool_start", "tool_end", "token", "complete"}));
  EXPECT_EQ(ev[1].at("tool_name"), "aggregate");
  auto text = joined_tokens(ev);
  for (auto p : {"URGENT", "HIGH", "MEDIUM", "LOW", "NONE"}) {
    auto n = count("workItem", std::string(R"({"priority": ")") + p + "\"}");
    EXPECT_NE(text.find("| " + std::string(p) + " | " + std::to_string(n) + " |"), std::string::npos) << p << "\n" << text;
  }
  EXPECT_TRUE(llm_->chat_requests().empty()) << "the model must not be asked";

  // The planner's turn is part of the conversation the model sees next.
  llm_->push(answer({"ok"}));
  c->send(message("and what about the Mobile App?", std::string(ev.back().at("conversation_id").as_string())));
  until_done(*c);
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  std::string history = dump(reqs[0].body.at("messages"));
  EXPECT_NE(history.find("/q work items by priority"), std::string::npos);
  EXPECT_NE(history.find("\"role\":\"tool\""), std::string::npos);
  // And the model is told, in one line, what the planner's last answer counted.
  std::string system(reqs[0].body.at("messages").as_array().at(0).at("content").as_string());
  EXPECT_NE(system.find("The last answer (by the built-in planner) was: work items by priority."), std::string::npos) << system;
}

TEST_F(PlannerE2e, ShellQueriesRunAsWritten) {
  start_server();
  auto c = connect();
  c->send(message("db.workItem.countDocuments({priority: 'HIGH', 'state.name': {$in: ['Todo', 'Backlog']}})"));
  auto ev = until_done(*c);
  ASSERT_EQ(shape(ev), (Seq{"user_message", "tool_start", "tool_end", "token", "complete"}));
  EXPECT_EQ(ev[1].at("arguments"), json::parse(R"({"collection": "workItem", "filter": {"priority": "HIGH", "state.name": {"$in": ["Todo", "Backlog"]}}})"));
  auto n = count("workItem", R"({"priority": "HIGH", "state.name": {"$in": ["Todo", "Backlog"]}})");
  EXPECT_NE(joined_tokens(ev).find("**" + std::to_string(n) + "**"), std::string::npos) << joined_tokens(ev);
  EXPECT_EQ(ev.back().at("answered_by"), "shell");

  // Writes are not part of the language: a clear answer, nothing run.
  c->send(message("db.workItem.deleteMany({})"));
  auto bad = until_done(*c);
  EXPECT_EQ(shape(bad), (Seq{"user_message", "token", "complete"}));
  EXPECT_NE(joined_tokens(bad).find("not supported"), std::string::npos) << joined_tokens(bad);

  // A number out of range is the tool's readable error, not a library's message.
  c->send(message("db.workItem.find({}).limit(99999999999999999999)"));
  auto huge = until_done(*c);
  std::string said;
  for (auto& e : huge) said += dump(json::value(e)) + "\n";
  EXPECT_EQ(huge.back().at("type"), "complete") << said;
  EXPECT_NE(said.find("limit"), std::string::npos) << said;
  EXPECT_EQ(said.find("boost"), std::string::npos) << said;
  EXPECT_EQ(said.find("::"), std::string::npos) << said;
  EXPECT_TRUE(llm_->chat_requests().empty());
}

TEST_F(PlannerE2e, TheModelGetsTheStoredValuesTheQuestionMeans) {
  start_server();
  llm_->push(answer({"Some."}));
  auto c = connect();
  c->send(message("how many high priority bugs are in progres?"));
  until_done(*c);
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  std::string system(reqs[0].body.at("messages").as_array().front().at("content").as_string());
  EXPECT_NE(system.find("priority: \"HIGH\""), std::string::npos) << system;
  // "in progress" is the Started state group where the documents carry one (issue 15).
  EXPECT_NE(system.find("stateMaster.name: \"STARTED\""), std::string::npos) << system;
}

// Another program writing to the database (an import) is noticed: within seconds the planner
// links the new names.
TEST_F(PlannerE2e, TheCatalogFollowsChangesToTheData) {
  start_server({"--llm", "none"});
  auto c = connect();
  auto ask = [&](std::string q) {
    c->send(message(q));
    return until_done(*c);
  };
  auto before = types(ask("how many work items are in the quantum sync module?"));
  EXPECT_EQ(std::count(before.begin(), before.end(), "tool_start"), 0) << "an unknown name is not guessed";
  {
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    auto modules = db.find({"module", nullptr, nullptr, nullptr, 0, 0});
    modules.push_back(json::object{{"_id", "m-quantum"}, {"title", "Quantum Sync"}, {"project", modules.front().at("project")},
                                   {"business", modules.front().at("business")}});
    db.replace_collection("module", modules);
  }
  std::string answer;
  for (int i = 0; i < 40 && answer.find("**0** work items") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    answer = joined_tokens(ask("how many work items are in the quantum sync module?"));
  }
  EXPECT_NE(answer.find("**0** work items match: module is Quantum Sync"), std::string::npos) << answer;
}

}  // namespace
