#include "store/schema_sampler.hpp"

#include "store/query/value_compare.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace pms::store {

namespace {

constexpr std::size_t kMaxCategories = 12;
constexpr std::size_t kMaxCategoryLength = 40;
constexpr std::size_t kMaxFields = 80;

bool looks_like_date(std::string_view s) {
  return s.size() >= 10 && s[4] == '-' && s[7] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
         std::isdigit(static_cast<unsigned char>(s[9])) && (s.size() == 10 || s[10] == 'T');
}

bool looks_like_uuid(std::string_view s) {
  return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

std::string type_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::object: return "object";
    case json::kind::array: return "array";
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (looks_like_date(s)) return "date";
      if (looks_like_uuid(s)) return "uuid";
      return "string";
    }
  }
  return "unknown";
}

struct Accumulator {
  std::set<std::string> types;
  std::int64_t present = 0;
  std::map<json::value, std::int64_t, ValueLess> values;
  bool too_many = false;
  std::size_t order = 0;
};

void visit(const json::value& v, const std::string& path, std::map<std::string, Accumulator>& fields,
           std::set<std::string>& seen_in_doc) {
  auto& acc = fields[path];
  if (acc.order == 0) acc.order = fields.size();
  acc.types.insert(type_name(v));
  if (seen_in_doc.insert(path).second) ++acc.present;
  auto count_value = [&](const json::value& x) {
    if (acc.too_many) return;
    if (x.is_string() && (x.get_string().size() > kMaxCategoryLength || looks_like_uuid(x.get_string()) || looks_like_date(x.get_string()))) {
      acc.too_many = true;
      return;
    }
    if (x.is_object() || x.is_array()) return;
    ++acc.values[x];
    if (acc.values.size() > kMaxCategories) acc.too_many = true;
  };
  if (auto* o = v.if_object()) {
    for (auto& [k, x] : *o) visit(x, path + "." + std::string(k), fields, seen_in_doc);
  } else if (auto* a = v.if_array()) {
    for (auto& el : *a) {
      if (auto* eo = el.if_object()) {
        for (auto& [k, x] : *eo) visit(x, path + "." + std::string(k), fields, seen_in_doc);
      } else {
        acc.types.insert("array of " + type_name(el));
        count_value(el);
      }
    }
  } else {
    count_value(v);
  }
}

}  // namespace

CollectionSchema sample_schema(DocumentStore& store, std::string_view collection, std::size_t sample_size) {
  CollectionSchema schema;
  schema.collection = std::string(collection);
  for (auto& c : store.list_collections()) {
    if (c.name == collection) schema.total = c.count;
  }
  auto docs = store.sample(collection, sample_size);
  schema.sampled = static_cast<std::int64_t>(docs.size());
  std::map<std::string, Accumulator> fields;
  for (auto& d : docs) {
    if (!d.is_object()) continue;
    std::set<std::string> seen;
    for (auto& [k, v] : d.get_object()) visit(v, std::string(k), fields, seen);
  }
  std::vector<std::pair<std::string, Accumulator*>> ordered;
  for (auto& [path, acc] : fields) ordered.emplace_back(path, &acc);
  std::sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.second->order < b.second->order; });
  for (auto& [path, acc] : ordered) {
    if (schema.fields.size() >= kMaxFields) break;
    FieldSummary f;
    f.path = path;
    f.types.assign(acc->types.begin(), acc->types.end());
    f.present = acc->present;
    bool scalar = !acc->types.contains("object") || acc->types.size() > 1;
    // Category-like: few distinct values, each seen more than once on average.
    f.categorical = scalar && !acc->too_many && !acc->values.empty() && path != "_id" && !path.ends_with("._id") &&
                    static_cast<std::int64_t>(acc->values.size()) * 2 <= std::max<std::int64_t>(acc->present, 2);
    std::vector<std::pair<json::value, std::int64_t>> vals(acc->values.begin(), acc->values.end());
    std::stable_sort(vals.begin(), vals.end(), [](auto& a, auto& b) { return a.second > b.second; });
    if (f.categorical) {
      f.values = std::move(vals);
    } else if (!acc->types.contains("object")) {
      for (std::size_t i = 0; i < vals.size() && i < 2; ++i) f.examples.push_back(vals[i].first);
    }
    schema.fields.push_back(std::move(f));
  }
  return schema;
}

json::value to_json(const CollectionSchema& schema) {
  json::array fields;
  for (auto& f : schema.fields) {
    json::object o;
    o["path"] = f.path;
    o["types"] = json::array(f.types.begin(), f.types.end());
    o["present_in"] = f.present;
    if (f.categorical) {
      json::object values;
      for (auto& [v, n] : f.values) values[v.is_string() ? std::string(v.get_string()) : dump(v)] = n;
      o["values"] = std::move(values);
    } else if (!f.examples.empty()) {
      o["examples"] = json::array(f.examples.begin(), f.examples.end());
    }
    fields.push_back(std::move(o));
  }
  return json::object{{"collection", schema.collection}, {"documents", schema.total},
                      {"sampled", schema.sampled}, {"fields", std::move(fields)}};
}

}  // namespace pms::store
