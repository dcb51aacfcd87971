#include "server/http_routes.hpp"

#include "core/time_util.hpp"
#include "server/route_table.hpp"
#include "server/static_routes.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

bool state_changing(http::verb v) {
  return v == http::verb::post || v == http::verb::put || v == http::verb::patch || v == http::verb::delete_;
}

std::optional<HttpResponse> host_refusal(AppContext& app, const HttpRequest& req) {
  auto host = req[http::field::host];
  if (host_allowed(host, app.config().allowed_hosts)) return std::nullopt;
  // A name the server does not know itself by: DNS rebinding, or a name to add to --allowed-hosts.
  return error_response(req, http::status::misdirected_request, "host_not_allowed",
                        host.empty() ? std::string("the request has no Host header")
                                     : "this server does not answer to the name '" + std::string(host) +
                                           "'; to reach it by that name, start it with --allowed-hosts <name>");
}

std::optional<HttpResponse> origin_refusal(AppContext& app, const HttpRequest& req, std::string_view what) {
  auto origin = req[http::field::origin];
  if (app.access().origin_allowed(origin, req[http::field::host])) return std::nullopt;
  // A page on another site must not act in the user's name (CSRF, cross-site WebSocket hijacking).
  return error_response(req, http::status::forbidden, "origin_not_allowed",
                        std::string(what) + " from pages at " + std::string(origin) + " are not allowed (see --allowed-origins)");
}

std::optional<HttpResponse> token_refusal(AppContext& app, const HttpRequest& req) {
  if (app.access().authorized(req[http::field::authorization], req.target())) return std::nullopt;
  auto res = error_response(req, http::status::unauthorized, "unauthorized",
                            "this server needs a token: Authorization: Bearer ... (or ?token=... for the WebSocket)");
  res.set(http::field::www_authenticate, "Bearer");
  return res;
}

// The tenant the request may see, resolved once here for every handler.
std::variant<RequestScope, HttpResponse> scope_of(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected) {
  auto tenant = app.tenants().resolve(req["X-PMS-Tenant"], req.target(), unix_now());
  if (!tenant.allowed) return error_response(req, http::status::unauthorized, "tenant_required", tenant.error);
  return RequestScope{std::move(tenant.business), std::move(disconnected)};
}

HttpResponse preflight(AppContext& app, const HttpRequest& req) {
  if (!app.access().cors_allowed(req[http::field::origin]))
    return error_response(req, http::status::forbidden, "origin_not_allowed",
                          "cross-origin requests from this origin are not allowed (see --allowed-origins)");
  HttpResponse res = no_content(req);
  res.set(http::field::access_control_allow_methods, "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, X-PMS-Tenant, Mcp-Session-Id, MCP-Protocol-Version");
  res.set(http::field::access_control_max_age, "600");
  return res;
}

struct Match {
  const Route* route = nullptr;
  std::string param;
  std::string allowed;  // the methods the path has, when none is `method` ("GET, DELETE")
};

// The segments `path` gives the pattern's '*'s, joined by '/' ("c1/3"), or nullopt if it does not fit.
std::optional<std::string> fit(std::string_view pattern, std::string_view path) {
  std::string param;
  while (true) {
    auto p_end = pattern.find('/'), s_end = path.find('/');
    auto p = pattern.substr(0, p_end), seg = path.substr(0, s_end);
    if (p == "*") {
      if (seg.empty()) return std::nullopt;
      param += (param.empty() ? "" : "/") + std::string(seg);
    } else if (p != seg) {
      return std::nullopt;
    }
    if (p_end == std::string_view::npos || s_end == std::string_view::npos) {
      if (p_end != s_end) return std::nullopt;
      return param;
    }
    pattern.remove_prefix(p_end + 1);
    path.remove_prefix(s_end + 1);
  }
}

Match match(std::string_view path, http::verb method) {
  Match m;
  for (auto table : {api_routes(), entity_routes()}) {
    for (auto& r : table) {
      auto param = fit(r.path, path);
      if (!param) continue;
      if (r.method == method) return {&r, std::move(*param), {}};
      m.allowed += (m.allowed.empty() ? "" : ", ") + std::string(http::to_string(r.method));
    }
  }
  return m;
}

