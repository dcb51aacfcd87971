// The chat protocol end to end: real pms-assistant binary, scripted LLM (Ollama wire format unless
// stated), real WebSocket client. Sequences are asserted exactly.
#include "e2e/e2e_fixture.hpp"
#include "store/sqlite/sqlite_document_store.hpp"

#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

using Seq = std::vector<std::string>;

class ChatE2e : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    start_server();
  }
};

TEST_F(ChatE2e, DirectAnswer) {
  llm_->push(answer({"Hello", " there", "!"}));
  auto c = connect();
  c->send(message("Say hello"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev), (Seq{"user_message", "llm_start", "token", "token", "token", "llm_end", "complete"}));
  EXPECT_EQ(joined_tokens(ev), "Hello there!");
  auto& user = ev.front();
  EXPECT_EQ(user.at("content"), "Say hello");
  auto cid = std::string(user.at("conversation_id").as_string());
  EXPECT_FALSE(cid.empty());
  auto& done = ev.back();
  EXPECT_EQ(done.at("conversation_id"), json::value(cid));
  EXPECT_EQ(done.at("tokens"), 3);  // eval_count reported by the server
  EXPECT_FALSE(done.at("first_token_ms").is_null());
  EXPECT_GE(done.at("elapsed_ms").to_number<double>(), done.at("first_token_ms").to_number<double>());
  EXPECT_EQ(done.at("response"), "Hello there!");

  // What reached the LLM: the seed's options, the tools, and a system prompt about the data.
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 1u);
  auto& body = reqs[0].body.as_object();
  EXPECT_EQ(body.at("model"), "qwen3:0.6b");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("options").at("num_ctx"), 2048);
  EXPECT_EQ(body.at("tools").as_array().size(), 6u);
  auto& msgs = body.at("messages").as_array();
  EXPECT_EQ(msgs.front().at("role"), "system");
  EXPECT_NE(std::string(msgs.front().at("content").as_string()).find("workItem"), std::string::npos);
  EXPECT_EQ(msgs.back().at("content"), "Say hello");
}

TEST_F(ChatE2e, AnswerAfterOneToolCall) {
  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "workItem", "filter": {"state.name": "Done"}})")));
  llm_->push(answer({"Done: ", "many", "."}));
  auto c = connect();
  c->send(message("How many work items are done?"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev), (Seq{"user_message", "llm_start", "llm_end", "tool_start", "tool_end", "llm_start", "token", "token",
                            "token", "llm_end", "complete"}));
  auto& start = ev[3];
  EXPECT_EQ(start.at("tool_name"), "count_documents");
  EXPECT_EQ(start.at("arguments").at("filter").at("state.name"), "Done");
  auto& end = ev[4];
  EXPECT_EQ(end.at("ok"), true);

  // The count the tool reported is the count in the database.
  store::sqlite::SqliteDocumentStore store(db_path(), "ProjectManagement");
  auto expected = store.count("workItem", json::parse(R"({"state.name": "Done"})"));
  EXPECT_GT(expected, 0);
  EXPECT_EQ(json::parse(end.at("output").as_string()).at("count"), expected);

  // The model got the tool result back before answering.
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  auto& msgs = reqs[1].body.at("messages").as_array();
  auto& tool_msg = msgs.back().as_object();
  EXPECT_EQ(tool_msg.at("role"), "tool");
  EXPECT_EQ(tool_msg.at("tool_name"), "count_documents");
  EXPECT_EQ(json::parse(tool_msg.at("content").as_string()).at("count"), expected);
  EXPECT_EQ(msgs[msgs.size() - 2].at("tool_calls").at(0).at("function").at("name"), "count_documents");
}

