#include "mcp_command.hpp"

#include "core/config.hpp"
#include "core/log.hpp"
#include "mcp/stdio_transport.hpp"
#include "mcp/tenant_session.hpp"
#include "server/app_context.hpp"

#include <iostream>
#include <vector>

int run_mcp_command(int argc, const char* const* argv) {
  pms::ServerConfig config;
  std::vector<const char*> args(argv, argv + argc);
  args[0] = "pms-assistant mcp";  // --help's usage line
  if (int code = pms::parse_server_args(argc, args.data(), config); code >= 0) return code;
  pms::init_logging(config.log_level);
  if (!config.tenant_secret.empty()) {
    spdlog::critical("pms-assistant mcp serves the whole database or one business (--business-id); --tenant-secret is for the server's connections");
    return 2;
  }
  config.llm.provider = "none";  // the tools answer without a model
  try {
    // The server's own context: the same store (embedded or MongoDB), query limits, redaction and
    // value catalog; the tools see the business of --business-id only, when given.
    pms::server::AppContext context(std::move(config));
    auto registry = pms::tools::ToolRegistry::standard();
    pms::mcp::TenantSession mcp(context.store(), context.config().tenant_field, context.config().business_id, registry,
                                [&context](const std::string& tenant) { return context.catalog(tenant); });
    spdlog::info("MCP over stdio on {}{}", context.store().location(), mcp.tenant().empty() ? "" : ", business " + mcp.tenant());
    pms::mcp::serve_stdio(mcp.session(), std::cin, std::cout);
    context.shutdown();
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
