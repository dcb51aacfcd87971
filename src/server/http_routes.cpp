#include "server/http_routes.hpp"

#include "agent/blocking_call.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "llm/llm_error.hpp"
#include "server/chat_endpoint.hpp"
#include "server/protocol.hpp"
#include "store/query/query_error.hpp"
#include "store/tenant_scoped_store.hpp"

#include <boost/beast/http/verb.hpp>

namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

HttpResponse no_content(const HttpRequest& req) {
  HttpResponse res{http::status::no_content, req.version()};
  res.set(http::field::server, "pms-assistant/" PMS_VERSION);
  res.keep_alive(req.keep_alive());
  return res;
}

HttpResponse static_response(const HttpRequest& req, const StaticFile& file) {
  if (auto inm = req[http::field::if_none_match]; !inm.empty() && inm == file.etag) {
    HttpResponse res{http::status::not_modified, req.version()};
    res.set(http::field::etag, file.etag);
    res.set(http::field::cache_control, file.cache_control);
    res.keep_alive(req.keep_alive());
    return res;
  }
  HttpResponse res{http::status::ok, req.version()};
  res.set(http::field::server, "pms-assistant/" PMS_VERSION);
  res.set(http::field::content_type, file.content_type);
  res.set(http::field::etag, file.etag);
  res.set(http::field::cache_control, file.cache_control);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = file.body;
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

// Calls `fn` with the store as `tenant` sees it (all of it without a tenant). Blocking.
template <class Fn>
auto with_tenant_store(AppContext& app, const std::string& tenant, Fn&& fn) {
  if (tenant.empty()) return fn(app.store());
  store::TenantScopedStore scoped(app.store(), app.config().tenant_field, tenant);
  return fn(static_cast<store::DocumentStore&>(scoped));
}

// The collections and their counts as `tenant` sees them. Blocking.
json::value collections_json(AppContext& app, const std::string& tenant) {
  return with_tenant_store(app, tenant, [](store::DocumentStore& store) {
    json::array cols;
    for (auto& c : store.list_collections()) cols.push_back(json::object{{"name", c.name}, {"count", c.count}});
    return json::value(std::move(cols));
  });
}

// What the data holds, for the UI's suggested questions: project names, work item states and
// priorities, and the people with the most work items.
json::value overview_json(store::DocumentStore& store) {
  auto strings = [](const std::vector<json::value>& values, std::size_t max) {
    json::array out;
    for (auto& v : values) {
      if (out.size() >= max) break;
      if (v.is_string() && !v.get_string().empty()) out.push_back(v);
    }
    return out;
  };
  std::vector<json::value> members;
  for (auto& g : store.aggregate("workItem", json::parse(R"([{"$unwind": "$assignee"},
      {"$group": {"_id": "$assignee.name", "n": {"$sum": 1}}}, {"$sort": {"n": -1, "_id": 1}}, {"$limit": 5}])")))
    members.push_back(g.at("_id"));
  return json::object{{"projects", strings(store.distinct("project", "name", nullptr), 20)},
                      {"states", strings(store.distinct("workItem", "state.name", nullptr), 20)},
                      {"priorities", strings(store.distinct("workItem", "priority", nullptr), 10)},
                      {"members", strings(members, 5)}};
}

asio::awaitable<HttpResponse> status_route(AppContext& app, const HttpRequest& req, std::string tenant) {
  auto llm_status = co_await app.llm().probe();
  json::object database{{"backend", app.store().backend()}, {"name", app.store().database_name()},
                        {"location", app.store().location()}};
  try {
    database["collections"] = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, tenant); });
    database["reachable"] = true;
  } catch (const std::exception& e) {
    database["reachable"] = false;
    database["error"] = e.what();
  }
  json::object llm{{"provider", app.llm().provider()}, {"endpoint", app.llm().endpoint_url()}, {"model", app.llm().model()},
                   {"reachable", llm_status.reachable}, {"model_available", llm_status.model_available},
                   {"models", json::array(llm_status.models.begin(), llm_status.models.end())}};
  if (!llm_status.detail.empty()) llm["detail"] = llm_status.detail;
  co_return json_response(req, http::status::ok,
                          json::object{{"status", "ok"}, {"version", PMS_VERSION}, {"uptime_s", app.uptime_s()},
                                       {"connections", json::object{{"http", app.open_connections.load()},
                                                                    {"websocket", app.open_websockets.load()}}},
                                       {"running_turns", app.running_turns.load()},
                                       {"llm_slots", json::object{{"max", app.config().max_concurrent_turns},
                                                                  {"running", app.turn_gate().running()},
                                                                  {"waiting", app.turn_gate().waiting()}}},
                                       {"llm", std::move(llm)}, {"database", std::move(database)}});
}

asio::awaitable<HttpResponse> conversations_route(AppContext& app, const HttpRequest& req, std::string_view id,
                                                 std::string tenant) {
  auto& store = app.conversations();
  if (id.empty()) {
    if (req.method() != http::verb::get) co_return error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET");
    // A tenant lists its own conversations, shown by the ids its clients chose.
    auto prefix = agent::conversation_key(tenant, "");
    auto list = co_await agent::run_blocking(app.db_executor(), [&] { return store.list(200, prefix); });
    json::array out;
    for (auto& c : list)
      out.push_back(json::object{{"conversation_id", c.id.substr(prefix.size())}, {"title", c.title}, {"created_at", c.created_at},
                                 {"updated_at", c.updated_at}, {"message_count", c.message_count}});
    co_return json_response(req, http::status::ok, json::object{{"conversations", std::move(out)}});
  }
  std::string cid(id);
  if (!valid_conversation_id(cid)) co_return error_response(req, http::status::bad_request, "invalid_id", "not a valid conversation id");
  auto key = agent::conversation_key(tenant, cid);
  if (req.method() == http::verb::get) {
    auto messages = co_await agent::run_blocking(app.db_executor(), [&] { return store.load(key); });
    if (!messages) co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
    json::array out(messages->begin(), messages->end());
    co_return json_response(req, http::status::ok, json::object{{"conversation_id", cid}, {"messages", std::move(out)}});
  }
  if (req.method() == http::verb::delete_) {
    bool removed = co_await agent::run_blocking(app.db_executor(), [&] { return store.remove(key); });
    if (!removed) co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
    co_return no_content(req);
  }
  co_return error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET or DELETE");
}

