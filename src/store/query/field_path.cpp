#include "store/query/field_path.hpp"

#include "store/query/query_error.hpp"

#include <charconv>

namespace pms::store {

bool is_array_index(std::string_view s) {
  if (s.empty() || s.size() > 9) return false;
  for (char c : s) if (c < '0' || c > '9') return false;
  return true;
}

FieldPath::FieldPath(std::string_view dotted) : dotted_(dotted) {
  if (dotted.empty()) throw_query_error("empty field name in a filter or path");
  std::size_t start = 0;
  while (true) {
    auto dot = dotted.find('.', start);
    auto part = dotted.substr(start, dot == std::string_view::npos ? dotted.npos : dot - start);
    if (part.empty()) throw_query_error("field path '" + std::string(dotted) + "' has an empty part");
    if (part.front() == '$') throw_query_error("field path '" + std::string(dotted) + "' may not contain a '$' part");
    parts_.emplace_back(part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
}

namespace {
std::size_t to_index(std::string_view s) {
  std::size_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}
}  // namespace

void FieldPath::collect(const json::value& doc, std::vector<const json::value*>& out) const {
  collect_from(doc, 0, out);
}

void FieldPath::collect_from(const json::value& v, std::size_t i, std::vector<const json::value*>& out) const {
  if (i == parts_.size()) {
    out.push_back(&v);
    return;
  }
  const std::string& part = parts_[i];
  if (auto* obj = v.if_object()) {
    auto it = obj->find(part);
    if (it == obj->end()) out.push_back(nullptr);
    else collect_from(it->value(), i + 1, out);
    return;
  }
  if (auto* arr = v.if_array()) {
    if (is_array_index(part)) {
      std::size_t idx = to_index(part);
      if (idx < arr->size()) collect_from((*arr)[idx], i + 1, out);
    }
    // Implicit traversal: the step applies to each element that is a document.
    for (auto& el : *arr) {
      if (el.is_object()) collect_from(el, i, out);
    }
    return;
  }
  out.push_back(nullptr);  // a scalar has no fields: the path is missing here
}

const json::value* FieldPath::lookup(const json::value& doc) const {
  const json::value* cur = &doc;
  for (auto& part : parts_) {
    if (auto* obj = cur->if_object()) {
      auto it = obj->find(part);
      if (it == obj->end()) return nullptr;
      cur = &it->value();
    } else if (auto* arr = cur->if_array(); arr && is_array_index(part)) {
      std::size_t idx = to_index(part);
      if (idx >= arr->size()) return nullptr;
      cur = &(*arr)[idx];
    } else {
      return nullptr;
    }
  }
  return cur;
}

}  // namespace pms::store
