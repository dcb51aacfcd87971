// pms-assistant: the server. All logic lives in src/; this only wires options to the Server.
#include "core/config.hpp"
#include "core/log.hpp"
#include "mcp_command.hpp"
#include "server/server.hpp"

#include <algorithm>
#include <string_view>

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "mcp") return run_mcp_command(argc - 1, argv + 1);
  pms::ServerConfig config;
  if (int code = pms::parse_server_args(argc, argv, config); code >= 0) return code;
  pms::init_logging(config.log_level);
  if (std::find(config.allowed_hosts.begin(), config.allowed_hosts.end(), "*") != config.allowed_hosts.end())
    spdlog::warn("--allowed-hosts *: any Host is accepted, so a page on any site can reach this server by DNS rebinding");
  try {
    pms::server::Server server(std::move(config));
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
