#include "server/static_routes.hpp"

#include "agent/blocking_call.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

template <class Response>
Response with_headers(Response res, const HttpRequest& req, const StaticFile& file) {
  res.set(http::field::server, "pms-assistant/" PMS_VERSION);
  res.set(http::field::etag, file.etag);
  res.set(http::field::cache_control, file.cache_control);
  if (res.result() == http::status::ok) {
    res.set(http::field::content_type, file.content_type);
    res.set("X-Content-Type-Options", "nosniff");
  }
  res.keep_alive(req.keep_alive());
  return res;
}

}  // namespace

asio::awaitable<std::optional<Reply>> serve_static(AppContext& app, const HttpRequest& req) {
  StaticFiles* web = app.web();
  if (!web) co_return std::nullopt;
  auto file = web->lookup(req.target());
  if (!file) co_return std::nullopt;
  if (auto inm = req[http::field::if_none_match]; !inm.empty() && inm == file->etag)
    co_return with_headers(HttpResponse{http::status::not_modified, req.version()}, req, *file);
  if (req.method() == http::verb::head) {
    auto res = with_headers(HttpResponse{http::status::ok, req.version()}, req, *file);
    res.content_length(file->size);
    co_return res;
  }
  if (file->in_memory) {
    auto body = file->body;
    // The first request for a file (or for a changed one) reads it, on the database pool: the I/O
    // threads never wait for a disk.
    if (!body) body = co_await agent::run_blocking(app.db_executor(), [web, &file] { return web->load(*file); });
    if (body) {
      auto res = with_headers(SharedBufferResponse{http::status::ok, req.version()}, req, *file);
      res.body() = std::move(body);
      res.prepare_payload();
      co_return res;
    }
  }
  boost::beast::error_code ec;
  http::file_body::value_type stream;
  stream.open(file->path.c_str(), boost::beast::file_mode::scan, ec);
  if (ec) co_return std::nullopt;
  auto res = with_headers(FileResponse{http::status::ok, req.version()}, req, *file);
  res.body() = std::move(stream);
  res.prepare_payload();
  co_return res;
}

}  // namespace pms::server
