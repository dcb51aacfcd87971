#include "understanding/model_plan.hpp"

#include "core/time_util.hpp"
#include "understanding/plan_builder.hpp"
#include "understanding/question_reader.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace pms::understanding {

// Pass 15 on a Reading the model's plan built: the names it gives are resolved to the ids of what
// they name exactly as a question's are (projects first, a name of two things asked about).
Reading QuestionReader::resolve(Reading reading) {
  r_ = std::move(reading);
  resolve_identities();
  return std::move(r_);
}

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::array<std::string_view, 5> kStateWords = {"open", "done", "cancelled", "in progress", "not started"};
constexpr std::array<std::string_view, 4> kOperations = {"count", "list", "group", "top"};
constexpr std::array<std::string_view, 3> kSorts = {"newest", "oldest", "updated"};
constexpr std::array<std::string_view, 6> kPlanKeys = {"entity", "operation", "filters", "group_by", "sort", "limit"};
constexpr std::string_view kDayPattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

struct DateKey {
  std::string_view key;
  TimeCondition::Kind kind;
  bool from;  // the first day, else the last
};
constexpr std::array<DateKey, 6> kDateKeys = {{{"created_from", TimeCondition::created, true},
                                               {"created_to", TimeCondition::created, false},
                                               {"updated_from", TimeCondition::updated, true},
                                               {"updated_to", TimeCondition::updated, false},
                                               {"due_from", TimeCondition::due, true},
                                               {"due_to", TimeCondition::due, false}}};

template <class List>
bool listed(const List& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// "user story" -> "user_story": a JSON key a model writes without spaces.
std::string role_key(Role role) {
  std::string key(role_spec(role).label);
  std::replace(key.begin(), key.end(), ' ', '_');
  return key;
}

std::optional<Role> role_of_key(std::string_view key) {
  for (auto& spec : role_specs())
    if (role_key(spec.role) == key) return spec.role;
  return std::nullopt;
}

Reading reading_of(const EntitySpec& entity, const CollectionCatalog* catalog) {
  Reading r;
  r.entity = &entity;
  r.entity_catalog = catalog;
  return r;
}

// The stored values of a role's field for the entity, most frequent first; for the entity's own
// name where its records are known, their names.
std::vector<std::string_view> stored_values(const Reading& r, Role role) {
  std::vector<std::string_view> out;
  auto path = r.role_path(role);
  if (!path) return out;
  if (auto* field = r.entity_catalog->category(*path)) {
    for (auto& v : field->values) out.push_back(v.value);
  } else if (role == Role::name) {
    for (auto& e : r.entity_catalog->entities) out.push_back(e.name.value);
  }
  return out;
}

bool has_date(const Reading& r, TimeCondition::Kind kind) {
  auto path = kind == TimeCondition::created ? r.entity->created : kind == TimeCondition::updated ? r.entity->updated : r.entity->due;
  return !path.empty() && r.entity_catalog->date(path);
}

bool has_states(const Reading& r) { return r.role_path(Role::state) || r.entity_catalog->category(kStateGroupPath); }

json::array enum_of(const auto& values) {
  json::array out;
  for (auto& v : values) out.emplace_back(v);
  return out;
}

std::string quoted_list(const std::vector<std::string_view>& values, std::size_t max) {
  std::string out;
  for (std::size_t k = 0; k < values.size() && k < max; ++k) out += (k ? ", " : "") + std::string(values[k]);
  if (values.size() > max) out += ", ...";
  return out;
}

// "2026-11-20" -> the start of that day (UTC) in ms; nullopt for anything else.
std::optional<std::int64_t> day_start(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto ms = parse_iso8601_ms(text);
  if (!ms || format_day(*ms) != text) return std::nullopt;  // "2026-02-30" is no day
  return ms;
}

// The state vocabulary's word as a question means it, for the entity: the reader's own links.
std::vector<Link> state_links(std::string_view word, const ValueCatalog& catalog, std::int64_t now_ms, const EntitySpec& entity) {
  auto read = QuestionReader(word, catalog, now_ms, &entity).read();
  std::vector<Link> out;
  for (auto& l : read.links)
    if (l.role == Role::state) out.push_back(std::move(l));
  return out;
}

struct Range {
  std::optional<std::int64_t> from, to;  // first day's start, the day after the last
};

std::string range_text(const Range& d) {
  if (d.from && d.to) return d.to == *d.from + kDayMs ? "on " + format_day(*d.from) : format_day(*d.from) + " to " + format_day(*d.to - kDayMs);
  if (d.from) return "since " + format_day(*d.from);
  return "until " + format_day(*d.to - kDayMs);
}

}  // namespace

