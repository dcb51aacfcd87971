#pragma once
// What one streamed LLM reply may make us hold, whatever the server sends. A real stream is made
// of small lines (a token each, ~200 bytes; a whole tool call a few KiB), so these only ever stop a
// broken or hostile server, with LlmErrc::stream_error, before it grows the server's memory.
#include <cstddef>
#include <string>

namespace pms::llm {

// One NDJSON line (Ollama) or one SSE event (OpenAI-compatible).
inline constexpr std::size_t kMaxStreamEventBytes = std::size_t{1} << 20;

// Content, reasoning and tool calls of one reply together: far beyond any --num-predict.
inline constexpr std::size_t kMaxReplyBytes = std::size_t{4} << 20;

// Text forwarded to the sink in one call; a longer delta is split (at UTF-8 boundaries). Even
// escaped six-fold as JSON, a client event stays under the smallest --max-send-queue-bytes (4096).
inline constexpr std::size_t kMaxForwardedDeltaBytes = 512;

// A tool call's arguments (a filter or a pipeline: a few KiB at most) and its name and id, each
// shown to the client in one event. Longer arguments become the call's arguments_error, which the
// model is told; longer names and ids are cut.
inline constexpr std::size_t kMaxToolArgumentsBytes = 64 * 1024;
inline constexpr std::size_t kMaxToolNameBytes = 256;

// "1 MiB", "512 KiB", "300 bytes": sizes in error messages.
inline std::string describe_size(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace pms::llm
