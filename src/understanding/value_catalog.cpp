#include "understanding/value_catalog.hpp"

#include "core/time_util.hpp"
#include "store/query/query_error.hpp"
#include "understanding/pms_model.hpp"
#include "understanding/text_match.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

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
  std::size_t strings = 0, dates = 0, opaque = 0, chars = 0, booleans = 0;
  std::string min_date, max_date;
  std::map<std::string, std::int64_t, std::less<>> counts;  // of the values in the sample, up to kSampleValues
};
constexpr std::size_t kSampleValues = 300;

// Records the string values of `v` under `path`; arrays are traversed (one value per element).
// The `_id` of a sub-document is recorded in `references`: it is a reference ("project._id").
void survey(const json::value& v, const std::string& path, std::map<std::string, PathStats>& stats, std::set<std::string>& references) {
  if (auto* o = v.if_object()) {
    for (auto& [k, x] : *o) {
      if (k == "_id" && !path.empty() && x.is_string()) references.insert(path + "._id");
      if (skipped_key(k)) continue;
      survey(x, path.empty() ? std::string(k) : path + "." + std::string(k), stats, references);
    }
  } else if (auto* a = v.if_array()) {
    for (auto& x : *a) survey(x, path, stats, references);
  } else if (v.is_bool()) {
    ++stats[path].booleans;
  } else if (auto* s = v.if_string()) {
    auto& st = stats[path];
    ++st.strings;
    st.chars += s->size();
    if (auto it = st.counts.find(std::string_view(*s)); it != st.counts.end()) ++it->second;
    else if (st.counts.size() < kSampleValues) st.counts.emplace(std::string(*s), 1);
    if (looks_like_date(*s)) {
      ++st.dates;
      if (st.min_date.empty() || *s < st.min_date) st.min_date = *s;
      if (*s > st.max_date) st.max_date = *s;
    }
    else if (looks_like_uuid(*s) || s->find('@') != json::string::npos) ++st.opaque;
  }
}

