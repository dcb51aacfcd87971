// Queries the model runs are bounded in the real server (issue 14): with a small --query-timeout, a
// $group of every id, a $lookup self-join and a regular expression RE2 cannot run on a DFA end
// promptly, each as a tool error the model can read; a client's cancel stops a long query, and so
// does SIGTERM. Unbounded, the join and the regex would each run for far longer than the bounds.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <csignal>
#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

// No match in titles of the letters a-t, and each byte costs ~1 us once RE2's DFA gives up.
constexpr const char* kSlowRegex = "[a-q][^u-z]{60}x";

class QueryLimitsE2e : public E2eTest {
 protected:
  // 20,000 work items with 1,000-letter titles (indexed by default), built once for the suite.
  static void SetUpTestSuite() {
    data_ = new std::string((std::filesystem::temp_directory_path() / ("pms-query-limits-e2e-" + std::to_string(::getpid()) + ".db")).string());
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(*data_ + suffix);
    store::sqlite::SqliteDocumentStore db(*data_, "ProjectManagement");
    std::vector<json::value> items;
    unsigned seed = 7;
    for (int i = 0; i < 20000; ++i) {
      std::string title(1000, 'a');
      for (auto& c : title) {
        seed = seed * 1103515245 + 12345;
        c = static_cast<char>('a' + (seed >> 16) % 20);
      }
      items.push_back(json::object{{"_id", "wi-" + std::to_string(i)}, {"title", title}, {"priority", i % 2 ? "HIGH" : "LOW"}});
    }
    db.replace_collection("workItem", items);
  }
  static void TearDownTestSuite() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(*data_ + suffix);
    delete data_;
  }

  // Asks one question whose first step is the tool call `arguments`; returns its tool_end event
  // and checks that the turn ended within `bound`.
  json::object tool_end_of(const char* tool, const char* arguments, std::chrono::seconds bound = 10s) {
    llm_->push(call_tool(tool, json::parse(arguments)));
    llm_->push(answer({"Done."}));
    auto c = connect();
    auto start = std::chrono::steady_clock::now();
    c->send(message("Run it"));
    auto ev = until_done(*c, 60s);
    EXPECT_LT(std::chrono::steady_clock::now() - start, bound) << arguments;
    EXPECT_EQ(types(ev).back(), "complete") << arguments;
    auto end = std::find_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "tool_end"; });
    if (end == ev.end()) {
      ADD_FAILURE() << "no tool_end for " << arguments;
      return {};
    }
    return *end;
  }

  // A failed tool call whose message names `option` (or `other`), and nothing internal.
  static void expect_readable(const json::object& tool_end, std::string_view option, std::string_view other = {}) {
    auto out = std::string(string_member(tool_end, "output").value_or(""));
    EXPECT_EQ(tool_end.at("ok"), false) << out;
    EXPECT_TRUE(out.find(option) != std::string::npos || (!other.empty() && out.find(other) != std::string::npos)) << out;
    EXPECT_EQ(out.find("::"), std::string::npos) << out;
    EXPECT_EQ(out.find(".hpp"), std::string::npos) << out;
  }

  // A question whose tool call runs the slow regex over every title, running for 300 ms so far.
  std::unique_ptr<client::ChatClient> start_a_long_query() {
    auto args = std::string(R"({"collection": "workItem", "filter": {"title": {"$regex": ")") + kSlowRegex + R"("}}})";
    llm_->push(call_tool("count_documents", json::parse(args)));
    auto c = connect();
    c->send(message("Count the impossible"));
    next_of_type(*c, "tool_start");
    std::this_thread::sleep_for(300ms);
    return c;
  }

  static std::string* data_;
};

std::string* QueryLimitsE2e::data_ = nullptr;

