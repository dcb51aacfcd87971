// Group commit of finished turns: turns that finish while the writer is busy are written in one
// transaction, each turn's messages in order, and a turn that cannot be stored fails alone.
#include "agent/conversation_writer.hpp"
#include "store/query/query_error.hpp"
#include "store/sqlite/sqlite_conversation_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <unistd.h>

using namespace pms;
namespace asio = boost::asio;

namespace {

class ConversationWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("pms-writer-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" + std::to_string(::getpid()) + ".db");
    remove_files();
    store_ = std::make_unique<store::sqlite::SqliteConversationStore>(path_.string());
    memory_ = std::make_unique<agent::ConversationMemory>(*store_);
    writer_ = std::make_unique<agent::ConversationWriter>(*memory_, pool_.get_executor());
  }
  void TearDown() override {
    pool_.join();
    writer_.reset();
    memory_.reset();
    store_.reset();
    remove_files();
  }
  void remove_files() {
    for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  static json::object msg(std::string role, std::string content) { return json::object{{"role", role}, {"content", content}}; }

  // Saves every turn at once while the pool is held, so they all wait for the same batch; returns
  // each save's failure message ("" when it was saved).
  std::vector<std::string> save_together(std::vector<std::pair<std::string, std::vector<json::object>>>& turns) {
    std::promise<void> release;
    asio::post(pool_, [f = release.get_future()]() mutable { f.wait(); });
    asio::io_context io;
    std::vector<std::string> failures(turns.size(), "pending");
    for (std::size_t i = 0; i < turns.size(); ++i) {
      asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
        try {
          co_await writer_->save(turns[i].first, "question " + std::to_string(i), turns[i].second, {});
          failures[i] = "";
        } catch (const store::StoreError& e) {
          failures[i] = e.what();
        }
      }, asio::detached);
    }
    io.poll();  // every save is queued now
    release.set_value();
    io.run();
    return failures;
  }

  std::filesystem::path path_;
  asio::thread_pool pool_{1};
  std::unique_ptr<store::sqlite::SqliteConversationStore> store_;
  std::unique_ptr<agent::ConversationMemory> memory_;
  std::unique_ptr<agent::ConversationWriter> writer_;
};

}  // namespace

TEST_F(ConversationWriterTest, TurnsThatFinishTogetherShareOneTransactionAndKeepTheirOrder) {
  std::vector<std::pair<std::string, std::vector<json::object>>> turns;
  for (int i = 0; i < 40; ++i)
    turns.push_back({"c" + std::to_string(i % 10), {msg("user", "q" + std::to_string(i)), msg("assistant", "a" + std::to_string(i))}});
  auto failures = save_together(turns);
  for (auto& f : failures) EXPECT_EQ(f, "");
  EXPECT_EQ(writer_->batches(), 1u);
  for (int c = 0; c < 10; ++c) {
    auto saved = store_->load("c" + std::to_string(c));
    ASSERT_TRUE(saved);
    ASSERT_EQ(saved->size(), 8u);
    for (int k = 0; k < 4; ++k) {  // turns c, c+10, c+20, c+30, in the order they were saved
      EXPECT_EQ((*saved)[2 * k].at("content"), ("q" + std::to_string(c + 10 * k)).c_str());
      EXPECT_EQ((*saved)[2 * k + 1].at("content"), ("a" + std::to_string(c + 10 * k)).c_str());
    }
  }
}

TEST_F(ConversationWriterTest, ATurnThatCannotBeStoredFailsAloneAndTheOthersAreSaved) {
  json::value deep = "x";
  for (std::size_t i = 0; i < store::sqlite::kMaxStoredMessageDepth + 2; ++i) deep = json::array{deep};
  std::vector<std::pair<std::string, std::vector<json::object>>> turns{
      {"good-1", {msg("user", "q1")}}, {"bad", {json::object{{"role", "tool"}, {"content", deep}}}}, {"good-2", {msg("user", "q2")}}};
  auto failures = save_together(turns);
  EXPECT_EQ(failures[0], "");
  EXPECT_NE(failures[1].find("levels deep"), std::string::npos) << failures[1];
  EXPECT_EQ(failures[2], "");
  EXPECT_TRUE(store_->load("good-1"));
  EXPECT_TRUE(store_->load("good-2"));
  EXPECT_FALSE(store_->load("bad"));
}

TEST_F(ConversationWriterTest, WorkTheSaveNeedsRunsFirstOnThePool) {
  asio::io_context io;
  std::vector<json::object> messages{msg("user", "q")};
  bool saved = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    std::function<void()> before = [&] { messages.push_back(msg("assistant", "named before saving")); };
    co_await writer_->save("c", "q", messages, std::move(before));
    saved = true;
  }, asio::detached);
  io.run();
  ASSERT_TRUE(saved);
  auto loaded = store_->load("c");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ(loaded->back().at("content"), "named before saving");
}
