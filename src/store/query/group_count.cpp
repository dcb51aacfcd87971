#include "store/query/group_count.hpp"

#include "store/query/field_path.hpp"

namespace pms::store {

json::value GroupCount::group_document(const json::value& key, std::int64_t n) const {
  json::object out{{"_id", key}};
  for (auto& name : count_names) out[name] = n;
  return out;
}

namespace {

bool counts(const json::value& accumulator) {
  auto* o = accumulator.if_object();
  if (!o || o->size() != 1) return false;
  auto& [op, arg] = *o->begin();
  if (op == "$count") return arg.is_object() && arg.get_object().empty();
  return op == "$sum" && arg.is_int64() && arg.get_int64() == 1;
}

}  // namespace

std::optional<GroupCount> match_group_count(const json::value& pipeline) {
  auto* stages = pipeline.if_array();
  if (!stages) return std::nullopt;
  GroupCount out;
  std::size_t i = 0;
  for (; i < stages->size(); ++i) {
    auto* stage = (*stages)[i].if_object();
    if (!stage || stage->size() != 1 || stage->begin()->key() != "$match") break;
    auto* match = stage->begin()->value().if_object();
    if (!match) return std::nullopt;
    for (auto& [k, v] : *match) {
      // Top-level operators ($or, $and, ...) and a field named twice stay with the engine.
      if (k.starts_with("$") || out.match.contains(k)) return std::nullopt;
      out.match[k] = v;
    }
  }
  if (i >= stages->size()) return std::nullopt;
  // {"$unwind": {"path": "$state", "preserveNullAndEmptyArrays": true}} before grouping by a path
  // under it changes nothing where no array is on the path, which is what a backend checks.
  std::string unwound;
  if (auto* u = (*stages)[i].if_object(); u && u->size() == 1 && u->begin()->key() == "$unwind") {
    auto* arg = u->begin()->value().if_object();
    auto* path = arg ? arg->if_contains("path") : nullptr;
    auto* keep = arg ? arg->if_contains("preserveNullAndEmptyArrays") : nullptr;
    if (!path || !path->is_string() || !keep || *keep != true || arg->size() != 2) return std::nullopt;
    unwound = std::string(path->get_string());
    if (++i >= stages->size()) return std::nullopt;
  }
  auto* stage = (*stages)[i].if_object();
  if (!stage || stage->size() != 1 || stage->begin()->key() != "$group") return std::nullopt;
  auto* group = stage->begin()->value().if_object();
  if (!group) return std::nullopt;
  for (auto& [k, v] : *group) {
    if (k == "_id") {
      auto* id = v.if_string();
      if (!id || id->size() < 2 || (*id)[0] != '$' || (*id)[1] == '$') return std::nullopt;
      out.path = std::string(id->subview(1));
    } else if (counts(v)) {
      out.count_names.emplace_back(k);
    } else {
      return std::nullopt;
    }
  }
  if (out.path.empty()) return std::nullopt;
  if (!unwound.empty() && unwound != "$" + out.path.substr(0, out.path.find('.'))) return std::nullopt;
  // In an aggregation expression "a.0" names a field "0", not an array position: not the index's meaning.
  FieldPath path(out.path);
  for (auto& part : path.parts())
    if (part.empty() || is_array_index(part)) return std::nullopt;
  for (++i; i < stages->size(); ++i) out.rest.push_back((*stages)[i]);
  return out;
}

}  // namespace pms::store
