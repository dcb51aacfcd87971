#pragma once
// The pms-assistant server: one port, HTTP and WebSocket, I/O threads plus a database pool.
#include "core/config.hpp"

#include <memory>

namespace pms::server {

class Server {
 public:
  // Opens the database and binds the port; throws with a message a user can act on.
  explicit Server(ServerConfig config);
  ~Server();

  unsigned short port() const;
  // Serves until SIGINT or SIGTERM; returns the process exit code.
  int run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pms::server
