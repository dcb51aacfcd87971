#include "store/sqlite/value_index.hpp"

#include "store/query/filter.hpp"
#include "store/query/projection.hpp"

#include <algorithm>

namespace pms::store::sqlite {

std::vector<std::string> default_indexed_paths() {
  return {"business._id", "project._id", "project.name", "state.name", "priority", "status", "assignee._id",
          "assignee.name", "label.name", "cycle._id", "cycle.name", "modules._id", "modules.name", "epic._id",
          "epic.name", "createdTimeStamp", "name", "displayBugNo", "projectDisplayId", "role", "createdBy.name",
          "lead.name", "stateMaster.name", "business.name", "type", "visibility", "access"};
}

namespace {

// The index holds strings and numbers (not booleans, nulls, documents or arrays themselves).
std::optional<ValueIndex::Bind> indexable(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

}  // namespace

ValueIndex::ValueIndex(std::vector<std::string> paths) : paths_(std::move(paths)) {
  for (auto& p : paths_) fields_.emplace_back(p);
}

void ValueIndex::add(Statement& st, Statement& mark_mixed, std::string_view collection, std::int64_t seq,
                     const json::value& doc) const {
  std::vector<const json::value*> reached;
  for (auto& field : fields_) {
    const std::string& path = field.dotted();
    reached.clear();
    field.collect(doc, reached);
    // A $group key is the value read without array traversal: one indexed scalar, or nothing at all.
    const json::value* direct = field.lookup(doc);
    bool single = direct && !direct->is_null()
                      ? indexable(*direct).has_value()
                      : std::none_of(reached.begin(), reached.end(), [](auto* r) { return r && !r->is_null(); });
    if (!single) {
      mark_mixed.bind(1, collection).bind(2, path);
      mark_mixed.run();
    }
    auto put = [&](const json::value& v) {
      auto b = indexable(v);
      if (!b) return;
      st.bind(1, collection).bind(2, path).bind(4, seq);
      std::visit([&](auto& x) { st.bind(3, x); }, *b);
      st.run();
    };
    for (auto* r : reached) {
      if (!r) continue;
      if (auto* a = r->if_array()) {
        for (auto& el : *a) put(el);
      } else {
        put(*r);
      }
    }
  }
}

bool ValueIndex::covers(std::string_view path, const std::vector<std::string>& hidden) const {
  if (path.starts_with("$") || std::find(paths_.begin(), paths_.end(), path) == paths_.end()) return false;
  auto parts = split_path(path);
  return std::none_of(parts.begin(), parts.end(),
                      [&](auto& p) { return std::find(hidden.begin(), hidden.end(), p) != hidden.end(); });
}

std::optional<ValueIndex::Plan> ValueIndex::plan(const json::value& filter, const std::vector<std::string>& hidden) const {
  auto* o = filter.if_object();
  if (!o || o->empty()) return std::nullopt;
  Plan plan;
  plan.exact = true;
  std::vector<std::string> parts;
  int next = 2;
  auto predicate = [&](const std::string& path, std::string_view condition, std::vector<Bind> values) {
    std::string sql = "SELECT seq FROM doc_values WHERE collection = ?1 AND path = ?" + std::to_string(next++);
    plan.binds.push_back(path);
    std::string cond(condition);
    // Each placeholder "?" in the condition takes the next bind number.
    std::size_t from = 0;
    for (auto& v : values) {
      auto at = cond.find('?', from);
      auto numbered = "?" + std::to_string(next++);
      cond.replace(at, 1, numbered);
      from = at + numbered.size();
      plan.binds.push_back(std::move(v));
    }
    parts.push_back(sql + " AND " + cond);
  };
  for (auto& [key, raw] : *o) {
    std::string path(key);
    if (!covers(path, hidden)) {
      plan.exact = false;
      continue;
    }
    json::value value = normalize_literal(raw);
    auto* ops = value.if_object();
    bool operators = ops && !ops->empty() && ops->begin()->key().starts_with("$");
    if (!operators) {
      if (auto b = indexable(value)) predicate(path, "value = ?", {*b});
      else plan.exact = false;
      continue;
    }
    for (auto& [op, arg] : *ops) {
      if (op == "$eq") {
        if (auto b = indexable(arg)) predicate(path, "value = ?", {*b});
        else plan.exact = false;
      } else if (op == "$in" && arg.is_array() && !arg.get_array().empty()) {
        std::vector<Bind> values;
        for (auto& x : arg.get_array())
          if (auto b = indexable(x)) values.push_back(*b);
        if (values.size() != arg.get_array().size()) {
          plan.exact = false;  // null, a regex, a document: the engine decides
          continue;
        }
        std::string in = "value IN (";
        for (std::size_t i = 0; i < values.size(); ++i) in += i ? ", ?" : "?";
        predicate(path, in + ")", std::move(values));
      } else if (op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte") {
        auto b = indexable(arg);
        if (!b) {
          plan.exact = false;
          continue;
        }
        // Type bracketing: a number compares with numbers only, a string with strings only.
        std::string type = std::holds_alternative<std::string>(*b) ? "typeof(value) = 'text'" : "typeof(value) IN ('integer', 'real')";
        std::string sign = op == "$gt" ? ">" : op == "$gte" ? ">=" : op == "$lt" ? "<" : "<=";
        predicate(path, type + " AND value " + sign + " ?", {*b});
      } else {
        plan.exact = false;
      }
    }
  }
  if (parts.empty()) return std::nullopt;
  for (std::size_t i = 0; i < parts.size(); ++i) plan.candidates += (i ? " INTERSECT " : "") + parts[i];
  return plan;
}

void bind_plan(Statement& st, const ValueIndex::Plan& plan, int first) {
  for (std::size_t i = 0; i < plan.binds.size(); ++i)
    std::visit([&](auto& x) { st.bind(first + static_cast<int>(i), x); }, plan.binds[i]);
}

}  // namespace pms::store::sqlite
