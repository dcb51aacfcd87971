#pragma once
// The interface the agent talks to; one implementation per wire protocol.
#include "core/cancel_token.hpp"
#include "core/config.hpp"
#include "llm/chat_types.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

namespace pms::llm {

struct LlmStatus {
  bool reachable = false;
  bool model_available = false;
  std::string detail;  // what to do when something is wrong
  std::vector<std::string> models;
};

class LlmClient {
 public:
  virtual ~LlmClient() = default;

  // Streams one reply into `sink` and returns it whole. Throws LlmError (see llm_error.hpp).
  virtual boost::asio::awaitable<ChatResult> chat(const ChatRequest& req, StreamSink& sink, CancelToken* cancel) = 0;

  // Asks the server whether it is up and has the model; never throws.
  virtual boost::asio::awaitable<LlmStatus> probe() = 0;

  virtual std::string provider() const = 0;  // "ollama", "openai"
  virtual std::string endpoint_url() const = 0;
  virtual const std::string& model() const = 0;
};

// Throws std::invalid_argument for a malformed endpoint URL.
std::unique_ptr<LlmClient> make_llm_client(const LlmConfig& cfg);

}  // namespace pms::llm