TEST_F(ChatE2e, AnswerAfterTwoToolCalls) {
  llm_->push(call_tool("list_collections", json::object{}));
  llm_->push(call_tool("find_documents", json::parse(R"({"collection": "project", "projection": {"name": 1}, "limit": 3})")));
  llm_->push(answer({"Three projects."}));
  auto c = connect();
  c->send(message("Name three projects"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev), (Seq{"user_message", "llm_start", "llm_end", "tool_start", "tool_end", "llm_start", "llm_end", "tool_start",
                            "tool_end", "llm_start", "token", "llm_end", "complete"}));
  EXPECT_EQ(ev[3].at("tool_name"), "list_collections");
  EXPECT_EQ(ev[7].at("tool_name"), "find_documents");
  auto found = json::parse(ev[8].at("output").as_string());
  EXPECT_EQ(found.at("documents").as_array().size(), 3u);
  EXPECT_EQ(llm_->chat_requests().size(), 3u);
}

TEST_F(ChatE2e, ToolErrorGoesBackToTheModel) {
  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "workItem", "filter": {"priority": {"$like": "HI%"}}})")));
  llm_->push(answer({"Sorry."}));
  auto c = connect();
  c->send(message("Count high priority"));
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev[4].at("ok"), false);
  EXPECT_NE(std::string(ev[4].at("output").as_string()).find("$like"), std::string::npos);
  auto tool_msg = llm_->chat_requests()[1].body.at("messages").as_array().back();
  EXPECT_NE(std::string(tool_msg.at("content").as_string()).find("unsupported query operator '$like'"), std::string::npos);
}

TEST_F(ChatE2e, ThinkingNeverMixesIntoTheAnswer) {
  ScriptedReply r = answer({"<think>", "hidden plan", "</think>", "\n\nVisible answer."});
  r.thinking = {"native ", "reasoning"};
  llm_->push(r);
  auto c = connect();
  c->send(message("Think first"));
  auto ev = until_done(*c);
  EXPECT_EQ(joined_tokens(ev), "Visible answer.");
  EXPECT_EQ(joined_tokens(ev, "thinking"), "native reasoninghidden plan");
}

TEST_F(ChatE2e, MalformedAndUnknownMessagesGetErrorsAndTheConnectionStaysUsable) {
  auto c = connect();
  c->send(std::string_view("{oops"));
  auto e1 = next_of_type(*c, "error");
  EXPECT_EQ(e1.at("code"), "invalid_json");
  c->send(json::object{{"type", "dance"}});
  auto e2 = next_of_type(*c, "error");
  EXPECT_EQ(e2.at("code"), "unknown_type");
  c->send(std::string(70 * 1024, 'x'));
  auto e3 = next_of_type(*c, "error");
  EXPECT_EQ(e3.at("code"), "message_too_large");
  c->send(json::object{{"type", "ping"}});
  next_of_type(*c, "pong");
  llm_->push(answer({"still here"}));
  c->send(message("hello?"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(joined_tokens(ev), "still here");
}

TEST_F(ChatE2e, SecondMessageWhileBusyIsRefused) {
  llm_->push(answer({"a", "b", "c", "d", "e"}, 100ms));
  auto c = connect();
  c->send(message("first"));
  next_of_type(*c, "token");
  c->send(message("second"));
  Events ev = until_done(*c);
  bool busy = false;
  for (auto& e : ev) busy |= type_of(e) == "error" && e.at("code") == "busy";
  EXPECT_TRUE(busy);
  EXPECT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(llm_->chat_requests().size(), 1u);
}

TEST_F(ChatE2e, CancelMidStreamClosesUpstreamAndTheNextMessageWorks) {
  std::vector<std::string> many(200, "tok ");
  llm_->push(answer(many, 20ms));
  auto c = connect();
  c->send(message("Write a lot"));
  next_of_type(*c, "token");
  c->send(json::object{{"type", "cancel"}});
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  EXPECT_GE(ev.back().at("tokens").as_int64(), 1);  // what streamed before the cancel counts
  EXPECT_GT(ev.back().at("tokens_per_second").to_number<double>(), 0.0);
  EXPECT_FALSE(ev.back().at("response").as_string().empty());
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && reqs.back().client_closed_early; }))
      << "the upstream LLM connection was not closed";
  llm_->push(answer({"next"}));
  c->send(message("Next question"));
  auto ev2 = until_done(*c);
  EXPECT_EQ(types(ev2).back(), "complete");
  EXPECT_EQ(joined_tokens(ev2), "next");
}

