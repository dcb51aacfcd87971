#pragma once
// One MCP session, whatever carries it (stdio, Streamable HTTP): initialize with protocol version
// negotiation, ping, tools/list, tools/call; notifications are ignored. Every message gets the
// response the spec asks for — a JSON-RPC error for what cannot be served — and nothing throws.
// tools/call blocks on the store: a transport calls handle() off its I/O threads.
#include "mcp/toolbox.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace pms::mcp {

struct Request;
struct RpcError;
struct NoReply;

// The revisions served, newest first. A client asking for another gets the newest; it may then
// disconnect if it cannot speak that.
std::span<const std::string_view> supported_protocol_versions();

struct SessionOptions {
  std::size_t max_message_bytes = 1 << 20;
};

class Session {
 public:
  explicit Session(const Toolbox& toolbox, SessionOptions options = {});

  // The response line to one incoming message, or nullopt when none is due (a notification, a
  // response, a cancelled call). A batch array is answered with an array of the responses due when
  // the session negotiated 2025-03-26, else refused.
  std::optional<std::string> handle(std::string_view message, const CancelToken* cancel = nullptr);

  const SessionOptions& options() const { return options_; }
  // The negotiated revision; empty before initialize.
  const std::string& protocol_version() const { return protocol_version_; }

 private:
  std::optional<std::string> handle_one(const std::variant<Request, NoReply, RpcError>& in, const CancelToken* cancel);
  json::value dispatch(const Request& req, const CancelToken* cancel);

  const Toolbox& toolbox_;
  SessionOptions options_;
  std::string protocol_version_;
};

}  // namespace pms::mcp