json::object model_plan_schema(const ValueCatalog& catalog) {
  std::vector<std::string_view> entities;
  std::vector<std::string> groups;
  // Per filter key, in the order of the roles: the values offered, each once.
  std::vector<std::pair<std::string, std::vector<std::string_view>>> filters;
  std::set<std::pair<std::string, std::string_view>> seen;
  bool states = false;
  std::array<bool, 3> dates{};  // created, updated, due
  for (auto& spec : entity_specs()) {
    auto* cc = catalog.collection(spec.collection);
    if (!cc) continue;
    entities.push_back(spec.collection);
    auto r = reading_of(spec, cc);
    for (auto& role : role_specs()) {
      if (!r.role_path(role.role)) continue;
      auto key = role_key(role.role);
      if (!listed(groups, key)) groups.push_back(key);
      if (role.role == Role::state_group) continue;  // filtered through the state words
      auto values = stored_values(r, role.role);
      if (values.empty()) continue;
      auto it = std::find_if(filters.begin(), filters.end(), [&](auto& f) { return f.first == key; });
      if (it == filters.end()) it = filters.insert(filters.end(), {key, {}});
      for (auto v : values)
        if (it->second.size() < kModelPlanMaxEnum && seen.insert({key, v}).second) it->second.push_back(v);
    }
    states |= has_states(r);
    for (auto kind : {TimeCondition::created, TimeCondition::updated, TimeCondition::due}) dates[kind] = dates[kind] || has_date(r, kind);
  }
  if (entities.empty()) return {};

  json::object filter_properties;
  for (auto& [key, values] : filters) filter_properties[key] = json::object{{"enum", enum_of(values)}};
  if (states) filter_properties["state_group"] = json::object{{"enum", enum_of(kStateWords)}};
  for (auto& d : kDateKeys)
    if (dates[d.kind]) filter_properties[d.key] = json::object{{"type", "string"}, {"pattern", kDayPattern}};
  if (dates[TimeCondition::due]) filter_properties["overdue"] = json::object{{"type", "boolean"}};

  json::object properties{{"entity", json::object{{"enum", enum_of(entities)}}}, {"operation", json::object{{"enum", enum_of(kOperations)}}}};
  if (!filter_properties.empty())
    properties["filters"] = json::object{{"type", "object"}, {"properties", std::move(filter_properties)}, {"additionalProperties", false}};
  if (!groups.empty()) properties["group_by"] = json::object{{"enum", enum_of(groups)}};
  properties["sort"] = json::object{{"enum", enum_of(kSorts)}};
  properties["limit"] = json::object{{"type", "integer"}, {"minimum", 1}, {"maximum", 50}};
  return json::object{{"type", "object"},
                      {"properties", std::move(properties)},
                      {"required", json::array{"entity", "operation"}},
                      {"additionalProperties", false}};
}

