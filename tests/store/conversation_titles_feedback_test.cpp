// Renaming, searching and rating conversations in the embedded file, and opening a file written
// before ratings existed.
#include "store/sqlite/sqlite_conversation_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using pms::store::FeedbackResult;
using pms::store::Rating;
using pms::store::sqlite::SqliteConversationStore;

namespace {

std::string temp_db(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() / ("pms-conv2-" + name + "-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

void remove_db(const std::string& path) {
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

json::object user(std::string text) { return {{"role", "user"}, {"content", std::move(text)}}; }
json::object answer(std::string text) { return {{"role", "assistant"}, {"content", std::move(text)}}; }
json::object tool_call() {
  return {{"role", "assistant"}, {"content", ""}, {"tool_calls", json::array{json::object{{"name", "count_documents"}}}}};
}
json::object tool_result(std::string text) { return {{"role", "tool"}, {"tool_name", "count_documents"}, {"content", std::move(text)}}; }

std::vector<std::string> ids(const std::vector<store::ConversationSummary>& list) {
  std::vector<std::string> out;
  for (auto& c : list) out.push_back(c.id);
  return out;
}

}  // namespace

TEST(ConversationTitles, RenameKeepsTheLastActivityAndLaterTurnsKeepTheName) {
  auto path = temp_db("rename");
  {
    SqliteConversationStore store(path);
    store.append("c1", "First words", {user("hello"), answer("hi")});
    auto before = store.list(10, "").at(0);
    EXPECT_TRUE(store.rename("c1", "Bugs of the week"));
    EXPECT_FALSE(store.rename("nope", "x"));
    auto after = store.list(10, "").at(0);
    EXPECT_EQ(after.title, "Bugs of the week");
    EXPECT_EQ(after.updated_at, before.updated_at);
    store.append("c1", "another question's title", {user("more"), answer("sure")});
    EXPECT_EQ(store.list(10, "").at(0).title, "Bugs of the week");
  }
  remove_db(path);
}

TEST(ConversationSearch, EveryWordInTheTitleAQuestionOrAnAnswerOfTheTenant) {
  auto path = temp_db("search");
  {
    SqliteConversationStore store(path);
    store.append("A/1", "Open bugs by priority", {user("open bugs by priority"), tool_call(), tool_result("{\"zebra\": 1}"), answer("HIGH: 12, LOW: 3")});
    store.append("A/2", "Cycles", {user("how many cycles?"), answer("There are 24 cycles, 100% planned_ok")});
    store.append("B/1", "Open bugs elsewhere", {user("open bugs"), answer("7")});
    EXPECT_EQ(ids(store.list(10, "A/", "BUGS")), (std::vector<std::string>{"A/1"})) << "title, ASCII case ignored; not tenant B's";
    EXPECT_EQ(ids(store.list(10, "A/", "low")), (std::vector<std::string>{"A/1"})) << "a word of an answer";
    EXPECT_EQ(ids(store.list(10, "A/", "how cycles")), (std::vector<std::string>{"A/2"})) << "every word, in any message";
    EXPECT_EQ(ids(store.list(10, "A/", "bugs cycles")), (std::vector<std::string>{}));
    EXPECT_EQ(ids(store.list(10, "A/", "zebra")), (std::vector<std::string>{})) << "tool results are not searched";
    EXPECT_EQ(ids(store.list(10, "A/", "100%")), (std::vector<std::string>{"A/2"}));
    EXPECT_EQ(ids(store.list(10, "A/", "0%")), (std::vector<std::string>{"A/2"}));
    EXPECT_EQ(ids(store.list(10, "A/", "%")), (std::vector<std::string>{"A/2"})) << "% is a character, not a wildcard";
    EXPECT_EQ(ids(store.list(10, "A/", "nne_")), (std::vector<std::string>{})) << "_ is a character, not a wildcard";
    EXPECT_EQ(ids(store.list(10, "A/", "d_ok")), (std::vector<std::string>{"A/2"}));
    EXPECT_EQ(store.list(1, "A/", "").size(), 1u);
    EXPECT_EQ(store.list(10, "A/", "  ").size(), 2u);
  }
  remove_db(path);
}

TEST(ConversationFeedback, AnAnswerIsRatedClearedAndCountedPerTenant) {
  auto path = temp_db("feedback");
  {
    SqliteConversationStore store(path);
    store.append("A/1", "t", {user("q"), tool_call(), tool_result("1"), answer("one")});
    store.append("A/1", "t", {user("q2"), answer("two")});
    store.append("B/1", "t", {user("q"), answer("b")});
    EXPECT_EQ(store.set_feedback("A/1", 3, Rating::up), FeedbackResult::saved);
    EXPECT_EQ(store.set_feedback("A/1", 5, Rating::down), FeedbackResult::saved);
    EXPECT_EQ(store.set_feedback("B/1", 1, Rating::down), FeedbackResult::saved);
    EXPECT_EQ(store.set_feedback("A/1", 0, Rating::up), FeedbackResult::not_an_answer) << "a question";
    EXPECT_EQ(store.set_feedback("A/1", 1, Rating::up), FeedbackResult::not_an_answer) << "a tool call";
    EXPECT_EQ(store.set_feedback("A/1", 6, Rating::up), FeedbackResult::no_message);
    EXPECT_EQ(store.set_feedback("A/2", 1, Rating::up), FeedbackResult::no_conversation);
    auto a = store.feedback_counts("A/");
    EXPECT_EQ(a.up, 1);
    EXPECT_EQ(a.down, 1);
    auto all = store.feedback_counts("");
    EXPECT_EQ(all.down, 2);
    auto msgs = *store.load("A/1");
    EXPECT_EQ(msgs[3].at("feedback"), "up");
    EXPECT_EQ(msgs[5].at("feedback"), "down");
    EXPECT_FALSE(msgs[4].contains("feedback"));
    EXPECT_EQ(store.set_feedback("A/1", 3, std::nullopt), FeedbackResult::saved);
    EXPECT_FALSE(store.load("A/1")->at(3).contains("feedback"));
    EXPECT_EQ(store.feedback_counts("A/").up, 0);
  }
  remove_db(path);
}

// A file written by the version before ratings (its schema, verbatim) opens with its
// conversations, and its answers can then be rated; opening it again changes nothing more.
TEST(ConversationFeedback, AFileFromBeforeRatingsOpensWithItsConversations) {
  auto path = temp_db("migrate");
  {
    store::sqlite::Connection old(path, std::chrono::seconds(1));
    old.exec(R"sql(
CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE conversation_messages (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL, body TEXT NOT NULL CHECK (json_valid(body)), PRIMARY KEY (conversation_id, seq));
INSERT INTO conversations VALUES ('old', 'An old question', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
INSERT INTO conversation_messages VALUES ('old', 0, '{"role":"user","content":"An old question"}');
INSERT INTO conversation_messages VALUES ('old', 1, '{"role":"assistant","content":"An old answer"}');
)sql");
  }
  for (int open = 0; open < 2; ++open) {
    SqliteConversationStore store(path);
    auto list = store.list(10, "");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].title, "An old question");
    EXPECT_EQ(list[0].message_count, 2);
    ASSERT_EQ(store.load("old")->size(), 2u);
    EXPECT_EQ(store.set_feedback("old", 1, open ? Rating::down : Rating::up), FeedbackResult::saved);
    EXPECT_EQ(store.load("old")->at(1).at("feedback"), open ? "down" : "up");
    EXPECT_EQ(ids(store.list(10, "", "old answer")), (std::vector<std::string>{"old"}));
  }
  remove_db(path);
}
