// The database failing under a running server: a query that runs too long and a database file
// another program has locked. Every turn ends with `complete` or `error`, never hangs, and the
// next question works once the database is back.
#include "e2e/database_lock.hpp"
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"


using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

class DatabaseFaultsE2e : public E2eTest {};

TEST_F(DatabaseFaultsE2e, AQueryOverTheTimeLimitIsAToolErrorTheModelAnswersFrom) {
  {
    store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
    std::vector<json::value> items;
    for (int i = 0; i < 20000; ++i)
      items.push_back(json::object{{"_id", std::to_string(i)}, {"description", "item " + std::to_string(i)}});
    db.replace_collection("workItem", items);
  }
  // Reading 20,000 documents takes far longer than a millisecond.
  start_server({"--query-timeout", "0.001"});
  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "workItem", "filter": {"description": {"$regex": "9$"}}})")));
  llm_->push(answer({"The database was too slow to count them."}));
  auto c = connect();
  c->send(message("How many items end in 9?"));
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  auto tool_end = std::find_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "tool_end"; });
  ASSERT_NE(tool_end, ev.end());
  EXPECT_EQ(tool_end->at("ok"), false);
  EXPECT_NE(std::string(tool_end->at("output").as_string()).find("--query-timeout"), std::string::npos) << dump(*tool_end);
  // The model was told, so it could say so.
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  auto& last = reqs[1].body.at("messages").as_array().back();
  EXPECT_EQ(last.at("role"), "tool");
  EXPECT_NE(std::string(last.at("content").as_string()).find("ran longer than"), std::string::npos);
}

TEST_F(DatabaseFaultsE2e, ALockedDatabaseEndsTheTurnWithAnErrorWithinTheTimeoutAndRecovers) {
  start_server({"--query-timeout", "0.5"});
  // Another program holds the write lock (a long import, say): answers cannot be saved.
  DatabaseWriteLock other(db_path());

  llm_->push(answer({"Twelve", "."}));
  auto c = connect();
  auto start = std::chrono::steady_clock::now();
  c->send(message("How many projects?", "conv-locked"));
  auto ev = until_done(*c, 10s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_EQ(types(ev).back(), "error");
  EXPECT_EQ(ev.back().at("code"), "database_error");
  EXPECT_EQ(ev.back().at("conversation_id"), "conv-locked");
  auto msg = std::string(ev.back().at("message").as_string());
  EXPECT_NE(msg.find("not saved"), std::string::npos) << msg;
  EXPECT_NE(msg.find("locked by another program"), std::string::npos) << msg;
  EXPECT_EQ(joined_tokens(ev), "Twelve.");  // the answer itself still reached the user

  other.release();
  llm_->push(answer({"Six", "."}));
  c->send(message("And now?", "conv-locked"));
  ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("response"), "Six.");
}

TEST_F(DatabaseFaultsE2e, AnUnreachableMongoDbIsReportedAndEveryTurnStillEnds) {
  // Nothing listens on port 1 of the loopback. The server starts anyway.
  start_server({"--mongo-uri", "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300"});
  auto status = json::parse(http_call(server_->port(), "GET", "/api/status").body);
  EXPECT_EQ(status.at("database").at("backend"), "mongodb");
  EXPECT_EQ(status.at("database").at("reachable"), false);
  EXPECT_NE(std::string(status.at("database").at("error").as_string()).find("cannot use MongoDB at mongodb://127.0.0.1:1"),
            std::string::npos) << dump(status);

  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "workItem"})")));
  llm_->push(answer({"The database is unreachable."}));
  auto c = connect();
  c->send(message("How many work items?"));
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  auto tool_end = std::find_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "tool_end"; });
  ASSERT_NE(tool_end, ev.end());
  EXPECT_EQ(tool_end->at("ok"), false);
  EXPECT_NE(std::string(tool_end->at("output").as_string()).find("cannot use MongoDB"), std::string::npos) << dump(*tool_end);
}

}  // namespace
