#include "mcp/find_entity.hpp"

#include "understanding/pms_model.hpp"
#include "understanding/text_match.hpp"

#include <algorithm>

namespace pms::mcp {

namespace {

constexpr std::size_t kMaxMatches = 25;
constexpr std::int64_t kMaxStoreRows = 200;  // rows read per collection where the catalog has no entities

// Where one kind of thing keeps its id, name, short id and display number.
struct Kind {
  std::string_view kind, collection, id_path, name_path, short_id_path, number_path;
  json::array referenced_as;  // where other documents hold its id: "assignee._id", "project._id"
};

// The reference paths of the roles whose names live in `collection` (pms_model's role specs).
json::array references_to(std::string_view collection) {
  json::array out;
  for (auto& role : understanding::role_specs()) {
    if (role.owner_collection != collection) continue;
    for (auto path : role.paths)
      if (auto id = understanding::reference_id_path(path); !id.empty()) out.emplace_back(id);
  }
  return out;
}

// The kinds of the identity specs (pms_model.hpp), named as agents say them, plus work items,
// which the catalog does not hold one by one (there are too many).
const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = [] {
    static const std::pair<std::string_view, std::string_view> names[] = {
        {"project", "project"}, {"cycle", "cycle"},        {"module", "module"},   {"epic", "epic"},
        {"features", "feature"}, {"userStory", "user_story"}, {"members", "person"}};
    std::vector<Kind> out;
    auto number_of = [](std::string_view collection) {
      auto* e = understanding::entity_by_collection(collection);
      return e ? e->number : std::string_view();
    };
    for (auto& spec : understanding::identity_specs()) {
      for (auto& [collection, kind] : names)
        if (collection == spec.collection)
          out.push_back({kind, spec.collection, spec.id_path, spec.name_path, spec.short_id_path, number_of(spec.collection),
                         references_to(spec.collection)});
    }
    out.push_back({"work_item", "workItem", "_id", "title", "", number_of("workItem"), references_to("workItem")});
    return out;
  }();
  return all;
}

std::string kind_list() {
  std::string s;
  for (auto& k : kinds()) s += (s.empty() ? "" : ", ") + std::string(k.kind);
  return s;
}

enum class Tier { exact, typo, partial, none };

std::string_view tier_name(Tier t) { return t == Tier::exact ? "exact" : t == Tier::typo ? "typo" : "partial"; }

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string regex_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

struct Query {
  std::string text;        // as given, trimmed
  std::string normalized;  // text_match's form
};

// How `q` names a thing with this id, name, short id and display number.
Tier classify(const Query& q, std::string_view id, std::string_view name_normalized, std::string_view short_normalized,
              std::string_view number) {
  if (id == q.text || (!number.empty() && upper(number) == upper(q.text))) return Tier::exact;
  if (q.normalized.empty()) return Tier::none;
  if (name_normalized == q.normalized || (!short_normalized.empty() && short_normalized == q.normalized)) return Tier::exact;
  if (understanding::fuzzy_equal(q.normalized, name_normalized)) return Tier::typo;
  if (q.normalized.size() >= 3 && name_normalized.find(q.normalized) != std::string_view::npos) return Tier::partial;
  return Tier::none;
}

struct Match {
  Tier tier;
  std::string name;
  json::object found;
};

const json::value* at_path(const json::value& doc, std::string_view path) {
  const json::value* v = &doc;
  while (v) {
    auto dot = path.find('.');
    auto* o = v->if_object();
    v = o ? o->if_contains(path.substr(0, dot)) : nullptr;
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  return v;
}

std::string string_at(const json::value& doc, std::string_view path) {
  if (path.empty()) return {};
  auto* v = at_path(doc, path);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object described(const Kind& k, std::string_view id, std::string_view name, Tier tier) {
  json::object o{{"kind", k.kind}, {"collection", k.collection}, {"id", id}, {"id_path", k.id_path}, {"name", name}, {"match", tier_name(tier)}};
  if (!k.referenced_as.empty()) o["referenced_as"] = k.referenced_as;
  return o;
}

// Things the catalog holds one by one: matched with typos, as questions are.
void match_catalog(const Kind& k, const understanding::CollectionCatalog& c, const understanding::ValueCatalog& catalog, const Query& q,
                   std::vector<Match>& out) {
  auto* projects = catalog.collection("project");
  for (auto& e : c.entities) {
    Tier t = classify(q, e.id, e.name.normalized, e.short_id.normalized, {});
    if (t == Tier::none) continue;
    json::object found = described(k, e.id, e.name.value, t);
    if (!e.short_id.value.empty()) found["short_id"] = e.short_id.value;
    json::array in;
    for (auto& p : e.projects) {
      if (p == e.id) continue;
      auto* project = projects ? projects->entity(p) : nullptr;
      in.push_back(json::object{{"id", p}, {"name", project ? project->name.value : ""}});
    }
    if (!in.empty()) found["projects"] = std::move(in);
    out.push_back({t, e.name.value, std::move(found)});
  }
}

// Everything else is looked up in the store: by id, display number, short id or a part of the name.
void match_store(const Kind& k, const Query& q, const ToolboxServices& s, const CancelToken* cancel, std::vector<Match>& out) {
  if (!s.store.has_collection(k.collection)) return;
  json::array any{json::object{{k.id_path, q.text}},
                  json::object{{k.name_path, json::object{{"$regex", regex_escape(q.text)}, {"$options", "i"}}}}};
  if (!k.number_path.empty()) any.push_back(json::object{{k.number_path, upper(q.text)}});
  if (!k.short_id_path.empty())
    any.push_back(json::object{{k.short_id_path, json::object{{"$regex", "^" + regex_escape(q.text) + "$"}, {"$options", "i"}}}});
  store::FindRequest req;
  req.collection = std::string(k.collection);
  req.filter = json::object{{"$or", std::move(any)}};
  req.limit = kMaxStoreRows;
  std::vector<std::string> seen;
  for (auto& doc : s.store.find(req, cancel)) {
    std::string id = string_at(doc, k.id_path), name = string_at(doc, k.name_path);
    std::string short_id = string_at(doc, k.short_id_path), number = string_at(doc, k.number_path);
    if (id.empty() || std::find(seen.begin(), seen.end(), id) != seen.end()) continue;  // members: a row per project
    seen.push_back(id);
    Tier t = classify(q, id, understanding::normalize_text(name), understanding::normalize_text(short_id), number);
    if (t == Tier::none) t = Tier::partial;  // the name holds the text as typed
    json::object found = described(k, id, name, t);
    if (!short_id.empty()) found["short_id"] = short_id;
    if (!number.empty()) found["display_id"] = number;
    std::string project_id = string_at(doc, "project._id");
    if (!project_id.empty() && project_id != id)
      found["projects"] = json::array{json::object{{"id", project_id}, {"name", string_at(doc, "project.name")}}};
    out.push_back({t, name, std::move(found)});
  }
}

}  // namespace

const tools::ToolDefinition& find_entity_definition() {
  static const tools::ToolDefinition def = [] {
    json::array kind_enum;
    for (auto& k : kinds()) kind_enum.emplace_back(k.kind);
    return tools::ToolDefinition{
        "find_entity",
        "Find the projects, work items, people, cycles, modules, epics, features or user stories a name, short id (\"FLEET\"), "
        "display number (\"MAA2-12\") or id refers to, with their ids, the path holding the id in their own collection (id_path) "
        "and the paths other documents reference them by (referenced_as), to filter the other tools on (e.g. "
        "{\"assignee._id\": id}). Names match ignoring case and accents, with small typos (\"match\": exact, typo or partial).",
        tools::schema_object({{"kind", json::object{{"type", "string"}, {"enum", std::move(kind_enum)}, {"description", "Only this kind of thing"}}},
                              {"text", json::object{{"type", "string"}, {"description", "A name, a part of one, a short id, a display number or an id"}}}},
                             {"text"})};
  }();
  return def;
}

CallResult find_entity(const json::object& arguments, const ToolboxServices& s, const CancelToken* cancel) {
  Query q;
  q.text = tools::required_string(arguments, "text");
  q.text.erase(0, q.text.find_first_not_of(" \t\r\n"));
  q.text.erase(q.text.find_last_not_of(" \t\r\n") + 1);
  if (q.text.empty()) throw tools::ToolArgumentError("'text' must name something: a name, short id, display number or id");
  q.normalized = understanding::normalize_text(q.text);
  std::string kind;
  if (auto* k = arguments.if_contains("kind"); k && !k->is_null()) {
    if (!k->is_string()) throw tools::ToolArgumentError("'kind' must be one of: " + kind_list());
    kind = std::string(k->get_string());
    if (std::none_of(kinds().begin(), kinds().end(), [&](auto& x) { return x.kind == kind; }))
      throw tools::ToolArgumentError("there is no kind '" + kind + "'; the kinds are: " + kind_list());
  }

  auto catalog = s.catalog();
  std::vector<Match> matches;
  for (auto& k : kinds()) {
    if (!kind.empty() && k.kind != kind) continue;
    auto* c = catalog ? catalog->collection(k.collection) : nullptr;
    if (c && !c->entities.empty()) match_catalog(k, *c, *catalog, q, matches);
    else match_store(k, q, s, cancel, matches);
  }
  std::stable_sort(matches.begin(), matches.end(), [](auto& a, auto& b) { return a.tier < b.tier; });

  json::array found;
  for (std::size_t i = 0; i < matches.size() && i < kMaxMatches; ++i) found.push_back(std::move(matches[i].found));
  CallResult out;
  out.structured = json::object{{"text", q.text}, {"returned", static_cast<std::int64_t>(found.size())}};
  if (matches.size() > kMaxMatches)
    out.structured["more"] = std::to_string(matches.size() - kMaxMatches) + " more match; give a longer name or a kind";
  if (found.empty()) out.structured["note"] = "nothing " + (kind.empty() ? std::string() : "of kind " + kind + " ") + "is named '" + q.text + "'";
  out.structured["matches"] = std::move(found);
  out.text = dump(out.structured);
  return out;
}

}  // namespace pms::mcp
