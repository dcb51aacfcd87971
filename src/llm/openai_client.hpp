#pragma once
#include "llm/endpoint.hpp"
#include "llm/http_stream_client.hpp"
#include "llm/llm_client.hpp"

namespace pms::llm {

// OpenAI-compatible servers: POST {base}/chat/completions streaming SSE; GET {base}/models.
class OpenAiClient : public LlmClient {
 public:
  explicit OpenAiClient(LlmConfig cfg);

  boost::asio::awaitable<ChatResult> chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) override;
  boost::asio::awaitable<LlmStatus> probe() override;
  std::string provider() const override { return "openai"; }
  std::string endpoint_url() const override { return cfg_.openai_base_url; }
  const std::string& model() const override { return cfg_.model; }

 private:
  HttpRequest request(std::string method, std::string path) const;
  LlmConfig cfg_;
  Endpoint endpoint_;
};

}  // namespace pms::llm
