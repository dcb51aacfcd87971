#pragma once
// GET and HEAD of the web UI's files (see static_files.hpp for what may be served and how).
#include "server/app_context.hpp"
#include "server/http_response.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace pms::server {

// The file `req` names, with caching headers (304 when the client's copy is current), or nullopt
// when there is none (no web UI, a path refused or not found).
boost::asio::awaitable<std::optional<Reply>> serve_static(AppContext& app, const HttpRequest& req);

}  // namespace pms::server