const json::value* at_path(const json::value& doc, std::string_view path) {
  const json::value* v = &doc;
  while (v && !path.empty()) {
    auto dot = path.find('.');
    auto* o = v->if_object();
    if (!o) return nullptr;
    auto it = o->find(path.substr(0, dot));
    v = it == o->end() ? nullptr : &it->value();
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return v;
}

std::string string_at(const json::value& doc, std::string_view path) {
  auto* v = at_path(doc, path);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// Every entity of an identity collection, once per id (members: one row per person and project).
std::vector<EntityRecord> read_entities(store::DocumentStore& store, const IdentitySpec& spec, const CatalogLimits& limits,
                                        const CancelToken* cancel) {
  json::object projection{{spec.id_path, 1}, {spec.name_path, 1}, {"project._id", 1}};
  if (!spec.short_id_path.empty()) projection[spec.short_id_path] = 1;
  store::FindRequest req{std::string(spec.collection), json::object{}, projection, json::value(),
                         0, static_cast<std::int64_t>(limits.max_entities + 1)};
  auto docs = store.find(req, cancel);
  if (docs.size() > limits.max_entities) return {};
  std::vector<EntityRecord> out;
  std::map<std::string, std::size_t, std::less<>> by_id;
  for (auto& doc : docs) {
    std::string id = string_at(doc, spec.id_path);
    if (id.empty()) continue;
    std::string project = spec.collection == "project" ? id : string_at(doc, "project._id");
    auto [it, fresh] = by_id.try_emplace(id, out.size());
    if (fresh) {
      std::string name = string_at(doc, spec.name_path);
      std::string short_id = spec.short_id_path.empty() ? std::string() : string_at(doc, spec.short_id_path);
      out.push_back({id, {name, normalize_text(name), 1}, {short_id, normalize_text(short_id), 1}, {}});
    }
    auto& projects = out[it->second].projects;
    if (!project.empty() && std::find(projects.begin(), projects.end(), project) == projects.end()) projects.push_back(project);
  }
  return out;
}

CollectionCatalog read_collection(store::DocumentStore& store, const store::CollectionInfo& info, const CatalogLimits& limits,
                                  const CancelToken* cancel) {
  CollectionCatalog out{info.name, info.count, {}, {}, {}, {}, {}};
  std::map<std::string, PathStats> stats;
  std::set<std::string> references;
  for (auto& doc : store.sample(info.name, limits.sample_documents)) survey(doc, "", stats, references);
  out.references.assign(references.begin(), references.end());
  for (auto& [path, st] : stats)
    if (st.booleans > 0 && st.strings == 0) out.flags.push_back(path);
  if (auto* spec = identity_spec(info.name)) {
    try {
      out.entities = read_entities(store, *spec, limits, cancel);
    } catch (const store::QueryCancelled&) {
      throw;
    } catch (const store::QueryError& e) {
      // Without them names are matched as before.
      spdlog::warn("value catalog: entities of {} left out: {}", info.name, e.what());
    }
  }
  for (auto& [path, st] : stats) {
    if (out.categories.size() + out.dates.size() >= limits.max_fields) break;
    auto started = SteadyClock::now();
    // Counting or sorting would read the whole collection: the sample stands in.
    bool from_sample = info.count > limits.counted_documents && !store.indexed(info.name, path);
    try {
      if (st.dates * 5 >= st.strings * 4) {  // mostly dates
        if (from_sample) out.dates.push_back({path, st.min_date, st.max_date, true});
        else if (auto range = store.string_range(info.name, path, cancel)) out.dates.push_back({path, range->first, range->second, false});
        spdlog::debug("value catalog: range of {}.{} in {:.1f} ms", info.name, path, elapsed_ms(started));
        continue;
      }
      if (st.opaque * 2 >= st.strings || st.chars > st.strings * limits.max_value_chars) continue;
      // Mostly different values in the sample: free text (titles, numbers), not worth counting.
      if (st.strings >= 40 && st.counts.size() * 2 > st.strings) continue;
      CategoryField field{path, {}, false};
      if (from_sample) {
        field.sampled = true;
        for (auto& [value, n] : st.counts)
          if (value.size() <= limits.max_value_chars) field.values.push_back({value, normalize_text(value), n});
        std::stable_sort(field.values.begin(), field.values.end(), [](auto& a, auto& b) { return a.documents > b.documents; });
      } else {
        auto counts = store.value_counts(info.name, path, limits.max_values + 1, cancel);
        if (counts.size() > limits.max_values) continue;  // free text, not a category
        for (auto& vc : counts) {
          auto& v = vc.value.get_string();
          if (v.empty() || v.size() > limits.max_value_chars) continue;
          field.values.push_back({std::string(v), normalize_text(v), vc.documents});
        }
      }
      spdlog::debug("value catalog: {} values of {}.{} in {:.1f} ms{}", field.values.size(), info.name, path, elapsed_ms(started),
                    field.sampled ? " (sampled)" : "");
      if (!field.values.empty()) out.categories.push_back(std::move(field));
    } catch (const store::QueryCancelled&) {
      throw;
    } catch (const store::QueryError& e) {
      // One field the backend cannot describe in time leaves the others usable.
      spdlog::warn("value catalog: {}.{} left out: {}", info.name, path, e.what());
    }
  }
  return out;
}

}  // namespace

CategoryField CategoryField::of(std::string path, const std::vector<std::string>& values) {
  CategoryField f{std::move(path), {}, false};
  for (auto& v : values) f.values.push_back({v, normalize_text(v), 1});
  return f;
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

bool CollectionCatalog::has_flag(std::string_view path) const { return std::find(flags.begin(), flags.end(), path) != flags.end(); }

bool CollectionCatalog::has_reference(std::string_view id_path) const {
  return std::find(references.begin(), references.end(), id_path) != references.end();
}

std::vector<const EntityRecord*> CollectionCatalog::entities_named(std::string_view normalized) const {
  std::vector<const EntityRecord*> out;
  for (auto& e : entities)
    if (e.name.normalized == normalized || (!e.short_id.normalized.empty() && e.short_id.normalized == normalized)) out.push_back(&e);
  return out;
}

const EntityRecord* CollectionCatalog::entity(std::string_view id) const {
  for (auto& e : entities)
    if (e.id == id) return &e;
  return nullptr;
}

const CollectionCatalog* ValueCatalog::collection(std::string_view name) const {
  for (auto& c : collections)
    if (c.name == name) return &c;
  return nullptr;
}

CatalogWords::CatalogWords(const std::vector<CollectionCatalog>& collections) {
  auto add = [&](const std::string& normalized, bool name) {
    for (std::size_t at = 0; at < normalized.size();) {
      auto end = std::min(normalized.find(' ', at), normalized.size());
      if (end > at) words.emplace(normalized, at, end - at);
      at = end + 1;
    }
    auto spaces = std::count(normalized.begin(), normalized.end(), ' ');
    if (name && (spaces == 1 || spaces == 2)) {
      short_names.insert(normalized);
      short_name_starts.insert(normalized.substr(0, normalized.find(' ')));
    }
  };
  for (auto& c : collections) {
    for (auto& f : c.categories)
      for (auto& v : f.values) add(v.normalized, true);
    for (auto& e : c.entities) {
      add(e.name.normalized, true);
      add(e.short_id.normalized, false);
    }
  }
}

const void* ValueCatalog::Derived::find(std::type_index type) {
  std::lock_guard lock(mutex);
  for (auto& [t, b] : built)
    if (t == type) return b.get();
  return nullptr;
}

const void* ValueCatalog::Derived::keep(std::type_index type, std::shared_ptr<const void> made) {
  std::lock_guard lock(mutex);
  for (auto& [t, b] : built)
    if (t == type) return b.get();
  return built.emplace_back(type, std::move(made)).second.get();
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
    for (auto& r : c.references) n += sizeof(r) + r.capacity();
    for (auto& f : c.flags) n += sizeof(f) + f.capacity();
    for (auto& e : c.entities) {
      n += sizeof(e) + e.id.capacity() + e.name.value.capacity() + e.name.normalized.capacity() + e.short_id.value.capacity() +
           e.short_id.normalized.capacity();
      for (auto& p : e.projects) n += sizeof(p) + p.capacity();
    }
  }
  return n;
}

ValueCatalog build_value_catalog(store::DocumentStore& store, const CatalogLimits& limits, const CancelToken* cancel,
                                 const std::function<void(const ValueCatalog&)>& progress) {
  auto infos = store.list_collections();
  std::erase_if(infos, [](auto& info) { return info.count == 0; });
  // Most questions are about work items: they are read first.
  std::stable_partition(infos.begin(), infos.end(), [](auto& info) { return info.name == "workItem"; });
  ValueCatalog catalog;
  for (auto& info : infos) {
    catalog.collections.push_back(read_collection(store, info, limits, cancel));
    if (progress && catalog.collections.size() < infos.size()) {
      catalog.incomplete = "still being read from the database: " + std::to_string(catalog.collections.size()) + " of " +
                           std::to_string(infos.size()) + " collections so far";
      progress(catalog);
    }
  }
  catalog.incomplete.clear();
  return catalog;
}

json::object names_of_ids(const json::value& v, const ValueCatalog& catalog) {
  json::object out;
  std::vector<const json::value*> todo{&v};
  while (!todo.empty()) {
    auto* x = todo.back();
    todo.pop_back();
    if (auto* o = x->if_object()) {
      for (auto& [k, child] : *o) todo.push_back(&child);
    } else if (auto* a = x->if_array()) {
      for (auto& child : *a) todo.push_back(&child);
    } else if (auto* s = x->if_string(); s && s->size() >= 8 && !out.contains(*s)) {
      for (auto& c : catalog.collections)
        for (auto& e : c.entities)
          if (e.id == *s) out[*s] = e.name.value;
    }
  }
  return out;
}

}  // namespace pms::understanding
