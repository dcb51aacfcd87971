#include "store/query/projection.hpp"

#include "store/query/field_path.hpp"
#include "store/query/query_error.hpp"

namespace pms::store {

std::vector<std::string> split_path(std::string_view dotted) { return FieldPath(dotted).parts(); }

namespace {

void include_path_into(const json::value& src, json::value& dst, const std::vector<std::string>& parts, std::size_t i);

bool projection_flag(std::string_view field, const json::value& v) {
  if (v.is_bool()) return v.get_bool();
  if (v.is_int64()) return v.get_int64() != 0;
  if (v.is_uint64()) return v.get_uint64() != 0;
  if (v.is_double()) return v.get_double() != 0;
  throw_query_error("projection of '" + std::string(field) +
                    "' must be 1 (include) or 0 (exclude); computed fields need the aggregate tool with $project");
}

// Copies the parts of `src` reached by `parts[i..]` into `dst` (an object or array being built).
void include_path(const json::value& src, json::value& dst, const std::vector<std::string>& parts, std::size_t i) {
  if (auto* obj = src.if_object()) {
    auto it = obj->find(parts[i]);
    if (it == obj->end()) return;
    if (!dst.is_object()) dst = json::object();
    auto& out = dst.get_object();
    if (i + 1 == parts.size()) {
      out[parts[i]] = it->value();
      return;
    }
    const json::value& child = it->value();
    if (!child.is_object() && !child.is_array()) return;
    json::value& slot = out[parts[i]];
    if (slot.is_null()) slot = child.is_array() ? json::value(json::array()) : json::value(json::object());
    include_path_into(child, slot, parts, i + 1);
  }
}

void include_path_into(const json::value& src, json::value& dst, const std::vector<std::string>& parts, std::size_t i) {
  if (auto* arr = src.if_array()) {
    // Arrays keep, per element document, only the included sub-fields; scalars are dropped.
    auto& out = dst.is_array() ? dst.get_array() : dst.emplace_array();
    std::size_t k = 0;
    for (auto& el : *arr) {
      if (!el.is_object() && !el.is_array()) continue;
      if (k >= out.size()) out.push_back(el.is_array() ? json::value(json::array()) : json::value(json::object()));
      include_path_into(el, out[k], parts, i);
      ++k;
    }
    return;
  }
  include_path(src, dst, parts, i);
}

}  // namespace

void remove_path(json::value& doc, const std::vector<std::string>& parts, std::size_t i) {
  if (auto* obj = doc.if_object()) {
    if (i + 1 == parts.size()) {
      obj->erase(parts[i]);
      return;
    }
    auto it = obj->find(parts[i]);
    if (it != obj->end()) remove_path(it->value(), parts, i + 1);
  } else if (auto* arr = doc.if_array()) {
    for (auto& el : *arr) remove_path(el, parts, i);
  }
}

Projection Projection::compile(const json::value& spec) {
  Projection p;
  if (spec.is_null()) return p;
  if (!spec.is_object()) throw_query_error("a projection must be a JSON object, got " + dump(spec));
  std::optional<bool> mode;
  bool id_only_included = false;
  for (auto& [key, v] : spec.get_object()) {
    bool on = projection_flag(key, v);
    if (key == "_id") {
      p.include_id_ = on;
      id_only_included = on;
      continue;
    }
    if (mode && *mode != on)
      throw_query_error("a projection cannot mix included and excluded fields (only _id may be excluded in an inclusion)");
    mode = on;
    p.paths_.push_back(split_path(key));
  }
  // {"_id": 1} alone is an inclusion of _id only.
  p.inclusion_ = mode.value_or(id_only_included);
  return p;
}

json::value Projection::apply(const json::value& doc) const {
  if (is_identity() || !doc.is_object()) return doc;
  if (inclusion_) {
    json::value out = json::object();
    if (include_id_) {
      if (auto it = doc.get_object().find("_id"); it != doc.get_object().end()) out.get_object()["_id"] = it->value();
    }
    for (auto& parts : paths_) include_path_into(doc, out, parts, 0);
    return out;
  }
  json::value out = doc;
  if (!include_id_) out.get_object().erase("_id");
  for (auto& parts : paths_) remove_path(out, parts);
  return out;
}

}  // namespace pms::store
