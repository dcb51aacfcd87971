#pragma once
// Runs the real pms-assistant binary on 127.0.0.1 with a free port for an end-to-end test,
// and a minimal HTTP client to talk to it.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace pms::testing {

class ServerProcess {
 public:
  // Starts `binary` with `args` plus --host 127.0.0.1 --port 0; waits until it listens. Throws
  // std::runtime_error with the server's log if it exits or does not listen in time.
  ServerProcess(std::string binary, std::vector<std::string> args, std::string log_path);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  std::string http_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_) + "/ws/chat"; }
  bool running();
  // SIGTERM, then SIGKILL after a grace period. Returns the exit status.
  int stop();
  // Sends `sig` and returns at once.
  void signal(int sig);
  // Waits up to `timeout_ms` for the process to exit; its exit code, or -1 if it still runs.
  int wait_exit(int timeout_ms);
  std::string log() const;
  // Resident memory of the running process (VmRSS in /proc/<pid>/status) in bytes; 0 if not running.
  std::size_t rss_bytes() const;

 private:
  void start();
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_path_;
  int pid_ = -1;
  unsigned short port_ = 0;
};

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
};

// One request to 127.0.0.1:port; throws std::runtime_error if the connection fails.
HttpReply http_call(unsigned short port, const std::string& method, const std::string& target, const std::string& body = {},
                    const std::vector<std::pair<std::string, std::string>>& headers = {});

// A free TCP port on 127.0.0.1 that nothing listens on (bound, then released).
unsigned short unused_port();

}  // namespace pms::testing
