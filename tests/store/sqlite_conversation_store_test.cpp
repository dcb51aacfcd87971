#include "store/sqlite/sqlite_conversation_store.hpp"

#include "store/demo/demo_database.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

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

namespace {

std::string temp_db(const std::string& name) {
  auto path = std::filesystem::temp_directory_path() / ("pms-conv-" + name + "-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

void remove_db(const std::string& path) {
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

json::value nested(std::size_t depth) {
  json::value v = "deep";
  for (std::size_t i = 0; i < depth; ++i) v = json::object{{"a", std::move(v)}};
  return v;
}

}  // namespace

// What is saved loads back whole, up to the storage limit; deeper is refused when saved, never
// stored only to vanish when the conversation loads.
TEST(SqliteConversationStore, NestingDepthIsTheSameWhenSavedAndLoaded) {
  auto path = temp_db("depth");
  {
    SqliteConversationStore store(path);
    json::object deepest{{"role", "assistant"}, {"x", nested(store::sqlite::kMaxStoredMessageDepth - 1)}};
    store.append("c", "t", {deepest});
    auto back = store.load("c");
    ASSERT_TRUE(back);
    ASSERT_EQ(back->size(), 1u);
    EXPECT_EQ(back->front(), deepest);
    json::object deeper{{"role", "assistant"}, {"x", nested(store::sqlite::kMaxStoredMessageDepth)}};
    try {
      store.append("c", "t", {json::object{{"role", "user"}}, deeper});
      FAIL() << "a message deeper than the limit was stored";
    } catch (const store::StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("message 2 of the turn nests JSON more than"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store.load("c")->size(), 1u);  // nothing of the refused turn
  }
  remove_db(path);
}

// A row no reader can parse (written by another program) fails the load loudly.
TEST(SqliteConversationStore, AnUnreadableStoredMessageIsAnError) {
  auto path = temp_db("unreadable");
  {
    SqliteConversationStore store(path);
    store.append("c", "t", {json::object{{"role", "user"}, {"content", "hi"}}});
    store::sqlite::Connection raw(path, std::chrono::seconds(1));
    raw.prepare("INSERT INTO conversation_messages(conversation_id, seq, body) VALUES ('c', 1, ?1)")
        .bind(1, dump(json::object{{"x", nested(2 * store::sqlite::kMaxStoredMessageDepth)}}))
        .run();
    EXPECT_THROW(store.load("c"), store::StoreError);
  }
  remove_db(path);
}

// The server's pattern on one file: queries of the document store from several threads, and a
// conversation turn appended after each answer. The WAL must stay bounded while this goes on
// (a soak left 526 MB of it beside the database, written back only at exit).
TEST(SqliteConversationStore, TheWalStaysBoundedWhileReadersRun) {
  auto path = temp_db("wal");
  {
    store::sqlite::SqliteDocumentStore docs(path, "ProjectManagement");
    store::demo::DemoOptions demo;
    demo.work_items = 200;
    store::demo::write_demo_database(docs, demo);
    SqliteConversationStore conversations(path);
    std::atomic<bool> stop = false;
    std::atomic<std::int64_t> reads = 0;
    std::vector<std::thread> readers;
    for (int t = 0; t < 3; ++t) {
      readers.emplace_back([&, t] {
        while (!stop) {
          docs.find({"workItem", json::parse(R"({"priority": "HIGH"})"), nullptr, json::parse(R"({"title": 1})"), 0, 5});
          docs.count("workItem", json::parse(R"({"status": {"$ne": "DONE"}})"));
          docs.distinct("workItem", "priority", nullptr);
          docs.aggregate("workItem", json::parse(R"([{"$group": {"_id": "$priority", "n": {"$sum": 1}}}])"));
          docs.value_counts("workItem", "status", 10);
          conversations.load("c" + std::to_string(t));
          conversations.list(20, "");
          ++reads;
        }
      });
    }
    const std::string answer(64 * 1024, 'a');
    std::uintmax_t largest_wal = 0;
    for (int turn = 0; turn < 400; ++turn) {
      conversations.append("c" + std::to_string(turn % 5), "question",
                           {json::object{{"role", "user"}, {"content", "q"}}, json::object{{"role", "assistant"}, {"content", answer}}});
      std::error_code ec;
      largest_wal = std::max(largest_wal, std::filesystem::file_size(path + "-wal", ec));
    }
    stop = true;
    for (auto& r : readers) r.join();
    EXPECT_GT(reads.load(), 0);
    // 400 turns wrote 25 MiB; the WAL stays near its limit (a turn may end just past it).
    EXPECT_LT(largest_wal, store::sqlite::kWalSizeLimit + (std::uintmax_t{1} << 20)) << "the WAL grew to " << largest_wal << " bytes";
    EXPECT_GT(std::filesystem::file_size(path), std::uintmax_t{16} << 20) << "the turns were not written back to the database";
  }
  remove_db(path);
}

// A reader that keeps one snapshot open holds the WAL back for as long as it reads; once it is
// done, the next turn's commit truncates the WAL instead of leaving it at its largest.
TEST(SqliteConversationStore, TheWalShrinksOnceALongReaderIsDone) {
  auto path = temp_db("long-reader");
  {
    SqliteConversationStore conversations(path);
    const std::string answer(256 * 1024, 'a');
    auto turn = [&] { conversations.append("c", "q", {json::object{{"role", "assistant"}, {"content", answer}}}); };
    auto wal_size = [&] { return std::filesystem::file_size(path + "-wal"); };
    {
      store::sqlite::Connection reader(path, std::chrono::seconds(1));
      store::sqlite::ReadSnapshot snapshot(reader);
      auto st = reader.prepare("SELECT count(*) FROM conversation_messages");
      ASSERT_TRUE(st.step());
      for (int i = 0; i < 80; ++i) turn();  // 20 MiB
      EXPECT_GT(wal_size(), static_cast<std::uintmax_t>(store::sqlite::kWalSizeLimit)) << "the reader did not hold the WAL back";
    }
    turn();
    EXPECT_LT(wal_size(), std::uintmax_t{1} << 20);
    EXPECT_EQ(conversations.load("c")->size(), 81u);
  }
  remove_db(path);
}
