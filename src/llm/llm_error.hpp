#pragma once
// Everything that can go wrong talking to an LLM server, each with a message a user can act on
// and a stable code for the protocol's `error` event.
#include "core/json_util.hpp"

#include <stdexcept>
#include <string>

namespace pms::llm {

enum class LlmErrc {
  unreachable,      // nothing listens at the endpoint
  model_not_found,  // the server does not have the model
  http_error,       // any other non-2xx status
  timeout,          // connect or read timed out (a stalled stream)
  stream_error,     // the stream broke or was not understood
  cancelled,        // the turn was cancelled
};

class LlmError : public std::runtime_error {
 public:
  LlmError(LlmErrc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  LlmErrc code() const { return code_; }

 private:
  LlmErrc code_;
};

// At most `max_bytes` of what the LLM server sent, as valid UTF-8 (other bytes as U+FFFD), to quote
// in a message: a client's events must be valid UTF-8 whatever the server sent.
inline std::string excerpt(std::string_view text, std::size_t max_bytes) { return sanitize_utf8(truncate_utf8(text, max_bytes)); }

// "llm_unreachable", "model_not_found", "llm_http_error", "llm_timeout", "llm_stream_error", "cancelled".
const char* error_code_name(LlmErrc code);

}  // namespace pms::llm
