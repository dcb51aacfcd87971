#pragma once
// `--llm none`: no language model at all. Every question is answered by the built-in question
// planner (src/understanding/); this client only says so to whoever asks it for a reply or a status.
#include "llm/llm_client.hpp"

namespace pms::llm {

class NoLlmClient : public LlmClient {
 public:
  explicit NoLlmClient(LlmConfig cfg) : cfg_(std::move(cfg)) {}

  boost::asio::awaitable<ChatResult> chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) override;
  boost::asio::awaitable<LlmStatus> probe() override;
  std::string provider() const override { return "none"; }
  std::string endpoint_url() const override { return ""; }
  const std::string& model() const override { return cfg_.model; }

 private:
  LlmConfig cfg_;
};

}  // namespace pms::llm
