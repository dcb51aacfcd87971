// The handlers behind /health and /api/*, and their table.
#include "server/route_table.hpp"

#include "agent/blocking_call.hpp"
#include "core/ids.hpp"
#include "server/chat_endpoint.hpp"
#include "server/mcp_routes.hpp"
#include "server/protocol.hpp"
#include "store/scoped_store.hpp"
#include "understanding/project_scope.hpp"


namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

// The collections and their counts as `tenant` sees them. Blocking.
json::value collections_json(AppContext& app, const std::string& tenant) {
  auto view = app.store_for(tenant);
  json::array cols;
  for (auto& c : view.store().list_collections()) cols.push_back(json::object{{"name", c.name}, {"count", c.count}});
  return cols;
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

asio::awaitable<HttpResponse> health(AppContext&, const HttpRequest& req, RequestScope, std::string_view) {
  co_return json_response(req, http::status::ok, json::object{{"status", "ok"}, {"version", PMS_VERSION}});
}

asio::awaitable<HttpResponse> status(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto llm_status = co_await app.llm().probe();
  json::object database{{"backend", app.store().backend()}, {"name", app.store().database_name()},
                        {"location", app.store().location()}};
  std::exception_ptr failure;
  try {
    database["collections"] = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, scope.tenant); });
    database["reachable"] = true;
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    database["reachable"] = false;
    database["error"] = client_error_from(failure, "GET /api/status: the database").message;
  }
  json::object llm{{"provider", app.llm().provider()}, {"endpoint", app.llm().endpoint_url()}, {"model", app.llm().model()},
                   {"reachable", llm_status.reachable}, {"model_available", llm_status.model_available},
                   {"models", json::array(llm_status.models.begin(), llm_status.models.end())}};
  if (!llm_status.detail.empty()) llm["detail"] = llm_status.detail;
  // The readers' ratings of answers (PUT .../feedback), counted for this tenant.
  json::object feedback;
  std::exception_ptr unrated;
  try {
    auto counts = co_await agent::run_blocking(app.db_executor(), [&] {
      return app.conversations().feedback_counts(agent::conversation_key(scope.tenant, ""));
    });
    feedback = {{"up", counts.up}, {"down", counts.down}};
  } catch (...) {
    unrated = std::current_exception();
  }
  if (unrated) feedback["error"] = client_error_from(unrated, "GET /api/status: the ratings").message;
  co_return json_response(req, http::status::ok,
                          json::object{{"status", "ok"}, {"version", PMS_VERSION}, {"uptime_s", app.uptime_s()},
                                       {"connections", json::object{{"http", app.open_connections.load()},
                                                                    {"websocket", app.open_websockets.load()}}},
                                       {"running_turns", app.running_turns.load()},
                                       {"llm_slots", json::object{{"max", app.config().max_concurrent_turns},
                                                                  {"running", app.turn_gate().running()},
                                                                  {"waiting", app.turn_gate().waiting()}}},
                                       {"llm", std::move(llm)}, {"database", std::move(database)},
                                       {"feedback", std::move(feedback)}});
}

asio::awaitable<HttpResponse> chat(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  co_return co_await post_chat(app, req, std::move(scope));
}

asio::awaitable<HttpResponse> collections(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto cols = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, scope.tenant); });
  co_return json_response(req, http::status::ok, json::object{{"database", app.store().database_name()}, {"collections", cols}});
}

asio::awaitable<HttpResponse> databases(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto cols = co_await agent::run_blocking(app.db_executor(), [&] { return collections_json(app, scope.tenant); });
  json::array names;
  for (auto& c : cols.as_array()) names.push_back(c.at("name"));
  co_return json_response(req, http::status::ok,
                          json::object{{"databases", json::array{json::object{{"name", app.store().database_name()},
                                                                              {"backend", app.store().backend()},
                                                                              {"collections", std::move(names)}}}}});
}