asio::awaitable<HttpResponse> route(AppContext& app, const HttpRequest& req) {
  std::string_view target = req.target();
  std::string_view path = loggable_path(target);
  auto method = req.method();
  auto only = [&](http::verb v) { return method == v; };
  bool api = path.starts_with("/api/");

  if (api && only(http::verb::options)) {
    // CORS preflight: only for configured origins.
    auto origin = req[http::field::origin];
    if (!app.access().cors_allowed(origin))
      co_return error_response(req, http::status::forbidden, "origin_not_allowed", "cross-origin requests from this origin are not allowed (see --allowed-origins)");
    HttpResponse res = no_content(req);
    res.set(http::field::access_control_allow_methods, "GET, POST, DELETE, OPTIONS");
    res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, X-PMS-Tenant");
    res.set(http::field::access_control_max_age, "600");
    co_return res;
  }
  if (api && !app.access().authorized(req[http::field::authorization], target)) {
    HttpResponse res = error_response(req, http::status::unauthorized, "unauthorized", "this server needs a token: Authorization: Bearer ...");
    res.set(http::field::www_authenticate, "Bearer");
    co_return res;
  }

  if (path == "/health") {
    if (!only(http::verb::get)) co_return error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET");
    co_return json_response(req, http::status::ok, json::object{{"status", "ok"}, {"version", PMS_VERSION}});
  }
  std::string tenant;
  if (api) {
    auto t = app.tenants().resolve(req["X-PMS-Tenant"], target, unix_now());
    if (!t.allowed) co_return error_response(req, http::status::unauthorized, "tenant_required", t.error);
    tenant = t.business;
  }

  if (path == "/api/status" && only(http::verb::get)) co_return co_await status_route(app, req, tenant);
  if (path == "/api/chat") {
    if (!only(http::verb::post)) co_return error_response(req, http::status::method_not_allowed, "method_not_allowed", "use POST");
    co_return co_await post_chat(app, req, RequestScope{tenant, std::make_shared<CancelToken>()});
  }
  if (path == "/api/collections" && only(http::verb::get)) {
    auto cols = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, tenant); });
    co_return json_response(req, http::status::ok, json::object{{"database", app.store().database_name()}, {"collections", cols}});
  }
  if (path == "/api/databases" && only(http::verb::get)) {
    auto cols = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, tenant); });
    json::array names;
    for (auto& c : cols.as_array()) names.push_back(c.at("name"));
    co_return json_response(req, http::status::ok,
                            json::object{{"databases", json::array{json::object{{"name", app.store().database_name()},
                                                                                {"backend", app.store().backend()},
                                                                                {"collections", std::move(names)}}}}});
  }
  if (path == "/api/overview" && only(http::verb::get)) {
    auto overview = co_await agent::run_blocking(app.db_executor(), [&] {
      return with_tenant_store(app, tenant, [](store::DocumentStore& s) { return overview_json(s); });
    });
    co_return json_response(req, http::status::ok, overview);
  }
  constexpr std::string_view conv = "/api/conversations";
  if (path == conv) co_return co_await conversations_route(app, req, {}, tenant);
  if (path.starts_with(conv) && path.size() > conv.size() + 1 && path[conv.size()] == '/')
    co_return co_await conversations_route(app, req, path.substr(conv.size() + 1), tenant);
  bool readable = only(http::verb::get) || only(http::verb::head);
  if (readable && app.web() && !path.starts_with("/api/") && !path.starts_with("/ws/")) {
    if (auto file = app.web()->lookup(path)) co_return static_response(req, *file);
  }
  if (path == "/" && readable) {
    co_return json_response(req, http::status::ok,
                            json::object{{"name", "PMS Assistant"}, {"version", PMS_VERSION},
                                         {"web_ui", "not built: run `npm --prefix web ci && npm --prefix web run build`, or ./scripts/run.sh"},
                                         {"websocket", "/ws/chat"},
                                         {"endpoints", json::array{"/health", "/api/status", "/api/chat", "/api/databases",
                                                                   "/api/collections", "/api/conversations"}}});
  }
  co_return error_response(req, http::status::not_found, "not_found", "no route for " + std::string(http::to_string(method)) + " " + std::string(path));
}

}  // namespace

asio::awaitable<HttpResponse> handle_http_request(AppContext& app, const HttpRequest& req) {
  std::exception_ptr failure;
  try {
    HttpResponse res = co_await route(app, req);
    if (auto origin = req[http::field::origin]; !origin.empty() && app.access().cors_allowed(origin)) {
      res.set(http::field::access_control_allow_origin, origin);
      res.set(http::field::vary, "Origin");
    }
    co_return res;
  } catch (...) {
    failure = std::current_exception();
  }
  co_return error_response(req, client_error_from(failure, std::string(http::to_string(req.method())) + " " + std::string(loggable_path(req.target()))));
}

}  // namespace pms::server