std::variant<Reading, std::string> reading_from_model_json(std::string_view json_text, const ValueCatalog& catalog, std::int64_t now_ms) {
  std::string error;
  auto parsed = try_parse(json_text, &error);
  if (!parsed) return "the model's plan is not JSON (" + error + ")";
  if (!parsed->is_object()) return "the model's plan is not a JSON object";
  auto& plan = parsed->get_object();
  for (auto& member : plan)
    if (!listed(kPlanKeys, member.key())) return "the model's plan has an unknown key \"" + std::string(member.key()) + "\"";

  auto entity_name = string_member(plan, "entity");
  if (!entity_name) return "the model's plan names no entity";
  auto* spec = entity_by_collection(*entity_name);
  auto* cc = spec ? catalog.collection(spec->collection) : nullptr;
  if (!cc) return "\"" + std::string(*entity_name) + "\" is not an entity of this data";
  Reading r = reading_of(*spec, cc);
  const std::string plural(spec->plural);

  auto operation = string_member(plan, "operation");
  if (!operation || !listed(kOperations, *operation)) return "the model's plan has no operation among count, list, group and top";
  if (auto* g = plan.if_contains("group_by")) {
    auto role = g->is_string() ? role_of_key(g->get_string()) : std::nullopt;
    if (!role) return "the model's plan groups by " + dump(*g) + ", which is no role";
    if (!r.role_path(*role)) return plural + " are not grouped by " + std::string(role_spec(*role).label) + " in this data";
    r.group = role;
  }
  if (*operation == "list" && r.group) return "the model's plan lists and groups at once";
  if ((*operation == "group" || *operation == "top") && !r.group) return "the model's plan groups without a group_by";
  r.count = *operation == "count";
  r.top = *operation == "top";
  if (auto* s = plan.if_contains("sort")) {
    if (!s->is_string() || !listed(kSorts, s->get_string())) return "the model's plan sorts by " + dump(*s) + ", not newest, oldest or updated";
    if (*operation == "list") r.order = s->get_string() == "newest" ? Order::newest : s->get_string() == "oldest" ? Order::oldest : Order::updated;
  }
  if (auto* l = plan.if_contains("limit")) {
    if (!l->is_int64() || l->get_int64() < 1 || l->get_int64() > 50) return "the model's plan has a limit of " + dump(*l) + ", not 1 to 50";
    if (*operation != "count") r.limit = l->get_int64();
  }

  std::array<Range, 3> ranges;  // created, updated, due
  if (auto* f = plan.if_contains("filters")) {
    if (!f->is_object()) return "the model's plan has filters that are not an object";
    for (auto& member : f->get_object()) {
      // Named, not a structured binding: clang 14 cannot capture bindings in a lambda.
      std::string_view key = member.key();
      const json::value& value = member.value();
      auto date = std::find_if(kDateKeys.begin(), kDateKeys.end(), [&](auto& d) { return d.key == key; });
      if (date != kDateKeys.end()) {
        auto day = value.is_string() ? day_start(value.get_string()) : std::nullopt;
        if (!day) return "the model's plan has " + std::string(key) + " " + dump(value) + ", which is not a day (YYYY-MM-DD)";
        (date->from ? ranges[date->kind].from : ranges[date->kind].to) = date->from ? *day : *day + kDayMs;
        continue;
      }
      if (key == "overdue") {
        if (!value.is_bool()) return "the model's plan has overdue " + dump(value) + ", not true or false";
        r.overdue = value.get_bool();
        continue;
      }
      if (key == "state_group") {
        if (!value.is_string() || !listed(kStateWords, value.get_string()))
          return "the model's plan has state_group " + dump(value) + ", not one of open, done, cancelled, in progress, not started";
        auto links = state_links(value.get_string(), catalog, now_ms, *spec);
        if (links.empty()) return plural + " have no states that say what is " + std::string(value.get_string()) + " in this data";
        for (auto& l : links) r.links.push_back(std::move(l));
        continue;
      }
      auto role = role_of_key(key);
      if (!role || *role == Role::state_group) return "the model's plan filters on \"" + std::string(key) + "\", which is no field";
      auto path = r.role_path(*role);
      if (!path) return plural + " have no " + std::string(role_spec(*role).label) + " in this data";
      auto values = stored_values(r, *role);
      if (!value.is_string() || !listed(values, value.get_string()))
        return dump(value) + " is not a stored " + std::string(role_spec(*role).label) + " of " + plural + " (stored: " + quoted_list(values, 8) + ")";
      r.links.push_back(Link{*role, *path, {std::string(value.get_string())}});
    }
  }
  for (auto kind : {TimeCondition::created, TimeCondition::updated, TimeCondition::due}) {
    auto& d = ranges[kind];
    if (!d.from && !d.to) continue;
    if (d.from && d.to && *d.from >= *d.to) return "the model's plan has dates that end before they start";
    r.times.push_back({kind, TimeRange{d.from, d.to, range_text(d)}});
  }

  r = QuestionReader("", catalog, now_ms, spec).resolve(std::move(r));
  if (!r.problem.empty()) return r.problem;
  return r;
}

std::variant<QueryPlan, std::string> plan_from_model_json(std::string_view json_text, const ValueCatalog& catalog, std::int64_t now_ms) {
  auto read = reading_from_model_json(json_text, catalog, now_ms);
  if (auto* problem = std::get_if<std::string>(&read)) return std::move(*problem);
  return build_plan(std::get<Reading>(read), now_ms);
}

}  // namespace pms::understanding
