#pragma once
// Ollama's /api/chat wire format: the request body, and the NDJSON lines of a streamed reply.
#include "core/config.hpp"
#include "llm/chat_types.hpp"
#include "llm/reply_builder.hpp"

namespace pms::llm {

std::string ollama_chat_body(const ChatRequest& req, const LlmConfig& cfg);

// Applies one NDJSON line. Returns true on the final line ("done": true). Throws LlmError for an
// {"error": ...} line or a line that is not JSON.
bool apply_ollama_line(std::string_view line, ReplyBuilder& reply);

// The message of an Ollama error body ({"error": "..."}), or the body itself.
std::string ollama_error_message(std::string_view body);

}  // namespace pms::llm
