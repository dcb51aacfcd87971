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

#include <cstdlib>
#include <filesystem>

using namespace pms;
using namespace pms::testing;
using namespace std::chrono_literals;

namespace {

struct Collect : llm::StreamSink {
  std::string content, thinking;
  std::size_t longest_delta = 0;
  std::function<void()> on_first;
  void on_content(std::string_view t) override {
    content += t;
    longest_delta = std::max(longest_delta, t.size());
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

TEST(LlmClients, AConnectionTheServerKeepsServesTheNextRequest) {
  ScriptedLlmServer s;
  s.keep_connections_open(true);
  for (int i = 0; i < 3; ++i) {
    s.push(answer({"t", std::to_string(i)}));
    Collect sink;
    auto r = chat(ollama(s), sink);  // each on an io_context of its own, as turns on other threads
    ASSERT_TRUE(r.result) << r.error->what();
    EXPECT_EQ(sink.content, "t" + std::to_string(i));
  }
  EXPECT_EQ(s.accepted_connections(), 1u);
}

TEST(LlmClients, AServerThatClosesAfterEachReplyGetsANewConnectionEachTime) {
  ScriptedLlmServer s;  // closes after each streamed reply, ~1 ms after its end
  for (int i = 0; i < 5; ++i) {
    s.push(answer({"x"}));
    Collect sink;
    auto r = chat(ollama(s), sink);
    ASSERT_TRUE(r.result) << r.error->what();
    EXPECT_EQ(sink.content, "x");
  }
  EXPECT_EQ(s.chat_requests().size(), 5u);  // none sent twice
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

LlmConfig openai(const ScriptedLlmServer& s) {
  LlmConfig c;
  c.provider = "openai";
  c.openai_base_url = s.url() + "/v1";
  c.model = "qwen3:0.6b";
  c.read_timeout_s = 1;
  return c;
}

// An 8 MB line from the LLM (one token that large) ends the reply as a stream error at once,
// closing the upstream, on both wire formats; what came before it still reached the sink.
TEST(LlmClients, AHugeLineIsAStreamErrorAndClosesTheUpstream) {
  for (bool use_openai : {false, true}) {
    SCOPED_TRACE(use_openai ? "openai" : "ollama");
    ScriptedLlmServer s;
    std::vector<std::string> tokens = {"ok ", std::string(8 << 20, 'x')};
    for (int i = 0; i < 20; ++i) tokens.emplace_back("after");  // the server writes on: it sees the hang-up
    s.push(answer(tokens, 20ms));
    Collect sink;
    auto run = chat(use_openai ? openai(s) : ollama(s), sink);
    ASSERT_TRUE(run.error);
    EXPECT_EQ(run.error->code(), llm::LlmErrc::stream_error);
    EXPECT_NE(std::string(run.error->what()).find("longer than 1 MiB"), std::string::npos) << run.error->what();
    EXPECT_EQ(sink.content, "ok ");
    EXPECT_TRUE(s.wait_until([](auto& q) { return !q.empty() && q.back().client_closed_early; }));
  }
}

// Lines each under the limit but a reply of more than 4 MiB in all: stopped as well, and no
// delta the sink saw was longer than a client event may be.
TEST(LlmClients, AnEndlessReplyIsAStreamError) {
  ScriptedLlmServer s;
  std::vector<std::string> tokens(40, std::string(256 * 1024, 'y'));
  s.push(answer(tokens, 1ms));
  Collect sink;
  auto run = chat(ollama(s), sink);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::stream_error);
  EXPECT_NE(std::string(run.error->what()).find("grew beyond 4 MiB"), std::string::npos) << run.error->what();
  EXPECT_LE(sink.content.size(), std::size_t{4} << 20);
  EXPECT_GT(sink.content.size(), std::size_t{3} << 20);
  EXPECT_LE(sink.longest_delta, 512u);
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

// A self-signed certificate for localhost, made with the openssl command.
struct SelfSignedCert {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pms-tls-" + std::to_string(::getpid()));
  std::string cert = (dir / "cert.pem").string();
  std::string key = (dir / "key.pem").string();
  SelfSignedCert() {
    std::filesystem::create_directories(dir);
    std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost "
                      "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + key + " -out " + cert + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl could not make a test certificate");
  }
  ~SelfSignedCert() { std::filesystem::remove_all(dir); }
};

LlmConfig openai_over_tls(const ScriptedLlmServer& s) {
  LlmConfig c;
  c.provider = "openai";
  c.openai_base_url = s.url() + "/v1";
  c.read_timeout_s = 2;
  return c;
}

TEST(LlmClients, HttpsWithAPrivateCa) {
  SelfSignedCert cert;
  ScriptedLlmServer s({"qwen3:0.6b"}, 0, TlsFiles{cert.cert, cert.key});
  s.push(answer({"secure ", "hello"}));
  auto cfg = openai_over_tls(s);
  cfg.ca_file = cert.cert;
  Collect sink;
  auto run = chat(cfg, sink);
  ASSERT_TRUE(run.result) << (run.error ? run.error->what() : "");
  EXPECT_EQ(run.result->content, "secure hello");
}

TEST(LlmClients, HttpsWithAnUntrustedCertificateFailsClearly) {
  SelfSignedCert cert;
  ScriptedLlmServer s({"qwen3:0.6b"}, 0, TlsFiles{cert.cert, cert.key});
  s.push(answer({"never"}));
  Collect sink;
  auto run = chat(openai_over_tls(s), sink);
  ASSERT_TRUE(run.error);
  EXPECT_EQ(run.error->code(), llm::LlmErrc::unreachable);
  EXPECT_NE(std::string(run.error->what()).find("--llm-ca-file"), std::string::npos) << run.error->what();
  EXPECT_TRUE(s.chat_requests().empty());
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