TEST_F(ChatE2e, ClientDisconnectMidStreamClosesUpstreamAndServerStaysHealthy) {
  std::vector<std::string> many(200, "tok ");
  llm_->push(answer(many, 20ms));
  {
    auto c = connect();
    c->send(message("Write a lot"));
    next_of_type(*c, "token");
  }  // the client goes away
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && reqs.back().client_closed_early; }));
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
  llm_->push(answer({"fine"}));
  auto c2 = connect();
  c2->send(message("Still there?"));
  EXPECT_EQ(joined_tokens(until_done(*c2)), "fine");
}

TEST_F(ChatE2e, TwoClientsNeverSeeEachOthersTokens) {
  std::vector<std::string> a, b;
  for (int i = 0; i < 30; ++i) {
    a.push_back("alpha" + std::to_string(i) + " ");
    b.push_back("beta" + std::to_string(i) + " ");
  }
  llm_->push(answer(a, 5ms));
  llm_->push(answer(b, 5ms));
  auto c1 = connect();
  auto c2 = connect();
  c1->send(message("one"));
  c2->send(message("two"));
  Events e1, e2;
  std::thread t([&] { e1 = until_done(*c1); });
  e2 = until_done(*c2);
  t.join();
  auto s1 = joined_tokens(e1), s2 = joined_tokens(e2);
  std::string all_a, all_b;
  for (auto& x : a) all_a += x;
  for (auto& x : b) all_b += x;
  EXPECT_TRUE((s1 == all_a && s2 == all_b) || (s1 == all_b && s2 == all_a)) << s1 << "\n" << s2;
  EXPECT_NE(e1.back().at("conversation_id"), e2.back().at("conversation_id"));
}

// Without a reachable model the built-in question planner answers, through the same tools, and
// says why; the server stays up.
TEST_F(ChatE2e, LlmUnreachableFallsBackToThePlanner) {
  server_.reset();
  start_server({"--ollama-host", "http://127.0.0.1:" + std::to_string(unused_port())});
  auto c = connect();
  c->send(message("How many work items are there?"));
  auto ev = until_done(*c);
  auto seq = types(ev);
  ASSERT_GE(seq.size(), 7u);
  EXPECT_EQ(Seq(seq.begin(), seq.begin() + 5), (Seq{"user_message", "llm_start", "llm_end", "tool_start", "tool_end"}));
  EXPECT_TRUE(std::all_of(seq.begin() + 5, seq.end() - 1, [](auto& t) { return t == "token"; }));
  ASSERT_EQ(seq.back(), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "planner");
  store::sqlite::SqliteDocumentStore db(db_path(), "ProjectManagement");
  auto answer = joined_tokens(ev);
  EXPECT_NE(answer.find("**" + std::to_string(db.count("workItem", nullptr)) + "** work items"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Is Ollama running"), std::string::npos) << answer;
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
}

TEST_F(ChatE2e, ModelNotFoundFallsBackToThePlanner) {
  ScriptedReply r;
  r.status = 404;
  r.error_body = R"({"error":"model \"qwen3:0.6b\" not found, try pulling it first"})";
  llm_->push(r);
  auto c = connect();
  c->send(message("Hi"));
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("answered_by"), "planner");
  auto answer = joined_tokens(ev);
  EXPECT_NE(answer.find("ollama pull qwen3:0.6b"), std::string::npos) << answer;
  EXPECT_NE(answer.find("Questions I can answer"), std::string::npos) << "a greeting is not a question it can answer: " << answer;
}

