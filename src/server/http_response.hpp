#pragma once
// The REST API's request and response types and the JSON answers every route builds them with.
#include "core/json_util.hpp"
#include "server/client_error.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string_view>

namespace pms::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

HttpResponse json_response(const HttpRequest& req, boost::beast::http::status status, const json::value& body);
// {"error": {"code", "message"}} with `status`.
HttpResponse error_response(const HttpRequest& req, boost::beast::http::status status, std::string_view code,
                            std::string_view message);
HttpResponse error_response(const HttpRequest& req, const ClientError& error);

}  // namespace pms::server
