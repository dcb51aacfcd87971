#include "store/query/sort_spec.hpp"

#include "store/query/query_error.hpp"
#include "store/query/value_compare.hpp"

#include <algorithm>

namespace pms::store {

SortSpec SortSpec::compile(const json::value& spec) {
  SortSpec s;
  if (spec.is_null()) return s;
  if (!spec.is_object()) throw_query_error("a sort must be a JSON object like {\"field\": 1}, got " + dump(spec));
  for (auto& [key, v] : spec.get_object()) {
    double dir = is_number(v) ? to_double(v) : 0;
    if (dir != 1 && dir != -1)
      throw_query_error("sort direction for '" + std::string(key) + "' must be 1 or -1, got " + dump(v));
    s.keys_.push_back({FieldPath(key), dir == 1});
  }
  return s;
}

namespace {
// The value a document sorts by on one key. `empty_array` ranks below everything else.
struct SortValue {
  bool empty_array = false;
  json::value value;
};

SortValue sort_value(const json::value& doc, const FieldPath& path, bool ascending) {
  std::vector<const json::value*> cands;
  path.collect(doc, cands);
  const json::value* best = nullptr;
  bool saw_value = false, saw_empty_array = false;
  static const json::value null_value;
  auto consider = [&](const json::value* v) {
    saw_value = true;
    if (!best) { best = v; return; }
    int c = compare_values(*v, *best);
    if (ascending ? c < 0 : c > 0) best = v;
  };
  for (auto* c : cands) {
    if (!c) { consider(&null_value); continue; }
    if (auto* arr = c->if_array()) {
      if (arr->empty()) saw_empty_array = true;
      for (auto& el : *arr) consider(&el);
    } else {
      consider(c);
    }
  }
  if (!saw_value) return saw_empty_array ? SortValue{true, {}} : SortValue{false, {}};
  return SortValue{false, *best};
}

int compare_sort_values(const SortValue& a, const SortValue& b) {
  if (a.empty_array != b.empty_array) return a.empty_array ? -1 : 1;
  return compare_values(a.value, b.value);
}
}  // namespace

void SortSpec::sort(std::vector<json::value>& docs, std::size_t limit) const {
  if (keys_.empty() || docs.size() < 2) return;
  struct Row {
    std::vector<SortValue> keys;
    std::size_t index;
  };
  std::vector<Row> rows;
  rows.reserve(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) {
    Row r{{}, i};
    r.keys.reserve(keys_.size());
    for (auto& k : keys_) r.keys.push_back(sort_value(docs[i], k.path, k.ascending));
    rows.push_back(std::move(r));
  }
  auto less = [&](const Row& a, const Row& b) {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      int c = compare_sort_values(a.keys[k], b.keys[k]);
      if (c != 0) return keys_[k].ascending ? c < 0 : c > 0;
    }
    return a.index < b.index;
  };
  if (limit > 0 && limit < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(limit), rows.end(), less);
    rows.resize(limit);
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
  std::vector<json::value> sorted;
  sorted.reserve(rows.size());
  for (auto& r : rows) sorted.push_back(std::move(docs[r.index]));
  docs = std::move(sorted);
}

}  // namespace pms::store
