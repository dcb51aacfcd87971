#pragma once
// MCP's stdio transport: newline-delimited JSON-RPC messages on `in`, responses on `out`, one per
// line and flushed at once; nothing else is ever written to `out` (logs go to stderr). A line over
// the session's size limit is read to its end and answered with an error, not kept whole.
#include "mcp/session.hpp"

#include <iosfwd>

namespace pms::mcp {

// Serves until `in` ends (the client closed the pipe).
void serve_stdio(Session& session, std::istream& in, std::ostream& out);

}  // namespace pms::mcp
