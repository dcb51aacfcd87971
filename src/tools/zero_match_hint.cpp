#include "tools/zero_match_hint.hpp"

#include "store/query/query_error.hpp"
#include "store/schema_sampler.hpp"
#include "tools/near_match.hpp"

#include <algorithm>
#include <tuple>

namespace pms::tools {

namespace {

constexpr std::size_t kMaxConditions = 6;
constexpr std::size_t kMaxValues = 5;          // $in values looked at
constexpr std::size_t kMaxDistinct = 5000;     // stored values compared with one written
constexpr std::size_t kMaxNearest = 5;         // stored values named
constexpr std::size_t kMaxListed = 8;          // a field with this few values has them all named
constexpr std::size_t kMaxPaths = 3;           // paths suggested for one field
constexpr std::size_t kSampleSize = 300;
constexpr std::size_t kMaxHintBytes = 600;

struct Condition {
  std::string path;
  json::value alone;                // the condition by itself, as a filter
  std::vector<json::value> values;  // its equality or $in values (strings and numbers)
  bool on_scalars = false;          // it compares the field with a scalar (equality, $in, a range, $regex)
};

std::vector<Condition> conditions_of(const json::value& filter, std::string_view field) {
  std::vector<Condition> out;
  if (auto* f = filter.if_object()) {
    for (auto& [k, v] : *f) {
      if (k.starts_with("$") || out.size() == kMaxConditions) continue;
      Condition c{std::string(k), json::object{{k, v}}, {}};
      auto add = [&](const json::value& x) {
        if ((x.is_string() || x.is_number()) && c.values.size() < kMaxValues) c.values.push_back(x);
      };
      if (auto* o = v.if_object()) {
        if (auto* eq = o->if_contains("$eq")) add(*eq);
        if (auto* in = o->if_contains("$in"); in && in->is_array())
          for (auto& x : in->get_array()) add(x);
        for (auto op : {"$eq", "$in", "$regex", "$gt", "$gte", "$lt", "$lte"}) c.on_scalars = c.on_scalars || o->contains(op);
      } else {
        add(v);
        c.on_scalars = !v.is_array() && !v.is_null();
      }
      out.push_back(std::move(c));
    }
  }
  if (!field.empty()) out.push_back({std::string(field), json::object{{field, json::object{{"$exists", true}}}}, {}});
  return out;
}

std::string quoted(std::string_view s) { return dump(json::string(s)); }

// A value as the model compares it: strings as they are, numbers as written.
std::string text_of(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : dump(v); }

std::string listed(const std::vector<json::value>& values) {
  std::string out;
  for (auto& v : values) out += (out.empty() ? "" : ", ") + dump(v);
  return out;
}

bool holds_scalars(const store::FieldSummary& f) {
  return std::any_of(f.types.begin(), f.types.end(), [](const std::string& t) {
    return t == "string" || t == "number" || t == "bool" || t == "date" || t == "uuid" || t.starts_with("array of");
  });
}

class Hinter {
 public:
  Hinter(store::DocumentStore& store, const std::string& collection, const CancelToken* cancel)
      : store_(store), collection_(collection), cancel_(cancel) {}

  // The clauses for one condition that matches nothing by itself; empty when nothing is wrong
  // with it that a hint could say.
  std::string for_condition(const Condition& c) {
    const store::FieldSummary* f = field(c.path);
    if (!f && store_.count(collection_, json::object{{c.path, json::object{{"$exists", true}}}}, cancel_) > 0)
      return value_clause(c.path, c.values);  // a rare field the sample missed
    if (!f) {
      std::string out = "no " + collection_ + " has field " + quoted(c.path);
      auto paths = paths_like(c.path, c.values);
      if (paths.empty()) return out + ".";
      out += "; did you mean ";
      for (std::size_t i = 0; i < paths.size(); ++i) out += (i ? " or " : "") + quoted(paths[i]);
      return out + "? " + value_clause(paths.front(), c.values);
    }
    if (!holds_scalars(*f)) {
      auto sub = sub_path(c.path);
      if (sub.empty() || !c.on_scalars) return {};
      return quoted(c.path) + " holds documents; did you mean " + quoted(sub) + "? " + value_clause(sub, c.values);
    }
    return value_clause(c.path, c.values);
  }

 private:
  const store::CollectionSchema& schema() {
    if (!schema_) schema_ = store::sample_schema(store_, collection_, kSampleSize);
    return *schema_;
  }

  const store::FieldSummary* field(std::string_view path) {
    for (auto& f : schema().fields)
      if (f.path == path) return &f;
    return nullptr;
  }

