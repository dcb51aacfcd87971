#pragma once
// `pms-assistant mcp [options]`: the MCP server over stdio, for MCP clients that launch a command.
// Takes the server's options (--db, --mongo-uri, --business-id, --query-timeout, ...); only
// JSON-RPC goes to stdout, logs go to stderr.
int run_mcp_command(int argc, const char* const* argv);