// ?project= (a projectDisplayId or _id): the overview of that project alone, for a conversation
// limited to it.
asio::awaitable<HttpResponse> overview(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto project = query_parameter(req, "project");
  std::exception_ptr failure;
  json::value result;
  try {
    result = co_await agent::run_blocking(app.db_executor(), [&] {
      auto view = app.store_for(scope.tenant);
      if (project.empty()) return overview_json(view.store());
      store::ScopedStore scoped(view.store(), store::project_scope(understanding::find_project(view.store(), project).id));
      return overview_json(scoped);
    });
  } catch (const understanding::UnknownProject& e) {
    failure = std::current_exception();
  }
  if (failure) co_return error_response(req, client_error_from(failure, "GET /api/overview"));
  co_return json_response(req, http::status::ok, result);
}

// The tenant's projects, for the scope a conversation can be limited to.
asio::awaitable<HttpResponse> projects(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  auto list = co_await agent::run_blocking(app.db_executor(), [&] {
    auto view = app.store_for(scope.tenant);
    return understanding::list_projects(view.store());
  });
  json::array out;
  for (auto& p : list) out.push_back(p.to_json());
  co_return json_response(req, http::status::ok, json::object{{"projects", std::move(out)}});
}

constexpr std::size_t kMaxSearchBytes = 200;
constexpr std::size_t kMaxTitleChars = 120;

asio::awaitable<HttpResponse> list_conversations(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  // A tenant lists its own conversations, shown by the ids its clients chose.
  auto prefix = agent::conversation_key(scope.tenant, "");
  auto search = query_parameter(req, "q");
  if (search.size() > kMaxSearchBytes)
    co_return error_response(req, http::status::bad_request, "invalid_message",
                             "the search (q) is over " + std::to_string(kMaxSearchBytes) + " bytes: use fewer words");
  auto list = co_await agent::run_blocking(app.db_executor(), [&] { return app.conversations().list(200, prefix, search); });
  json::array out;
  for (auto& c : list)
    out.push_back(json::object{{"conversation_id", c.id.substr(prefix.size())}, {"title", c.title}, {"created_at", c.created_at},
                               {"updated_at", c.updated_at}, {"message_count", c.message_count}});
  co_return json_response(req, http::status::ok, json::object{{"conversations", std::move(out)}});
}

// The body as a JSON object, or the error to answer.
std::variant<json::object, HttpResponse> body_object(const HttpRequest& req, std::string_view example) {
  auto body = try_parse(req.body());
  if (!body || !body->is_object())
    return error_response(req, http::status::bad_request, "invalid_json", "the body must be a JSON object: " + std::string(example));
  return std::move(body->get_object());
}

// `text` on one line: trimmed, whitespace runs (newlines too) as one space.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space) out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

asio::awaitable<HttpResponse> rename_conversation(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view id) {
  std::string cid(id);
  if (!valid_conversation_id(cid)) co_return error_response(req, http::status::bad_request, "invalid_id", "not a valid conversation id");
  auto body = body_object(req, R"({"title": "..."})");
  if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
  auto raw = string_member(std::get<json::object>(body), "title");
  std::string title = raw ? one_line(sanitize_utf8(*raw)) : "";
  if (title.empty()) co_return error_response(req, http::status::bad_request, "invalid_message", "\"title\" must be a non-empty string");
  if (utf8_chars(title) > kMaxTitleChars)
    co_return error_response(req, http::status::bad_request, "invalid_message",
                             "the title is over " + std::to_string(kMaxTitleChars) + " characters: shorten it");
  auto key = agent::conversation_key(scope.tenant, cid);
  bool renamed = co_await agent::run_blocking(app.db_executor(), [&] { return app.conversations().rename(key, title); });
  if (!renamed) co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
  co_return json_response(req, http::status::ok, json::object{{"conversation_id", cid}, {"title", title}});
}

