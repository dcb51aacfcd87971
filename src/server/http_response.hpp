#pragma once
// The HTTP request and response types and the JSON answers every route builds them with. A reply
// is JSON (a string body), a file of the web UI kept in memory (a shared buffer, referenced by
// every response, never copied), or a larger file streamed from disk.
#include "core/json_util.hpp"
#include "server/client_error.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/optional/optional.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace pms::server {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A Beast body (serialising only) that sends an immutable shared buffer as it is.
struct SharedBufferBody {
  using value_type = std::shared_ptr<const std::string>;
  static std::uint64_t size(const value_type& body) { return body ? body->size() : 0; }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;
    template <bool isRequest, class Fields>
    writer(const boost::beast::http::header<isRequest, Fields>&, const value_type& body) : body_(body) {}
    void init(boost::beast::error_code& ec) { ec = {}; }
    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      ec = {};
      if (!body_ || body_->empty()) return boost::none;
      return std::pair{const_buffers_type(body_->data(), body_->size()), false};
    }

   private:
    const value_type& body_;
  };
};

using SharedBufferResponse = boost::beast::http::response<SharedBufferBody>;
using FileResponse = boost::beast::http::response<boost::beast::http::file_body>;
using Reply = std::variant<HttpResponse, SharedBufferResponse, FileResponse>;

HttpResponse json_response(const HttpRequest& req, boost::beast::http::status status, const json::value& body);
// {"error": {"code", "message"}} with `status`.
HttpResponse error_response(const HttpRequest& req, boost::beast::http::status status, std::string_view code,
                            std::string_view message);
// `context`: members beside "error" that say what the error belongs to ({"conversation_id": ...}).
HttpResponse error_response(const HttpRequest& req, const ClientError& error, json::object context = {});
// 204 No Content.
HttpResponse no_content(const HttpRequest& req);

// The decoded value of `name` in the request's query string, or "".
std::string query_parameter(const HttpRequest& req, std::string_view name);

}  // namespace pms::server
