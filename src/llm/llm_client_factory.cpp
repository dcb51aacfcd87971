#include "llm/llm_client.hpp"
#include "llm/no_llm_client.hpp"
#include "llm/ollama_client.hpp"
#include "llm/openai_client.hpp"

namespace pms::llm {

std::unique_ptr<LlmClient> make_llm_client(const LlmConfig& cfg) {
  if (cfg.provider == "openai") return std::make_unique<OpenAiClient>(cfg);
  if (cfg.provider == "none") return std::make_unique<NoLlmClient>(cfg);
  return std::make_unique<OllamaClient>(cfg);
}

}  // namespace pms::llm
