#pragma once
// One HTTP/1.1 request whose response body is handed over chunk by chunk as it arrives; the
// transport under both LLM clients. Plain TCP or TLS (verified against the system's CAs).
#include "core/cancel_token.hpp"
#include "core/config.hpp"
#include "llm/endpoint.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace pms::llm {

struct HttpRequest {
  Endpoint endpoint;
  std::string method = "POST";
  std::string target;  // path and query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_timeout{120000};  // longest silence while waiting for bytes
  std::string ca_file;  // trusted in addition to the system's CAs (https only)
};

// A request to `endpoint` + `path` with the timeouts of `cfg`.
HttpRequest make_request(const Endpoint& endpoint, const LlmConfig& cfg, std::string method, std::string path);

struct HttpResult {
  int status = 0;
  std::string error_body;  // the first 64 KiB of a non-2xx body
};

// Sends `req`; a 2xx body goes to `on_chunk` piece by piece. Exceptions thrown by `on_chunk`
// propagate. Throws LlmError: unreachable (resolve/connect failed), timeout (nothing arrived for
// read_timeout), stream_error (the connection broke), cancelled (`cancel` fired: the connection is
// closed at once, which makes the server stop generating).
// `on_chunk` is taken by value: a temporary bound to a reference parameter of a coroutine may live
// on the caller's stack (GCC 12), which is gone once the coroutine resumes on another thread.
boost::asio::awaitable<HttpResult> http_stream(const HttpRequest& req, CancelToken* cancel,
                                               std::function<void(std::string_view)> on_chunk);

// Sends `req` and collects the whole body (at most `max_body` bytes) whatever the status, with
// the short timeouts a status probe wants. Throws LlmError like http_stream.
struct HttpFetched {
  int status = 0;
  std::string body;
};
boost::asio::awaitable<HttpFetched> http_fetch(HttpRequest req, std::size_t max_body = 4 << 20);

}  // namespace pms::llm
