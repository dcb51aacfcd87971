#include "understanding/plan_builder.hpp"

#include "core/time_util.hpp"
#include "understanding/lexicon.hpp"

#include <algorithm>

namespace pms::understanding {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;

// The condition a link stands for: matched on the reference id where the name was resolved to
// what it names, else on the name.
Condition condition_of(const Link& l) {
  auto& matched = l.ids.empty() ? l.values : l.ids;
  json::value test;
  if (matched.size() == 1) {
    test = l.negated ? json::value(json::object{{"$ne", matched[0]}}) : json::value(json::string(matched[0]));
  } else {
    json::array arr;
    for (auto& v : matched) arr.emplace_back(v);
    test = json::object{{l.negated ? "$nin" : "$in", arr}};
  }
  return {l.ids.empty() ? l.path : l.id_path, test, link_text(l)};
}

}  // namespace

std::string values_text(const Link& l) {
  std::string values;
  for (std::size_t k = 0; k < l.values.size(); ++k) values += (k ? (k + 1 == l.values.size() ? " or " : ", ") : "") + l.values[k];
  return values;
}

std::string link_text(const Link& l) {
  return l.text.empty() ? std::string(role_spec(l.role).label) + (l.negated ? " is not " : " is ") + values_text(l) : l.text;
}

