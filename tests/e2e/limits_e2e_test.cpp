// Graceful shutdown, limits and back-pressure of the real server.
#include "e2e/e2e_fixture.hpp"

#include <csignal>
#include <thread>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

// Reads events until the server closes the connection; returns its close code.
std::optional<int> until_closed(client::ChatClient& c, std::chrono::seconds timeout = 10s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    while (std::chrono::steady_clock::now() < deadline) c.next_event(100ms);
  } catch (const std::runtime_error&) {
    return c.close_code();
  }
  ADD_FAILURE() << "the server did not close the connection";
  return std::nullopt;
}

class LimitsE2e : public E2eTest {};

TEST_F(LimitsE2e, ShutdownLetsTheRunningAnswerFinishThenClosesWith1001) {
  start_server();
  std::vector<std::string> tokens;
  for (int i = 0; i < 10; ++i) tokens.push_back("w" + std::to_string(i) + " ");
  llm_->push(answer(tokens, 100ms));
  auto c = connect();
  c->send(message("Long answer please", "conv-shutdown"));
  next_of_type(*c, "token");
  server_->signal(SIGTERM);
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), false);
  EXPECT_EQ(ev.back().at("response"), "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
  EXPECT_EQ(until_closed(*c), 1001);
  EXPECT_EQ(server_->wait_exit(5000), 0);
  // Nothing was lost: the answer is in the conversation after a restart.
  start_server();
  auto conv = json::parse(http_call(server_->port(), "GET", "/api/conversations/conv-shutdown").body);
  EXPECT_EQ(conv.at("messages").as_array().back().at("content"), "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ");
}

TEST_F(LimitsE2e, ShutdownTimeoutCancelsAnswersThatRunTooLong) {
  start_server({"--shutdown-timeout", "0.5"});
  llm_->push(answer(std::vector<std::string>(200, "t "), 50ms));
  auto c = connect();
  c->send(message("Endless"));
  next_of_type(*c, "token");
  server_->signal(SIGTERM);
  auto ev = until_done(*c);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  EXPECT_EQ(until_closed(*c), 1001);
  EXPECT_EQ(server_->wait_exit(5000), 0);
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && reqs.back().client_closed_early; }));
}

TEST_F(LimitsE2e, IdleChatClientsAreClosedActiveOnesStay) {
  start_server({"--idle-timeout", "0.6"});
  auto idle = connect();
  auto active = connect();
  auto until = std::chrono::steady_clock::now() + 1500ms;
  while (std::chrono::steady_clock::now() < until) {
    active->send(json::object{{"type", "ping"}});
    next_of_type(*active, "pong");
    std::this_thread::sleep_for(150ms);
  }
  EXPECT_EQ(until_closed(*idle, 5s), 1000);
  EXPECT_TRUE(active->is_open());
}

TEST_F(LimitsE2e, RateLimitDropsFloodsWithAnError) {
  start_server({"--rate-burst", "3", "--rate-limit", "0.5"});
  auto c = connect();
  for (int i = 0; i < 6; ++i) c->send(json::object{{"type", "ping"}});
  int pongs = 0, limited = 0;
  while (auto e = c->next_event(500ms)) {
    if (type_of(*e) == "pong") ++pongs;
    if (type_of(*e) == "error" && e->at("code") == "rate_limited") ++limited;
  }
  EXPECT_EQ(pongs, 3);
  EXPECT_EQ(limited, 3);
  EXPECT_TRUE(c->is_open());
}

TEST_F(LimitsE2e, ConnectionsBeyondTheMaximumGet503) {
  start_server({"--max-connections", "2"});
  auto a = connect();
  auto b = connect();
  auto refused = http_call(server_->port(), "GET", "/health");
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(json::parse(refused.body).at("error").at("code"), "too_many_connections");
  a.reset();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
}

TEST_F(LimitsE2e, ASlowReaderIsDisconnectedInsteadOfGrowingMemory) {
  start_server({"--max-send-queue-bytes", "65536"});
  // 3.6 MB of answer at full speed (under the 4 MiB an LLM reply may be): far more than the
  // socket buffers between us hold while the client reads nothing.
  llm_->push(answer(std::vector<std::string>(1800, std::string(2000, 'x'))));
  auto c = connect();
  c->send(message("Flood me"));
  // Read nothing until the server has given up on this reader, however slowly it works (under
  // the sanitizers a fixed pause was too short).
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (server_->log().find("reads too slowly") == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_EQ(until_closed(*c, 20s), 1008);
  // The answer was cancelled: its LLM request ended (cut early, unless it had all been sent).
  EXPECT_TRUE(llm_->wait_until([](auto& reqs) { return !reqs.empty() && (reqs.back().completed || reqs.back().client_closed_early); }));
  EXPECT_EQ(http_call(server_->port(), "GET", "/health").status, 200);
}

}  // namespace

namespace {

TEST_F(LimitsE2e, AnswersBeyondTheLlmLimitWaitInOrderAndAreTold) {
  start_server({"--max-concurrent-turns", "1"});
  llm_->push(answer({"a1 ", "a2 ", "a3 ", "a4 "}, 150ms));
  llm_->push(answer({"b"}));
  auto first = connect();
  auto second = connect();
  first->send(message("first"));
  next_of_type(*first, "token");
  second->send(message("second"));
  auto queued = next_of_type(*second, "queued");
  EXPECT_EQ(queued.at("position"), 1);
  EXPECT_EQ(llm_->chat_requests().size(), 1u);  // the second waits, not the LLM
  EXPECT_EQ(until_done(*first).back().at("response"), "a1 a2 a3 a4 ");
  auto ev = until_done(*second);
  EXPECT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(joined_tokens(ev), "b");
}

TEST_F(LimitsE2e, CancelWhileQueuedEndsTheTurnAndFreesTheQueue) {
  start_server({"--max-concurrent-turns", "1"});
  llm_->push(answer({"x1 ", "x2 ", "x3 "}, 200ms));
  llm_->push(answer({"third"}));
  auto first = connect();
  auto second = connect();
  auto third = connect();
  first->send(message("first"));
  next_of_type(*first, "token");
  second->send(message("second"));
  next_of_type(*second, "queued");
  third->send(message("third"));
  EXPECT_EQ(next_of_type(*third, "queued").at("position"), 2);
  second->send(json::object{{"type", "cancel"}});
  auto ev = until_done(*second);
  ASSERT_EQ(types(ev).back(), "complete");
  EXPECT_EQ(ev.back().at("cancelled"), true);
  EXPECT_EQ(next_of_type(*third, "queued").at("position"), 1);  // moved up
  until_done(*first);
  EXPECT_EQ(joined_tokens(until_done(*third)), "third");
  EXPECT_EQ(llm_->chat_requests().size(), 2u);  // the cancelled one never reached the LLM
}

}  // namespace