HttpResponse not_found(AppContext& app, const HttpRequest& req, std::string_view path) {
  bool readable = req.method() == http::verb::get || req.method() == http::verb::head;
  if (path == "/" && readable && !app.web()) {
    return json_response(req, http::status::ok,
                         json::object{{"name", "PMS Assistant"}, {"version", PMS_VERSION},
                                      {"web_ui", "not built: run `npm --prefix web ci && npm --prefix web run build`, or ./scripts/run.sh"},
                                      {"websocket", "/ws/chat"},
                                      {"endpoints", json::array{"/health", "/api/status", "/api/chat", "/api/databases",
                                                                "/api/collections", "/api/conversations"}}});
  }
  return error_response(req, http::status::not_found, "not_found",
                        "no route for " + std::string(http::to_string(req.method())) + " " + std::string(path));
}

asio::awaitable<Reply> route(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected) {
  std::string_view path = loggable_path(req.target());
  auto method = req.method();
  bool api = path.starts_with("/api/") || path == "/mcp";  // MCP passes the API's checks
  if (auto refused = host_refusal(app, req)) co_return std::move(*refused);
  if (state_changing(method)) {
    if (auto refused = origin_refusal(app, req, "requests")) co_return std::move(*refused);
  }
  if (api && method == http::verb::options) co_return preflight(app, req);
  if (api) {
    if (auto refused = token_refusal(app, req)) co_return std::move(*refused);
  }
  auto m = match(path, method);
  if (!m.route) {
    if (!m.allowed.empty()) {
      auto res = error_response(req, http::status::method_not_allowed, "method_not_allowed", "use " + m.allowed);
      res.set(http::field::allow, m.allowed);
      co_return res;
    }
    bool readable = method == http::verb::get || method == http::verb::head;
    if (readable && !api && !path.starts_with("/ws/")) {
      if (auto file = co_await serve_static(app, req)) co_return std::move(*file);
    }
    co_return not_found(app, req, path);
  }
  RequestScope scope{{}, std::move(disconnected)};
  if (api) {
    auto resolved = scope_of(app, req, scope.disconnected);
    if (auto* refused = std::get_if<HttpResponse>(&resolved)) co_return std::move(*refused);
    scope = std::get<RequestScope>(std::move(resolved));
  }
  bool has_body = method == http::verb::post || method == http::verb::put || method == http::verb::patch;
  if (api && has_body && !is_json_content_type(req[http::field::content_type]))
    co_return error_response(req, http::status::unsupported_media_type, "unsupported_media_type",
                             "send the body as JSON, with Content-Type: application/json");
  co_return co_await m.route->handler(app, req, std::move(scope), m.param);
}

}  // namespace

asio::awaitable<Reply> handle_http_request(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected) {
  std::exception_ptr failure;
  std::optional<Reply> reply;
  try {
    reply = co_await route(app, req, std::move(disconnected));
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure)
    reply = error_response(req, client_error_from(failure, std::string(http::to_string(req.method())) + " " + std::string(loggable_path(req.target()))));
  if (auto origin = req[http::field::origin]; !origin.empty() && app.access().cors_allowed(origin)) {
    std::visit([&](auto& res) {
      res.set(http::field::access_control_allow_origin, origin);
      res.set(http::field::vary, "Origin");
    }, *reply);
  }
  co_return std::move(*reply);
}

std::variant<RequestScope, HttpResponse> admit_websocket(AppContext& app, const HttpRequest& req, CancelTokenPtr disconnected) {
  if (auto refused = host_refusal(app, req)) return std::move(*refused);
  if (auto refused = origin_refusal(app, req, "WebSocket connections")) return std::move(*refused);
  if (auto refused = token_refusal(app, req)) return std::move(*refused);
  if (loggable_path(req.target()) != "/ws/chat")
    return error_response(req, http::status::not_found, "not_found", "the chat WebSocket is at /ws/chat");
  return scope_of(app, req, std::move(disconnected));
}

}  // namespace pms::server