std::variant<QueryPlan, std::string> build_plan(const Reading& r, std::int64_t now_ms) {
  QueryPlan plan;
  plan.collection = std::string(r.entity->collection);
  plan.singular = std::string(r.entity->singular);
  plan.plural = std::string(r.entity->plural);
  for (auto c : r.entity->columns) plan.columns.emplace_back(c);
  // Extra columns the entity's documents hold: a stored category, a date, or a measure it has.
  auto holds = [&](const std::string& c) {
    if (r.entity_catalog->category(c) || r.entity_catalog->date(c)) return true;
    for (auto& m : measure_specs())
      if (m.path == c && std::find(m.collections.begin(), m.collections.end(), r.entity->collection) != m.collections.end()) return true;
    return false;
  };
  for (auto& c : r.extra_columns)
    if (holds(c) && std::find(plan.columns.begin(), plan.columns.end(), c) == plan.columns.end()) plan.columns.push_back(c);
  plan.details = r.details;
  plan.reference_names = r.reference_names;

  for (auto& l : r.links) {
    if (l.share) plan.share = condition_of(l);
    else plan.conditions.push_back(condition_of(l));
  }
  for (auto& c : r.conditions) plan.conditions.push_back(c);
  for (auto& t : r.times) {
    std::string_view path = t.kind == TimeCondition::created ? r.entity->created : t.kind == TimeCondition::updated ? r.entity->updated : r.entity->due;
    std::string verb = t.kind == TimeCondition::created ? std::string(r.entity->created_verb) + " "
                       : t.kind == TimeCondition::updated ? "updated "
                                                          : "due ";
    if (path.empty() || !r.entity_catalog->date(path))
      return plan.plural + " have no " + (t.kind == TimeCondition::due ? "due" : t.kind == TimeCondition::updated ? "update" : "creation") + " date to compare with " + t.range.text + ".";
    json::object test;
    if (t.range.from_ms) test["$gte"] = *format_iso8601_ms(*t.range.from_ms);
    if (t.range.to_ms) test["$lt"] = *format_iso8601_ms(*t.range.to_ms);
    plan.conditions.push_back({std::string(path), test, verb + t.range.text});
  }
  if (r.overdue) {
    if (r.entity->due.empty() || !r.entity_catalog->date(r.entity->due)) return plan.plural + " have no due date, so none can be overdue.";
    std::int64_t today = now_ms - ((now_ms % kDayMs) + kDayMs) % kDayMs;
    plan.conditions.push_back({std::string(r.entity->due), json::object{{"$lt", *format_iso8601_ms(today)}},
                               "overdue (due before " + format_day(today) + ")"});
    bool has_state = std::any_of(r.links.begin(), r.links.end(), [](auto& l) { return l.role == Role::state; });
    if (!has_state) {
      // Overdue means not finished: leave out the done and cancelled ones, by group where the
      // documents carry it.
      if (auto* groups = r.entity_catalog->category(kStateGroupPath)) {
        json::array closed;
        for (auto& v : stored_groups(*groups, {state_group::completed, state_group::cancelled})) closed.emplace_back(v);
        plan.conditions.push_back({std::string(kStateGroupPath), json::object{{"$nin", closed}}, "not done or cancelled"});
      } else if (auto path = r.role_path(Role::state)) {
        json::array closed;
        for (auto& v : r.entity_catalog->category(*path)->values)
          if (done_like(v.normalized) || cancelled_like(v.normalized)) closed.emplace_back(v.value);
        if (!closed.empty()) plan.conditions.push_back({*path, json::object{{"$nin", closed}}, "not done or cancelled"});
      }
    }
  }
  if (r.display_id) {
    std::string path(!r.entity->number.empty()            ? r.entity->number
                     : r.entity_catalog->category("displayBugNo") ? "displayBugNo"
                                                                  : "bugNo");
    plan.conditions.push_back({path, json::string(*r.display_id), "number is " + *r.display_id});
  }
  if (r.cycle && !r.entity_catalog->category("cycle.name")) return plan.plural + " do not belong to cycles in this data.";
  plan.cycle = r.cycle;

  if (r.measure) {
    auto& have = r.measure->collections;
    if (std::find(have.begin(), have.end(), r.entity->collection) == have.end())
      return plan.plural + " have no " + std::string(r.measure->label) + " in this data.";
    plan.measure = Measure{r.measure_kind, std::string(r.measure->path), std::string(r.measure->label)};
  }
  if ((r.measure || r.share) && r.top && !r.group)
    return "Say per what to compare, e.g. \"total estimate by assignee\" or \"percentage done by project\".";
  if (r.share && r.top) return "I can give the share per group, e.g. \"percentage done by project\", but not rank them yet.";
  if (r.distinct) {
    auto path = r.role_path(*r.distinct);
    if (!path) return plan.plural + " have no " + std::string(role_spec(*r.distinct).label) + " in this data.";
    // By the reference id where documents carry it: one person of two spellings is one.
    auto id_path = reference_id_path(*path);
    plan.distinct_path = !id_path.empty() && r.entity_catalog->has_reference(id_path) ? id_path : *path;
    plan.distinct_noun = "different " + std::string(role_spec(*r.distinct).label) + "s";
  }
  // People are counted once each, not once per project they are a member of.
  if (auto* people = identity_spec(r.entity->collection);
      people && people->id_path != "_id" && !r.memberships && !r.distinct && (r.count || r.group)) {
    plan.distinct_path = std::string(people->id_path);
    plan.distinct_noun = "people";
  }
  if (!r.series_unit.empty()) {
    auto kind = r.series_kind;
    std::string_view path = kind == TimeCondition::created ? r.entity->created : kind == TimeCondition::updated ? r.entity->updated : r.entity->due;
    std::string which = kind == TimeCondition::created ? "creation" : kind == TimeCondition::updated ? "update" : "due";
    if (path.empty() || !r.entity_catalog->date(path)) return plan.plural + " have no " + which + " date to count per " + r.series_unit + ".";
    if (r.measure || r.share || r.distinct || r.top)
      return "I can count " + plan.plural + " per " + r.series_unit + ", but not yet give totals, shares, different values or the busiest " + r.series_unit + ".";
    std::string label = kind == TimeCondition::created ? std::string(r.entity->created_verb) : kind == TimeCondition::updated ? "updated" : "due";
    plan.series = Series{r.series_unit, std::string(path), label};
    plan.distinct_path.clear();  // a period counts the records (memberships joined), not people once each
    plan.distinct_noun.clear();
  }
  if (r.top && !r.group)
    return "\"Most\" of what? Say what to compare, e.g. \"which assignee has the most open " + plan.plural + "\".";
  if (auto group = r.group) {
    // "status" and "state" are said for either: the one the entity has.
    if (*group == Role::state && !r.role_path(Role::state) && r.role_path(Role::status)) group = Role::status;
    auto path = r.role_path(*group);
    if (!path) return plan.plural + " are not grouped by " + std::string(role_spec(*group).label) + " in this data.";
    plan.operation = Operation::group;
    plan.group_path = r.group_id_path.empty() || *group != r.group ? *path : r.group_id_path;
    if (plan.group_path == r.group_id_path) plan.group_names = r.group_names;
    plan.group_label = std::string(role_spec(*group).label);
    plan.top = r.top;
    plan.ascending = r.ascending;
    plan.limit = r.limit.value_or(r.top ? 1 : 50);
  } else if (plan.series) {
    plan.operation = Operation::group;
    plan.limit = kMaxListed;
  } else if ((r.count && r.order == Order::none) || r.measure || r.share || r.distinct) {
    plan.operation = Operation::count;
  } else {
    plan.operation = Operation::list;
    plan.limit = r.all && !r.limit ? kMaxListed : std::clamp<std::int64_t>(r.limit.value_or(r.display_id ? 1 : kDefaultPage), 1, kMaxPage);
    std::string_view created = r.entity->created.empty() || !r.entity_catalog->date(r.entity->created) ? "" : r.entity->created;
    std::string_view updated = r.entity->updated.empty() || !r.entity_catalog->date(r.entity->updated) ? "" : r.entity->updated;
    // Overdue and someone's current work show when each is due; overdue ones most overdue first.
    bool due_known = !r.entity->due.empty() && r.entity_catalog->date(r.entity->due);
    bool by_due = std::any_of(r.times.begin(), r.times.end(), [](auto& t) { return t.kind == TimeCondition::due; });
    if ((r.overdue || r.working_on || by_due) && due_known && std::find(plan.columns.begin(), plan.columns.end(), r.entity->due) == plan.columns.end()) {
      plan.columns.emplace_back(r.entity->due);
      plan.due_column = std::string(r.entity->due);
    }
    if (r.overdue && due_known && r.order == Order::none) {
      plan.sort = json::object{{r.entity->due, 1}};
      plan.order_text = "most overdue first";
    } else if (by_due && due_known && r.order == Order::none) {
      plan.sort = json::object{{r.entity->due, 1}};
      plan.order_text = "soonest due first";
    } else if (r.order == Order::updated && !updated.empty()) {
      plan.sort = json::object{{updated, -1}};
      plan.order_text = "most recently updated first";
    } else if (r.order == Order::oldest && !created.empty()) {
      plan.sort = json::object{{created, 1}};
      plan.order_text = "oldest first";
    } else if (!created.empty()) {
      plan.sort = json::object{{created, -1}};
      plan.order_text = "newest first";
    } else if (r.order != Order::none) {
      return plan.plural + " have no date to order them by.";
    }
  }
  return plan;
}

}  // namespace pms::understanding
