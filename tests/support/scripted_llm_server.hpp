#pragma once
// TEST DOUBLE. A scripted LLM server on 127.0.0.1 that speaks the real wire formats: Ollama's
// POST /api/chat (NDJSON, chunked) and GET /api/tags, and the OpenAI-compatible
// POST /v1/chat/completions (SSE with delta.tool_calls fragments) and GET /v1/models.
// Each chat request consumes the next scripted reply; every request is recorded, including
// whether the client hung up before the reply was complete. Faults chosen per request from a
// seed (resets, stalls, garbage, 500, huge lines...): scripted_llm_faults.hpp.
#include "core/json_util.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pms::testing {

struct ScriptedToolCall {
  std::string name;
  json::value arguments;
  // Set: the arguments exactly as this text (which need not be JSON) instead of `arguments`.
  std::optional<std::string> raw_arguments = std::nullopt;
};

struct ScriptedReply {
  std::vector<std::string> thinking;  // native reasoning (Ollama message.thinking / OpenAI reasoning_content)
  std::vector<std::string> tokens;    // content, one chunk each
  std::vector<ScriptedToolCall> tool_calls;
  std::chrono::milliseconds delay{0};  // before each chunk
  int status = 200;                    // non-200: answer `error_body` instead of streaming
  std::string error_body;
  bool stall = false;    // after the chunks, send nothing more and keep the connection open
  bool hang_up = false;  // after the chunks, close the connection without finishing
  bool reset = false;    // after the chunks, reset the connection (RST) without finishing
  std::string garbage;   // set: after the chunks, these bytes as one HTTP chunk in place of the reply's end
};

// In a token, replaced by the steady-clock time (ns) at the moment the chunk is written: lets a
// load test measure each token's latency from the LLM server to the client.
inline constexpr std::string_view kSendTimeMarker = "{send_ns}";

struct RecordedRequest {
  std::string method;
  std::string target;
  json::value body;
  bool completed = false;            // the whole reply was written
  bool client_closed_early = false;  // the client went away before that
  std::chrono::steady_clock::time_point arrived_at{};   // the request was read
  std::chrono::steady_clock::time_point finished_at{};  // the reply ended (written, refused or cut)
};

// Certificate and key (PEM files) to serve https instead of http.
struct TlsFiles {
  std::string certificate;
  std::string private_key;
};

// Builds a reply from the request body when the script is empty.
using Responder = std::function<ScriptedReply(const json::value& request_body)>;

class ScriptedLlmServer {
 public:
  // Listens on 127.0.0.1:`port` (0: a free port).
  explicit ScriptedLlmServer(std::vector<std::string> models = {"qwen3:0.6b"}, unsigned short port = 0,
                             std::optional<TlsFiles> tls = std::nullopt);
  ~ScriptedLlmServer();

  unsigned short port() const;
  std::string url() const;  // http://127.0.0.1:<port>, or https://localhost:<port> with TLS

  void push(ScriptedReply reply);
  void set_responder(Responder responder);
  // Keeps a connection open after a streamed reply that ended normally, for the client's next
  // request, as Ollama does (default: closed after each, so every reply's end is seen at once).
  // A client hanging up in the middle of a reply is then not watched for.
  void keep_connections_open(bool keep);
  std::vector<RecordedRequest> requests() const;
  // Chat requests only (POSTs), in arrival order.
  std::vector<RecordedRequest> chat_requests() const;
  // Polls until `pred` holds for the recorded requests or `timeout` passes.
  bool wait_until(const std::function<bool(const std::vector<RecordedRequest>&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // Client connections open now (accepted and not yet closed by either side), the most open at
  // once, and all accepted so far. Also served as JSON by GET /scripted/connections (which counts
  // the asking connection too).
  int open_connections() const;
  int peak_open_connections() const;
  std::size_t accepted_connections() const;
  // Polls until no client connection is open or `timeout` passes.
  bool wait_until_no_connection_open(std::chrono::milliseconds timeout) const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// Convenience builders.
ScriptedReply answer(std::vector<std::string> tokens, std::chrono::milliseconds delay = {});
ScriptedReply call_tool(std::string name, json::value arguments);

}  // namespace pms::testing
