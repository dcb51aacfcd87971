#pragma once
#include "llm/endpoint.hpp"
#include "llm/http_stream_client.hpp"
#include "llm/llm_client.hpp"

namespace pms::llm {

// Ollama's native API: POST /api/chat streaming NDJSON; GET /api/tags for the status probe.
class OllamaClient : public LlmClient {
 public:
  explicit OllamaClient(LlmConfig cfg);

  boost::asio::awaitable<ChatResult> chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) override;
  boost::asio::awaitable<LlmStatus> probe() override;
  std::string provider() const override { return "ollama"; }
  std::string endpoint_url() const override { return cfg_.ollama_host; }
  const std::string& model() const override { return cfg_.model; }

 private:
  HttpRequest request(std::string method, std::string path) const;
  LlmConfig cfg_;
  Endpoint endpoint_;
};

}  // namespace pms::llm
