// The LLM clients against the scripted server, without the rest of the product: failures,
// timeouts and cancellation at the transport level.
#include "core/config.hpp"
#include "llm/llm_client.hpp"
#include "llm/llm_error.hpp"
#include "support/scripted_llm_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

struct Collect : llm::StreamSink {
  std::string content, thinking;
  std::function<void()> on_first;
  void on_content(std::string_view t) override {
    content += t;
    if (on_first) std::exchange(on_first, nullptr)();
  }
  void on_thinking(std::string_view t) override { thinking += t; }
};

struct Run {
  std::optional<llm::ChatResult> result;
  std::optional<llm::LlmError> error;
};

Run chat(const LlmConfig& cfg, Collect& sink, CancelToken* cancel = nullptr) {
  boost::asio::io_context ioc;
  auto client = llm::make_llm_client(cfg);
  llm::ChatRequest req;
  req.messages.push_back({"user", "hi", {}, {}, {}});
  auto fut = boost::asio::co_spawn(ioc, client->chat(req, sink, cancel), boost::asio::use_future);
  ioc.run();
  Run r;
  try {
    r.result = fut.get();
  } catch (const llm::LlmError& e) {
    r.error = e;
  }
  return r;
}

LlmConfig ollama(const ScriptedLlmServer& s) {
  LlmConfig c;
  c.ollama_host = s.url();
  c.read_timeout_s = 1;
  return c;
}

TEST(LlmClients, OllamaStreamsTokensInOrder) {
  ScriptedLlmServer s;
  s.push(answer({"a", "b", "c"}, 5ms));
  Collect sink;
  auto r = chat(ollama(s), sink);
  ASSERT_TRUE(r.result);
  EXPECT_EQ(r.result->content, "abc");
  EXPECT_EQ(sink.content, "abc");
  EXPECT_TRUE(s.wait_until([](auto& q) { return !q.empty() && q.back().completed; }));
}

TEST(LlmClients, OllamaHttpErrorIsClear) {
  ScriptedLlmServer s;
  ScriptedReply r;
  r.status = 500;
  r.error_body = R"({"error":"out of memory"})";
  s.push(r);
  Collect sink;
  auto run = chat(ollama(s), sink);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::http_error);
  EXPECT_NE(std::string(run.error->what()).find("out of memory"), std::string::npos);
}

TEST(LlmClients, BrokenStreamIsAStreamError) {
  ScriptedLlmServer s;
  ScriptedReply r = answer({"half"});
  r.hang_up = true;
  s.push(r);
  Collect sink;
  auto run = chat(ollama(s), sink);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::stream_error);
  EXPECT_EQ(sink.content, "half");
}

TEST(LlmClients, StallIsATimeout) {
  ScriptedLlmServer s;
  ScriptedReply r = answer({"x"});
  r.stall = true;
  s.push(r);
  Collect sink;
  auto run = chat(ollama(s), sink);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::timeout);
}

TEST(LlmClients, CancelClosesTheUpstreamConnection) {
  ScriptedLlmServer s;
  s.push(answer(std::vector<std::string>(100, "t"), 20ms));
  Collect sink;
  CancelToken cancel;
  sink.on_first = [&] { cancel.cancel(); };
  auto run = chat(ollama(s), sink, &cancel);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::cancelled);
  EXPECT_TRUE(s.wait_until([](auto& q) { return !q.empty() && q.back().client_closed_early; }));
}

TEST(LlmClients, OpenAiCompatibleWithApiKeyAndReasoning) {
  ScriptedLlmServer s({"qwen3"});
  ScriptedReply r = answer({"Hel", "lo"});
  r.thinking = {"mull"};
  s.push(r);
  LlmConfig c;
  c.provider = "openai";
  c.openai_base_url = s.url() + "/v1";
  c.model = "qwen3";
  c.api_key = "k";
  Collect sink;
  auto run = chat(c, sink);
  ASSERT_TRUE(run.result);
  EXPECT_EQ(run.result->content, "Hello");
  EXPECT_EQ(run.result->thinking, "mull");
  EXPECT_EQ(run.result->completion_tokens, 2);
}

TEST(LlmClients, ProbeReportsModels) {
  ScriptedLlmServer s({"qwen3:0.6b", "llama3:8b"});
  boost::asio::io_context ioc;
  auto client = llm::make_llm_client(ollama(s));
  auto fut = boost::asio::co_spawn(ioc, client->probe(), boost::asio::use_future);
  ioc.run();
  auto st = fut.get();
  EXPECT_TRUE(st.reachable);
  EXPECT_TRUE(st.model_available);
  EXPECT_EQ(st.models.size(), 2u);
}

}  // namespace
