#include "agent/conversation_memory.hpp"

#include "store/sqlite/sqlite_conversation_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace pms;
using pms::llm::ChatMessage;

namespace {

std::vector<ChatMessage> three_turns() {
  return {
      {"user", "How many projects?", {}, {}, {}},
      {"assistant", "", {llm::ToolCall{"c1", "count_documents", json::object{{"collection", "project"}}, {}}}, {}, {}},
      {"tool", std::string(400, 'x'), {}, "count_documents", "c1"},
      {"assistant", "There are 6 projects.", {}, {}, {}},
      {"user", "And work items?", {}, {}, {}},
      {"assistant", "300.", {}, {}, {}},
      {"user", "Which are urgent?", {}, {}, {}},
      {"assistant", "", {llm::ToolCall{"c2", "find_documents", json::object{}, {}}}, {}, {}},
      {"tool", "{\"documents\":[]}", {}, "find_documents", "c2"},
      {"assistant", "None.", {}, {}, {}},
  };
}

TEST(FitHistory, KeepsEverythingThatFits) {
  auto h = three_turns();
  auto kept = agent::fit_history(h, 100000);
  // Older turns lose their tool exchanges; the newest keeps them.
  ASSERT_EQ(kept.size(), 8u);
  EXPECT_EQ(kept[0].content, "How many projects?");
  EXPECT_EQ(kept[1].content, "There are 6 projects.");
  EXPECT_EQ(kept.back().content, "None.");
  EXPECT_EQ(kept[5].tool_calls.size(), 1u);
}

TEST(FitHistory, DropsOldestWholeTurnsFirst) {
  auto h = three_turns();
  std::size_t newest_cost = 0;
  for (std::size_t i = 6; i < h.size(); ++i) newest_cost += agent::estimate_tokens(h[i]);
  auto kept = agent::fit_history(h, newest_cost + 5);
  ASSERT_EQ(kept.size(), 4u);
  EXPECT_EQ(kept[0].content, "Which are urgent?");
  EXPECT_TRUE(agent::fit_history(h, 3).empty());
}

TEST(ChatMessageJson, RoundTrips) {
  for (auto& m : three_turns()) {
    auto back = llm::message_from_json(llm::to_json(m));
    EXPECT_EQ(back.role, m.role);
    EXPECT_EQ(back.content, m.content);
    EXPECT_EQ(back.tool_name, m.tool_name);
    EXPECT_EQ(back.tool_call_id, m.tool_call_id);
    ASSERT_EQ(back.tool_calls.size(), m.tool_calls.size());
    for (std::size_t i = 0; i < m.tool_calls.size(); ++i) EXPECT_EQ(back.tool_calls[i].arguments, m.tool_calls[i].arguments);
  }
}

// The deepest arguments a model can send (its tool call is parsed with kMaxJsonDepth) are
// stored and come back with the conversation: a filter nested 28 levels was once stored, then
// silently dropped on load.
TEST(ConversationMemory, DeeplyNestedToolCallsLoadBack) {
  auto path = std::filesystem::temp_directory_path() / ("pms-memory-depth-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    store::sqlite::SqliteConversationStore store(path.string());
    agent::ConversationMemory memory(store);
    json::value filter = json::object{{"status", "OPEN"}};
    while (json_depth(filter, 64) < kMaxJsonDepth - 1) filter = json::object{{"$and", json::array{std::move(filter)}}};
    json::object arguments{{"collection", "workItem"}, {"filter", filter}};
    ASSERT_EQ(json_depth(arguments, 64), kMaxJsonDepth);
    ASSERT_TRUE(try_parse(dump(arguments)));  // as deep as a model's tool call may be
    ChatMessage call{"assistant", "", {llm::ToolCall{"c1", "find_documents", arguments, {}}}, {}, {}};
    ChatMessage result{"tool", "{\"documents\":[]}", {}, "find_documents", "c1"};
    memory.append("conv", "q", {llm::to_json(ChatMessage{"user", "q", {}, {}, {}}), llm::to_json(call), llm::to_json(result)});
    auto history = memory.recall("conv").history;
    ASSERT_EQ(history.size(), 3u);
    ASSERT_EQ(history[1].tool_calls.size(), 1u);
    EXPECT_EQ(history[1].tool_calls[0].arguments, json::value(arguments));
    EXPECT_EQ(history[2].tool_call_id, "c1");
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// Follow-ups build on the newest answer's plan; a planner refusal since leaves it, any other
// answer ends it.
TEST(ConversationMemory, RecallsTheLastPlanUntilAnotherAnswer) {
  auto path = std::filesystem::temp_directory_path() / ("pms-memory-plan-" + std::to_string(::getpid()) + ".db");
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  {
    store::sqlite::SqliteConversationStore store(path.string());
    agent::ConversationMemory memory(store);
    auto user = [](const char* text) { return llm::to_json(ChatMessage{"user", text, {}, {}, {}}); };
    auto answer = [](const char* text, const char* by, std::optional<json::object> plan = std::nullopt) {
      auto m = llm::to_json(ChatMessage{"assistant", text, {}, {}, {}});
      m["answered_by"] = by;
      if (plan) m["plan_context"] = *plan;
      return m;
    };
    json::object plan{{"version", 1}, {"messages", json::array{json::object{{"text", "how many bugs"}, {"now_ms", 1}}}}};
    EXPECT_FALSE(memory.recall("none").last_plan);
    memory.append("c", "how many bugs", {user("how many bugs"), answer("**3** work items.", "planner", plan)});
    EXPECT_EQ(memory.recall("c").last_plan, plan);
    memory.append("c", "", {user("and the frobs?"), answer("I can't answer that with confidence.", "planner")});
    EXPECT_EQ(memory.recall("c").last_plan, plan);  // the refusal left it
    memory.append("c", "", {user("why?"), answer("Because.", "model")});
    EXPECT_FALSE(memory.recall("c").last_plan);  // the model answered since
    EXPECT_EQ(memory.recall("c").history.size(), 6u);
  }
  for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace

TEST(ConversationTitle, ThePlannersReadingElseTheQuestionsFirstWords) {
  json::object question{{"role", "user"}, {"content", "how many open bugs in mobile app?"}};
  json::object planned{{"role", "assistant"}, {"content", "12"},
                       {"plan_context", json::object{{"summary", "count work items where type is Bug and project Mobile App"}}}};
  EXPECT_EQ(agent::conversation_title("how many open bugs in mobile app?", {question, planned}),
            "Count work items where type is Bug and project Mobile App");
  json::object aside{{"role", "assistant"},
                     {"plan_context", json::object{{"summary", "count work items where open (state group not Done), type Bug"}}}};
  EXPECT_EQ(agent::conversation_title("q", {aside}), "Count work items where open, type Bug");
  EXPECT_EQ(agent::conversation_title("/q  what\n is   the weather?", {question, json::object{{"role", "assistant"}, {"content", "no"}}}),
            "What is the weather?");
  auto long_title = agent::conversation_title(std::string(50, 'a') + " bbbbbbbbbb cccccccccc dddd", {});
  EXPECT_EQ(long_title, std::string("A") + std::string(49, 'a') + " bbbbbbbbbb\u2026");
  EXPECT_LE(long_title.size(), agent::kMaxTitleBytes);
  auto unbroken = agent::conversation_title(std::string(100, 'x'), {});
  EXPECT_EQ(unbroken, "X" + std::string(68, 'x') + "\u2026");
}
