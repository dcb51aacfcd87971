#include "llm/llm_error.hpp"

namespace pms::llm {

const char* error_code_name(LlmErrc code) {
  switch (code) {
    case LlmErrc::unreachable: return "llm_unreachable";
    case LlmErrc::model_not_found: return "model_not_found";
    case LlmErrc::http_error: return "llm_http_error";
    case LlmErrc::timeout: return "llm_timeout";
    case LlmErrc::stream_error: return "llm_stream_error";
    case LlmErrc::cancelled: return "cancelled";
  }
  return "llm_error";
}

}  // namespace pms::llm
