#include "server/http_response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>

namespace pms::server {

namespace http = boost::beast::http;

HttpResponse json_response(const HttpRequest& req, http::status status, const json::value& body) {
  HttpResponse res{status, req.version()};
  res.set(http::field::server, "pms-assistant/" PMS_VERSION);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = dump(body);
  res.prepare_payload();
  return res;
}

HttpResponse error_response(const HttpRequest& req, http::status status, std::string_view code, std::string_view message) {
  return json_response(req, status, json::object{{"error", json::object{{"code", code}, {"message", message}}}});
}

HttpResponse error_response(const HttpRequest& req, const ClientError& error, json::object context) {
  context["error"] = json::object{{"code", error.code}, {"message", error.message}};
  return json_response(req, static_cast<http::status>(error.http_status), context);
}

HttpResponse no_content(const HttpRequest& req) {
  HttpResponse res{http::status::no_content, req.version()};
  res.set(http::field::server, "pms-assistant/" PMS_VERSION);
  res.keep_alive(req.keep_alive());
  return res;
}

std::string query_parameter(const HttpRequest& req, std::string_view name) {
  auto url = boost::urls::parse_origin_form(req.target());
  if (!url) return {};
  for (auto param : url->params())
    if (param.key == name) return param.value;
  return {};
}

}  // namespace pms::server
