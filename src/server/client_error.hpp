#pragma once
// One error vocabulary for everything a client is told went wrong, on the WebSocket (`error`
// events) and over REST ({"error": {"code", "message"}}): a stable code, a message a user can act
// on, and the HTTP status it maps to. Internal details (library messages, source paths, function
// signatures) go to the log, never to the client.
#include <exception>
#include <string>
#include <string_view>

namespace pms::server {

struct ClientError {
  int http_status = 500;
  std::string code;     // "llm_unreachable", "query_error", "database_error", "internal", ...
  std::string message;  // safe to show: written for the user
};

// The client's view of the exception `failure` (which must not be null); logs what was hidden.
// `context` names what failed in the log ("turn", "GET /api/status").
ClientError client_error_from(std::exception_ptr failure, std::string_view context);

// The outcomes no exception stands for.
ClientError shutting_down_error();  // 503: the server is restarting; refused or stopped, ask again shortly
ClientError cancelled_error();      // 499: the client cancelled or went away

}  // namespace pms::server