  // The sub-field to match a value in a field of documents: its "name", else its first scalar one.
  std::string sub_path(const std::string& path) {
    std::string first;
    for (auto& f : schema().fields) {
      if (!f.path.starts_with(path + ".") || f.path.find('.', path.size() + 1) != std::string::npos || !holds_scalars(f)) continue;
      if (f.path.ends_with(".name")) return f.path;
      if (first.empty() && !f.path.ends_with("._id")) first = f.path;
    }
    return first;
  }

  // Existing scalar paths that hold one of `values` (sampled) or are named like `path`, best first.
  std::vector<std::string> paths_like(const std::string& path, const std::vector<json::value>& values) {
    std::string written = fold_text(path);
    std::string written_first = fold_text(path.substr(0, path.find('.')));
    std::vector<std::tuple<int, int, int, std::size_t, std::string>> ranked;
    for (auto& f : schema().fields) {
      if (!holds_scalars(f) || f.path == "_id" || f.path.ends_with("._id")) continue;
      std::string candidate = fold_text(f.path);
      std::string first = fold_text(f.path.substr(0, f.path.find('.')));
      int by_name = 99;
      for (auto c : {closeness(written, candidate), closeness(written, first), closeness(written_first, first)})
        if (c) by_name = std::min(by_name, *c);
      bool holds_value = false;
      for (auto& v : values) {
        for (auto& [stored, n] : f.values)
          if (auto c = closeness(fold_text(text_of(v)), fold_text(text_of(stored))); c && *c <= 2) holds_value = true;
      }
      if (by_name == 99 && !holds_value) continue;
      ranked.emplace_back(holds_value ? 0 : 1, by_name, f.path.ends_with(".name") ? 0 : 1, f.path.size(), f.path);
    }
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> out;
    for (auto& r : ranked)
      if (out.size() < kMaxPaths) out.push_back(std::get<4>(r));
    return out;
  }

  // What `path` holds instead of `values`; empty when one of them is stored there as written, or
  // when the path holds ids (an id near the one written is another document).
  std::string value_clause(const std::string& path, const std::vector<json::value>& values) {
    if (values.empty() || path == "_id" || path.ends_with("._id")) return {};
    auto stored = store_.distinct(collection_, path, nullptr, cancel_);
    std::erase_if(stored, [](const json::value& v) { return !v.is_string() && !v.is_number(); });
    if (stored.size() > kMaxDistinct) stored.resize(kMaxDistinct);
    for (auto& v : values)
      if (std::find(stored.begin(), stored.end(), v) != stored.end()) return {};
    std::vector<std::string> texts;
    for (auto& s : stored) texts.push_back(text_of(s));
    std::string out;
    for (auto& v : values) {
      std::vector<json::value> near;
      for (auto i : nearest(text_of(v), texts, kMaxNearest)) near.push_back(stored[i]);
      out += (out.empty() ? "" : " ") + quoted(path) + " has no value " + dump(v);
      if (!near.empty()) out += "; stored values nearest to it: " + listed(near) + ".";
      else if (!stored.empty() && stored.size() <= kMaxListed) out += "; its stored values: " + listed(stored) + ".";
      else out += ".";
    }
    return out;
  }

  store::DocumentStore& store_;
  const std::string& collection_;
  const CancelToken* cancel_;
  std::optional<store::CollectionSchema> schema_;
};

}  // namespace

std::optional<std::string> zero_match_hint(store::DocumentStore& store, const std::string& collection, const json::value& filter,
                                           const CancelToken* cancel, std::string_view field) {
  try {
    Hinter hinter(store, collection, cancel);
    std::string hint;
    for (auto& c : conditions_of(filter, field)) {
      if (store.count(collection, c.alone, cancel) > 0) continue;
      auto clauses = hinter.for_condition(c);
      while (!clauses.empty() && clauses.back() == ' ') clauses.pop_back();
      if (!clauses.empty()) hint += (hint.empty() ? "" : " ") + clauses;
    }
    if (hint.empty()) return std::nullopt;
    if (hint.size() > kMaxHintBytes) hint = std::string(truncate_utf8(hint, kMaxHintBytes)) + "…";
    return hint;
  } catch (const store::QueryCancelled&) {
    throw;
  } catch (const store::QueryError&) {
    return std::nullopt;  // the hint's own queries are extras: the result stands without them
  } catch (const store::StoreError&) {
    return std::nullopt;
  }
}

void add_zero_match_hint(json::object& out, store::DocumentStore& store, const std::string& collection, const json::value& filter,
                         const CancelToken* cancel, std::string_view field) {
  if (auto hint = zero_match_hint(store, collection, filter, cancel, field)) out["hint"] = *hint;
}

}  // namespace pms::tools
