#include "store/sqlite/sqlite_conversation_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using pms::store::sqlite::SqliteConversationStore;

TEST(SqliteConversationStore, AppendLoadListRemoveAndSurviveReopen) {
  auto path = std::filesystem::temp_directory_path() / ("pms-conv-test-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    SqliteConversationStore store(path.string());
    EXPECT_FALSE(store.load("c1"));
    store.append("c1", "How many bugs?", {json::object{{"role", "user"}, {"content", "How many bugs?"}}});
    store.append("c1", "ignored", {json::object{{"role", "assistant"}, {"content", "12"}}});
    store.append("c2", "Second", {json::object{{"role", "user"}, {"content", "hi"}}});
  }
  SqliteConversationStore store(path.string());
  auto msgs = store.load("c1");
  ASSERT_TRUE(msgs);
  ASSERT_EQ(msgs->size(), 2u);
  EXPECT_EQ((*msgs)[1].at("content"), "12");
  auto list = store.list(10, "");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "c2");
  EXPECT_EQ(list[1].title, "How many bugs?");
  EXPECT_EQ(list[1].message_count, 2);
  store.append("A/c1", "tenant A's", {json::object{{"role", "user"}, {"content", "x"}}});
  store.append("AB/c1", "tenant AB's", {json::object{{"role", "user"}, {"content", "y"}}});
  auto of_a = store.list(10, "A/");
  ASSERT_EQ(of_a.size(), 1u);
  EXPECT_EQ(of_a[0].id, "A/c1");
  EXPECT_EQ(store.list(10, "%").size(), 0u);  // a prefix, not a LIKE pattern
  EXPECT_TRUE(store.remove("c1"));
  EXPECT_FALSE(store.remove("c1"));
  EXPECT_FALSE(store.load("c1"));
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}