// PUT /api/conversations/{id}/messages/{n}/feedback, n the answer's place in the conversation's messages.
asio::awaitable<HttpResponse> rate_answer(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view param) {
  auto slash = param.find('/');
  std::string cid(param.substr(0, slash)), n(param.substr(slash + 1));
  if (!valid_conversation_id(cid)) co_return error_response(req, http::status::bad_request, "invalid_id", "not a valid conversation id");
  if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos)
    co_return error_response(req, http::status::bad_request, "invalid_id", "the message number must be 0, 1, 2, ...");
  auto body = body_object(req, R"({"rating": "up" | "down" | null})");
  if (auto* refused = std::get_if<HttpResponse>(&body)) co_return std::move(*refused);
  auto* value = std::get<json::object>(body).if_contains("rating");
  std::optional<store::Rating> rating;
  if (value && *value == "up") rating = store::Rating::up;
  else if (value && *value == "down") rating = store::Rating::down;
  else if (!value || !value->is_null())
    co_return error_response(req, http::status::bad_request, "invalid_message", "\"rating\" must be \"up\", \"down\" or null (no rating)");
  auto key = agent::conversation_key(scope.tenant, cid);
  auto index = std::stoll(n);
  auto result = co_await agent::run_blocking(app.db_executor(), [&] { return app.conversations().set_feedback(key, index, rating); });
  switch (result) {
    case store::FeedbackResult::no_conversation:
      co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
    case store::FeedbackResult::no_message:
      co_return error_response(req, http::status::not_found, "not_found", "conversation '" + cid + "' has no message " + n);
    case store::FeedbackResult::not_an_answer:
      co_return error_response(req, http::status::bad_request, "invalid_message",
                               "message " + n + " is a question or a tool call: only answers are rated");
    case store::FeedbackResult::saved: break;
  }
  co_return json_response(req, http::status::ok,
                          json::object{{"conversation_id", cid}, {"message", index}, {"rating", rating ? *value : json::value(nullptr)}});
}

asio::awaitable<HttpResponse> get_conversation(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view id) {
  std::string cid(id);
  if (!valid_conversation_id(cid)) co_return error_response(req, http::status::bad_request, "invalid_id", "not a valid conversation id");
  auto key = agent::conversation_key(scope.tenant, cid);
  auto messages = co_await agent::run_blocking(app.db_executor(), [&] { return app.conversations().load(key); });
  if (!messages) co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
  json::array out(messages->begin(), messages->end());
  co_return json_response(req, http::status::ok, json::object{{"conversation_id", cid}, {"messages", std::move(out)}});
}

asio::awaitable<HttpResponse> delete_conversation(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view id) {
  std::string cid(id);
  if (!valid_conversation_id(cid)) co_return error_response(req, http::status::bad_request, "invalid_id", "not a valid conversation id");
  auto key = agent::conversation_key(scope.tenant, cid);
  bool removed = co_await agent::run_blocking(app.db_executor(), [&] { return app.conversations().remove(key); });
  if (!removed) co_return error_response(req, http::status::not_found, "not_found", "no conversation '" + cid + "'");
  co_return no_content(req);
}

using http::verb;
constexpr Route routes[] = {
    {verb::get, "/health", health},
    {verb::get, "/api/status", status},
    {verb::post, "/api/chat", chat},
    {verb::get, "/api/collections", collections},
    {verb::get, "/api/databases", databases},
    {verb::get, "/api/overview", overview},
    {verb::get, "/api/projects", projects},
    {verb::get, "/api/conversations", list_conversations},
    {verb::get, "/api/conversations/*", get_conversation},
    {verb::patch, "/api/conversations/*", rename_conversation},
    {verb::delete_, "/api/conversations/*", delete_conversation},
    {verb::put, "/api/conversations/*/messages/*/feedback", rate_answer},
    {verb::post, "/mcp", mcp_post},
    {verb::delete_, "/mcp", mcp_delete},
};

}  // namespace

std::span<const Route> api_routes() { return routes; }

}  // namespace pms::server
