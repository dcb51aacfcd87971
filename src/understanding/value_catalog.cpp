#include "understanding/value_catalog.hpp"

#include "core/time_util.hpp"
#include "store/query/field_path.hpp"
#include "store/query/query_error.hpp"
#include "understanding/text_match.hpp"

#include <spdlog/spdlog.h>

#include <map>

namespace pms::understanding {

namespace {

// Fields that never name a category: identifiers, class names and free text.
bool skipped_key(std::string_view key) {
  return key == "_id" || key == "_class" || key == "description" || key == "content" || key == "imageUrl" || key == "icon" ||
         key == "color";
}

bool looks_like_uuid(std::string_view s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

bool looks_like_date(std::string_view s) {
  return s.size() >= 10 && s[4] == '-' && s[7] == '-' && parse_iso8601_ms(s).has_value();
}

struct PathStats {
  std::size_t strings = 0, dates = 0, opaque = 0, chars = 0;
};

// Records the string values of `v` under `path`; arrays are traversed (one value per element).
void survey(const json::value& v, const std::string& path, std::map<std::string, PathStats>& stats) {
  if (auto* o = v.if_object()) {
    for (auto& [k, x] : *o) {
      if (skipped_key(k)) continue;
      survey(x, path.empty() ? std::string(k) : path + "." + std::string(k), stats);
    }
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) survey(x, path, stats);
  } else if (auto* s = v.if_string()) {
    auto& st = stats[path];
    ++st.strings;
    st.chars += s->size();
    if (looks_like_date(*s)) ++st.dates;
    else if (looks_like_uuid(*s) || s->find('@') != json::string::npos) ++st.opaque;
  }
}

std::optional<std::string> extreme(store::DocumentStore& store, const std::string& collection, const std::string& path,
                                   int direction, const CancelToken* cancel) {
  store::FindRequest req;
  req.collection = collection;
  req.filter = json::object{{path, json::object{{"$ne", nullptr}}}};
  req.projection = json::object{{path, 1}};
  req.sort = json::object{{path, direction}};
  req.limit = 1;
  auto docs = store.find(req, cancel);
  if (docs.empty()) return std::nullopt;
  auto* v = store::FieldPath(path).lookup(docs.front());
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

CollectionCatalog read_collection(store::DocumentStore& store, const store::CollectionInfo& info, const CatalogLimits& limits,
                                  const CancelToken* cancel) {
  CollectionCatalog out{info.name, info.count, {}, {}};
  std::map<std::string, PathStats> stats;
  for (auto& doc : store.sample(info.name, limits.sample_documents)) survey(doc, "", stats);
  for (auto& [path, st] : stats) {
    if (out.categories.size() + out.dates.size() >= limits.max_fields) break;
    if (st.dates * 5 >= st.strings * 4) {  // mostly dates
      auto min = extreme(store, info.name, path, 1, cancel);
      auto max = extreme(store, info.name, path, -1, cancel);
      if (min && max) out.dates.push_back({path, *min, *max});
      continue;
    }
    if (st.opaque * 2 >= st.strings || st.chars > st.strings * limits.max_value_chars) continue;
    auto counts = store.value_counts(info.name, path, limits.max_values + 1, cancel);
    if (counts.empty() || counts.size() > limits.max_values) continue;  // free text, not a category
    CategoryField field{path, {}};
    for (auto& vc : counts) {
      auto& s = vc.value.get_string();
      if (s.empty() || s.size() > limits.max_value_chars) continue;
      field.values.push_back({std::string(s), normalize_text(s), vc.documents});
    }
    if (!field.values.empty()) out.categories.push_back(std::move(field));
  }
  return out;
}

}  // namespace

const StoredValue* CategoryField::find_exact(std::string_view value) const {
  for (auto& v : values)
    if (v.value == value) return &v;
  return nullptr;
}

const CategoryField* CollectionCatalog::category(std::string_view path) const {
  for (auto& c : categories)
    if (c.path == path) return &c;
  return nullptr;
}

const DateField* CollectionCatalog::date(std::string_view path) const {
  for (auto& d : dates)
    if (d.path == path) return &d;
  return nullptr;
}

const CollectionCatalog* ValueCatalog::collection(std::string_view name) const {
  for (auto& c : collections)
    if (c.name == name) return &c;
  return nullptr;
}

std::size_t ValueCatalog::memory_bytes() const {
  std::size_t n = sizeof(*this);
  for (auto& c : collections) {
    n += sizeof(c) + c.name.capacity();
    for (auto& f : c.categories) {
      n += sizeof(f) + f.path.capacity();
      for (auto& v : f.values) n += sizeof(v) + v.value.capacity() + v.normalized.capacity();
    }
    for (auto& d : c.dates) n += sizeof(d) + d.path.capacity() + d.min.capacity() + d.max.capacity();
  }
  return n;
}

ValueCatalog build_value_catalog(store::DocumentStore& store, const CatalogLimits& limits, const CancelToken* cancel) {
  ValueCatalog catalog;
  for (auto& info : store.list_collections()) {
    if (info.count == 0) continue;
    try {
      catalog.collections.push_back(read_collection(store, info, limits, cancel));
    } catch (const store::QueryCancelled&) {
      throw;
    } catch (const store::QueryError& e) {
      // One collection the backend cannot describe (odd data, a timeout) leaves the rest usable.
      spdlog::warn("value catalog: collection {} left out: {}", info.name, e.what());
      catalog.collections.push_back({info.name, info.count, {}, {}});
    }
  }
  return catalog;
}

}  // namespace pms::understanding