TEST_F(QueryLimitsE2e, ACatastrophicRegexOnTheIndexedTitleIsAPromptToolError) {
  start_server({"--db", *data_, "--query-timeout", "0.3"});
  auto args = std::string(R"({"collection": "workItem", "filter": {"title": {"$regex": ")") + kSlowRegex + R"("}}})";
  expect_readable(tool_end_of("count_documents", args.c_str(), 5s), "--query-timeout");
  expect_readable(tool_end_of("distinct_values", (args.substr(0, args.size() - 1) + R"(, "field": "priority"})").c_str(), 5s),
                  "--query-timeout");
}

TEST_F(QueryLimitsE2e, ALookupSelfJoinIsAPromptToolError) {
  start_server({"--db", *data_, "--query-timeout", "2"});
  auto end = tool_end_of("aggregate", R"({"collection": "workItem", "pipeline": [
      {"$lookup": {"from": "workItem", "localField": "priority", "foreignField": "priority", "as": "same"}}]})", 8s);
  // 20,000 x 10,000 copies of 1 KB documents: the memory cap stops it (or, on a slow machine, the clock).
  expect_readable(end, "--query-memory-mb", "--query-timeout");
  EXPECT_LT(end.at("elapsed_ms").to_number<double>(), 5000);
}

TEST_F(QueryLimitsE2e, TheServersMemoryOptionCapsAQuery) {
  // 1 MiB cannot hold 20,000 titles of 1,000 letters in a group; 256 MiB, the default, could.
  start_server({"--db", *data_, "--query-timeout", "20", "--query-memory-mb", "1"});
  auto end = tool_end_of("aggregate", R"({"collection": "workItem", "pipeline": [
      {"$group": {"_id": null, "titles": {"$push": "$title"}}}, {"$project": {"n": {"$size": "$titles"}}}]})", 20s);
  expect_readable(end, "--query-memory-mb");
}

TEST_F(QueryLimitsE2e, AGroupOfEveryIdEndsPromptly) {
  start_server({"--db", *data_, "--query-timeout", "2"});
  auto end = tool_end_of("aggregate", R"({"collection": "workItem", "pipeline": [
      {"$group": {"_id": null, "ids": {"$addToSet": "$_id"}}}, {"$project": {"n": {"$size": "$ids"}}}]})", 8s);
  auto out = std::string(string_member(end, "output").value_or(""));
  // Quick and complete now; were it too slow, it would be the readable timeout.
  if (end.at("ok") == true) EXPECT_NE(out.find("20000"), std::string::npos) << out;
  else expect_readable(end, "--query-timeout");
}

TEST_F(QueryLimitsE2e, ACancelStopsALongQueryAndTheDatabaseIsFreeAgain) {
  start_server({"--db", *data_, "--query-timeout", "120", "--db-threads", "1"});
  auto c = start_a_long_query();
  auto start = std::chrono::steady_clock::now();
  c->send(json::object{{"type", "cancel"}});
  auto ev = until_done(*c, 30s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  // The only database thread is free: the next question's query runs at once.
  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "workItem", "filter": {"priority": "HIGH"}})")));
  llm_->push(answer({"10000."}));
  start = std::chrono::steady_clock::now();
  c->send(message("How many are HIGH?"));
  ev = until_done(*c, 30s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  auto end = std::find_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "tool_end"; });
  ASSERT_NE(end, ev.end());
  EXPECT_EQ(end->at("ok"), true) << dump(*end);
}

TEST_F(QueryLimitsE2e, SigtermStopsALongQuery) {
  start_server({"--db", *data_, "--query-timeout", "120", "--shutdown-timeout", "0.5"});
  auto c = start_a_long_query();
  auto start = std::chrono::steady_clock::now();
  server_->signal(SIGTERM);
  auto ev = until_done(*c, 10s);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  try {  // the client answers the server's close, so that it can stop
    while (std::chrono::steady_clock::now() - start < 5s) c->next_event(100ms);
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(c->close_code(), 1001);
  EXPECT_EQ(server_->wait_exit(5000), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

}  // namespace