// Other LLM failures are errors: a broken model server should not be papered over.
TEST_F(ChatE2e, LlmServerErrorIsAnError) {
  ScriptedReply r;
  r.status = 500;
  r.error_body = R"({"error":"out of memory"})";
  llm_->push(r);
  auto c = connect();
  c->send(message("How many work items are there?"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev), (Seq{"user_message", "llm_start", "error"}));
  EXPECT_EQ(ev.back().at("code"), "llm_http_error");
}

TEST_F(ChatE2e, StalledStreamTimesOut) {
  ScriptedReply r = answer({"partial "});
  r.stall = true;
  llm_->push(r);
  auto c = connect();
  c->send(message("Hi"));
  auto ev = until_done(*c, 15s);
  ASSERT_EQ(types(ev).back(), "error");
  EXPECT_EQ(ev.back().at("code"), "llm_timeout");
  EXPECT_EQ(joined_tokens(ev), "partial ");
}

TEST_F(ChatE2e, ConversationContinuesAfterARestart) {
  llm_->push(answer({"The answer is 42."}));
  {
    auto c = connect();
    c->send(message("What is the answer?", "conv-restart"));
    EXPECT_EQ(types(until_done(*c)).back(), "complete");
  }
  server_->stop();
  start_server();
  llm_->push(answer({"You asked about the answer."}));
  auto c = connect();
  c->send(message("What did I ask?", "conv-restart"));
  auto ev = until_done(*c);
  EXPECT_EQ(ev.back().at("conversation_id"), "conv-restart");
  auto msgs = llm_->chat_requests().back().body.at("messages").as_array();
  ASSERT_GE(msgs.size(), 4u);
  EXPECT_EQ(msgs[1].at("content"), "What is the answer?");
  EXPECT_EQ(msgs[2].at("content"), "The answer is 42.");
  EXPECT_EQ(msgs.back().at("content"), "What did I ask?");
}

// Regression: a lambda converted into a by-value coroutine parameter was destroyed twice by
// GCC 12, freeing the session after a few turns of one conversation.
TEST_F(ChatE2e, ManyTurnsInOneConversation) {
  auto c = connect();
  for (int turn = 0; turn < 6; ++turn) {
    llm_->push(call_tool("count_documents", json::parse(R"({"collection": "project"})")));
    llm_->push(answer({"turn " + std::to_string(turn)}));
    c->send(message("Question " + std::to_string(turn), "conv-many"));
    auto ev = until_done(*c);
    ASSERT_EQ(types(ev).back(), "complete") << "turn " << turn;
    EXPECT_EQ(joined_tokens(ev), "turn " + std::to_string(turn));
  }
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
}

TEST_F(ChatE2e, OpenAiCompatibleServerWithStreamedToolCallFragments) {
  server_.reset();
  start_server({"--llm", "openai", "--openai-base-url", llm_->url() + "/v1", "--api-key", "test-key"});
  llm_->push(call_tool("count_documents", json::parse(R"({"collection": "project"})")));
  llm_->push(answer({"Six ", "projects."}));
  auto c = connect();
  c->send(message("How many projects?"));
  auto ev = until_done(*c);
  EXPECT_EQ(types(ev), (Seq{"user_message", "llm_start", "llm_end", "tool_start", "tool_end", "llm_start", "token", "token",
                            "llm_end", "complete"}));
  EXPECT_EQ(json::parse(ev[4].at("output").as_string()).at("count"), 6);
  EXPECT_EQ(joined_tokens(ev), "Six projects.");
  auto reqs = llm_->chat_requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].target, "/v1/chat/completions");
  auto& second = reqs[1].body.at("messages").as_array();
  EXPECT_EQ(second.back().at("role"), "tool");
  EXPECT_EQ(second.back().at("tool_call_id"), second[second.size() - 2].at("tool_calls").at(0).at("id"));
}

}  // namespace
