// GET /api/entities/<kind>/<id>: one thing an answer names (answer_entities.hpp), with its fields
// as "details of X" shows them, for the chat's detail panel; GET /api/entities?q=: the things a
// name, number or short id being typed may mean (the composer's mentions; MCP's find_entity).
// Read-only and tenant-scoped: the request's store sees only its business.
#include "server/route_table.hpp"

#include "agent/blocking_call.hpp"
#include "core/time_util.hpp"
#include "core/url_template.hpp"
#include "mcp/find_entity.hpp"
#include "store/query/field_path.hpp"
#include "understanding/markdown_table.hpp"
#include "understanding/pms_model.hpp"


namespace pms::server {

namespace http = boost::beast::http;
namespace asio = boost::asio;

namespace {

constexpr std::int64_t kMaxMemberships = 100;  // rows of one person (one per project)

// A field worth showing, in the order shown; `kind`: the collection a reference's _id points into.
struct FieldSpec {
  std::string_view path, label, kind;
};

constexpr FieldSpec kFields[] = {
    {"displayBugNo", "Number", ""},      {"bugNo", "Number", ""},          {"projectDisplayId", "Key", ""},
    {"state.name", "State", ""},         {"priority", "Priority", ""},      {"status", "Status", ""},
    {"role", "Role", ""},                {"type", "Type", ""},              {"assignee", "Assignees", "members"},
    {"lead", "Lead", "members"},         {"project", "Project", "project"}, {"cycle", "Cycle", "cycle"},
    {"modules", "Module", "module"},     {"epic", "Epic", "epic"},          {"feature", "Feature", "features"},
    {"userStory", "User story", "userStory"}, {"parent", "Parent", "workItem"}, {"label", "Labels", ""},
    {"estimate", "Estimate", ""},        {"startDate", "Start", ""},        {"endDate", "End", ""},
    {"createdBy", "Created by", "members"}, {"createdTimeStamp", "Created", ""}, {"updatedTimeStamp", "Updated", ""},
    {"joiningDate", "Joined", ""},
};

const json::value* at(const json::value& doc, std::string_view path) {
  std::vector<const json::value*> found;
  store::FieldPath(path).collect(doc, found);
  return found.empty() ? nullptr : found.front();
}

std::string string_at(const json::value& doc, std::string_view path) {
  auto* v = at(doc, path);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// One value of a field: a reference as its name and what it points at, anything else as its text.
void add_value(const json::value& v, std::string_view kind, json::array& out) {
  if (v.is_object()) {
    std::string name = string_at(v, "name"), id = string_at(v, "_id");
    if (name.empty()) return;
    json::object value{{"text", name}};
    if (!kind.empty() && !id.empty()) value["entity"] = json::object{{"kind", kind}, {"id", id}};
    out.push_back(std::move(value));
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) add_value(x, kind, out);
  } else if (!v.is_null()) {
    std::string text = understanding::cell_text(json::object{{"v", v}}, "v");
    if (!text.empty()) out.push_back(json::object{{"text", text}});
  }
}

// The thing's fields as the panel lists them: [{label, values: [{text, entity?}]}].
json::array fields_of(const json::value& doc) {
  json::array out;
  for (auto& f : kFields) {
    auto* v = at(doc, f.path);
    if (!v) continue;
    json::array values;
    add_value(*v, f.kind, values);
    if (!values.empty()) out.push_back(json::object{{"label", f.label}, {"values", std::move(values)}});
  }
  return out;
}

struct Found {
  json::object body;
  bool found = false;
};

// Blocking: the thing `kind`/`id` as `store` (the request's tenant's) sees it.
Found read_entity(store::DocumentStore& store, std::string_view kind, const std::string& id, const std::string& item_url_template) {
  auto* spec = understanding::identity_spec(kind);
  std::string_view id_path = spec ? spec->id_path : "_id";
  std::string_view name_path = spec ? spec->name_path : "title";
  std::string collection(kind);
  if (!store.has_collection(collection)) return {};
  store::FindRequest req{collection, json::object{{id_path, id}}, json::value(), json::value(), 0, kMaxMemberships};
  auto docs = store.find(req, nullptr);
  if (docs.empty()) return {};
  auto& doc = docs.front();
  json::object body{{"kind", kind}, {"id", id}, {"title", string_at(doc, name_path)}, {"fields", fields_of(doc)}};
  if (auto* entity = understanding::entity_by_collection(kind); entity && !entity->number.empty())
    if (auto number = string_at(doc, entity->number); !number.empty()) body["number"] = number;
  if (kind == "members") {
    // A person has a row per project: every project, with the role there.
    json::array projects;
    for (auto& row : docs) {
      if (auto* p = at(row, "project")) add_value(*p, "project", projects);
      if (auto role = string_at(row, "role"); !role.empty() && !projects.empty()) projects.back().as_object()["note"] = role;
    }
    json::array fields;
    for (auto& f : body["fields"].as_array())
      if (f.as_object().at("label") != "Project" && f.as_object().at("label") != "Role") fields.push_back(f);
    if (!projects.empty()) fields.push_back(json::object{{"label", "Projects"}, {"values", std::move(projects)}});
    body["fields"] = std::move(fields);
  }
  if (auto description = string_at(doc, "description"); !description.empty())
    if (auto text = understanding::text_excerpt(description, 1500); !text.empty()) body["description"] = text;
  if (kind == "workItem" && !item_url_template.empty()) {
    std::string project = string_at(doc, "project._id"), short_id;
    if (!project.empty()) {
      store::FindRequest p{"project", json::object{{"_id", project}}, json::object{{"projectDisplayId", 1}}, json::value(), 0, 1};
      auto found = store.find(p, nullptr);
      if (!found.empty()) short_id = string_at(found.front(), "projectDisplayId");
    }
    std::string number = body.contains("number") ? std::string(body["number"].as_string()) : "";
    if (auto url = item_url(item_url_template, {number, id, project, short_id})) body["url"] = *url;
  }
  return {std::move(body), true};
}

bool known_kind(std::string_view kind) {
  if (kind == "workItem") return true;
  for (auto& s : understanding::identity_specs())
    if (s.collection == kind) return true;
  return false;
}

std::string kind_list() {
  std::string s = "workItem";
  for (auto& spec : understanding::identity_specs()) s += ", " + std::string(spec.collection);
  return s;
}

asio::awaitable<HttpResponse> entity(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view param) {
  auto slash = param.find('/');
  std::string kind(param.substr(0, slash)), id(param.substr(slash + 1));
  if (!known_kind(kind))
    co_return error_response(req, http::status::not_found, "not_found", "no kind of thing '" + kind + "'; one of " + kind_list());
  auto found = co_await agent::run_blocking(app.db_executor(), [&] {
    auto view = app.store_for(scope.tenant);
    return read_entity(view.store(), kind, id, app.config().agent.item_url_template);
  });
  if (!found.found) co_return error_response(req, http::status::not_found, "not_found", "no " + kind + " with id '" + id + "' in the data this request can see");
  co_return json_response(req, http::status::ok, found.body);
}

constexpr std::size_t kMaxQueryBytes = 100;
constexpr std::size_t kMaxSuggestions = 8;

// ?q=: at most kMaxSuggestions things, best matches first: [{kind, id, name, number?, short_id?, project?}].
asio::awaitable<HttpResponse> search(AppContext& app, const HttpRequest& req, RequestScope scope, std::string_view) {
  std::string q = query_parameter(req, "q");
  if (q.size() > kMaxQueryBytes)
    co_return error_response(req, http::status::bad_request, "invalid_message", "q is over " + std::to_string(kMaxQueryBytes) + " bytes");
  json::array matches;
  if (q.find_first_not_of(" \t") != std::string::npos) {
    auto found = co_await agent::run_blocking(app.db_executor(), [&] {
      auto view = app.store_for(scope.tenant);
      mcp::ToolboxServices services{app.tools(), view.store(), [&] { return app.catalog(scope.tenant); }, [] { return unix_now() * 1000; }};
      return mcp::find_entity(json::object{{"text", q}}, services, nullptr).structured;
    });
    for (auto& m : found["matches"].as_array()) {
      if (matches.size() >= kMaxSuggestions) break;
      auto& o = m.as_object();
      json::object out{{"kind", o.at("collection")}, {"id", o.at("id")}, {"name", o.at("name")}};
      if (auto* n = o.if_contains("display_id")) out["number"] = *n;
      if (auto* s = o.if_contains("short_id")) out["short_id"] = *s;
      if (auto* p = o.if_contains("projects"); p && !p->as_array().empty()) out["project"] = p->as_array().front().at("name");
      matches.push_back(std::move(out));
    }
  }
  co_return json_response(req, http::status::ok, json::object{{"matches", std::move(matches)}});
}

const Route routes[] = {
    {http::verb::get, "/api/entities", search},
    {http::verb::get, "/api/entities/*/*", entity},
};

}  // namespace

std::span<const Route> entity_routes() { return routes; }

}  // namespace pms::server
