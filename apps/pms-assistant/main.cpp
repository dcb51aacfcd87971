// pms-assistant: the server. All logic lives in src/; this only wires options to the Server.
#include "core/config.hpp"
#include "core/log.hpp"
#include "server/server.hpp"

int main(int argc, char** argv) {
  pms::ServerConfig config;
  if (int code = pms::parse_server_args(argc, argv, config); code >= 0) return code;
  pms::init_logging(config.log_level);
  try {
    pms::server::Server server(std::move(config));
    return server.run();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
}
