#pragma once
// MCP's stdio transport: newline-delimited JSON-RPC messages on `in`, responses on `out`, one per
// line and flushed at once; nothing else is ever written to `out` (logs go to stderr). A line over
// the session's size limit is read to its end and answered with an error, not kept whole.
//
// tools/call runs on a worker thread, one call after another, so the reading thread stays free:
// it answers ping and the rest at once and acts on notifications/cancelled, which cancels the call
// it names (queued or running: the store checks the token as it goes), and that call then gets no
// response, as the spec asks.
#include "mcp/session.hpp"

#include <iosfwd>

namespace pms::mcp {

// Serves until `in` ends (the client closed the pipe), then waits for the calls under way.
void serve_stdio(Session& session, std::istream& in, std::ostream& out);

}  // namespace pms::mcp
