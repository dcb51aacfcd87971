// A small model's free tool calling, end to end: the scripted LLM in sloppy mode (sloppy_script.hpp)
// writes lowercase values and invented fields, one malformed call and one call as text; the zero
// results come back with hints, the model follows them, and the turn over /ws/chat still ends with
// the number the store really holds, within the step limit.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"
#include "support/sloppy_script.hpp"

#include <cstdio>

using namespace pms;
using namespace pms::testing;

namespace {

constexpr int kMaxSteps = 5;  // pms-assistant's --max-steps default

class SloppyLlmE2e : public E2eTest {
 protected:
  void start(std::vector<std::string> extra = {}) {
    llm_->set_responder(sloppy_responder());
    // Always the model (the built-in planner would answer these questions itself), its plan first.
    extra.insert(extra.end(), {"--answer-mode", "model", "--model-plans", "on"});
    start_server(extra);
    store_ = std::make_unique<store::sqlite::SqliteDocumentStore>(db_path(), "ProjectManagement");
  }

  // The stored value of `field` the hint should lead to: the one that is `written` up to case,
  // or the one `written` is the first word of; exactly one must exist.
  json::value stored_value(const std::string& field, const std::string& written) {
    std::vector<json::value> found;
    for (auto& v : store_->distinct("workItem", field, nullptr)) {
      std::string s(v.as_string()), lower = s;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == written || lower.starts_with(written + " ")) found.push_back(v);
    }
    EXPECT_EQ(found.size(), 1u) << field << " " << written;
    return found.empty() ? json::value(nullptr) : found.front();
  }

  // One turn: asserts it ends with `complete` within the step limit, through a rejected malformed
  // call, a text call whose zero result carries a hint, and the corrected call; returns its answer.
  std::string turn(client::ChatClient& c, const std::string& question, std::int64_t expected, const std::string& conversation) {
    c.send(message(question, conversation));
    auto ev = until_done(c);
    EXPECT_EQ(type_of(ev.back()), "complete") << question;
    EXPECT_EQ(std::count_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "complete" || type_of(e) == "error"; }), 1);
    EXPECT_LE(std::count_if(ev.begin(), ev.end(), [](auto& e) { return type_of(e) == "llm_start"; }), kMaxSteps);
    std::vector<json::object> ends;
    for (auto& e : ev)
      if (type_of(e) == "tool_end") ends.push_back(e);
    EXPECT_EQ(ends.size(), 3u) << question;
    if (ends.size() == 3) {
      EXPECT_EQ(ends[0].at("ok"), false);  // arguments that are not JSON: the model is told
      auto zero = json::parse(ends[1].at("output").as_string());
      EXPECT_EQ(zero.at("count"), 0);
      EXPECT_TRUE(zero.as_object().contains("hint")) << dump(zero);
      EXPECT_EQ(json::parse(ends[2].at("output").as_string()).at("count"), expected) << question;
    }
    auto text = joined_tokens(ev);
    EXPECT_EQ(text.find("<tool_call>"), std::string::npos) << text;  // the text call never reaches the answer
    EXPECT_EQ(string_member(ev.back(), "response").value_or(""), text);
    return text;
  }

  std::unique_ptr<store::sqlite::SqliteDocumentStore> store_;
};

TEST_F(SloppyLlmE2e, ReachesTheStoredCountsOverOllama) {
  start();
  auto backlog = store_->count("workItem", json::object{{"state.name", stored_value("state.name", "backlog")}});
  auto priya = store_->count("workItem", json::object{{"assignee.name", stored_value("assignee.name", "priya")}});
  ASSERT_GT(backlog, 0);
  ASSERT_GT(priya, 0);
  auto c = connect();
  struct Case {
    std::string question;
    std::int64_t expected;
  };
  for (auto& [question, expected] : std::vector<Case>{{"How many work items are in state Backlog?", backlog},
                                                      {"How many work items are assigned to Priya?", priya},
                                                      {"And how many work items are in stage backlog?", backlog}}) {
    auto text = turn(*c, question, expected, "conv-sloppy");
    EXPECT_NE(text.find("**" + std::to_string(expected) + "**"), std::string::npos) << question << ": " << text;
  }
  // Words the planner cannot read: the model is asked for a plan first (under a JSON schema), writes
  // one that fits no schema, and the turn goes on with free tool calling as above.
  auto before = llm_->chat_requests().size();
  auto text = turn(*c, "Xyzzy frobnicate: how many work items are assigned to Priya?", priya, "conv-sloppy");
  EXPECT_NE(text.find("**" + std::to_string(priya) + "**"), std::string::npos) << text;
  auto requests = llm_->chat_requests();
  ASSERT_GT(requests.size(), before);
  EXPECT_TRUE(requests[before].body.as_object().contains("format")) << "no plan was asked for first";
}

TEST_F(SloppyLlmE2e, ReachesTheStoredCountOverOpenAi) {
  start({"--llm", "openai", "--openai-base-url", llm_->url() + "/v1", "--api-key", "test-key"});
  auto priya = store_->count("workItem", json::object{{"assignee.name", stored_value("assignee.name", "priya")}});
  ASSERT_GT(priya, 0);
  auto c = connect();
  auto text = turn(*c, "How many work items are assigned to Priya?", priya, "");
  EXPECT_NE(text.find("**" + std::to_string(priya) + "**"), std::string::npos) << text;
  EXPECT_EQ(llm_->chat_requests().front().target, "/v1/chat/completions");
}

}  // namespace
