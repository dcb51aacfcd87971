#include "store/query/pipeline.hpp"

#include "store/query/expression.hpp"
#include "store/query/field_path.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"

#include <map>

namespace pms::store {

using Docs = std::vector<json::value>;

struct Pipeline::Stage {
  virtual ~Stage() = default;
  virtual void apply(Docs& docs, const CollectionReader& reader, const CancelToken* cancel) const = 0;
};

void set_path(json::value& doc, const std::vector<std::string>& parts, json::value value) {
  json::value* cur = &doc;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!cur->is_object()) *cur = json::object();
    cur = &cur->get_object()[parts[i]];
  }
  if (!cur->is_object()) *cur = json::object();
  cur->get_object()[parts.back()] = std::move(value);
}

namespace {

const std::string kStages =
    "$match $project $addFields $set $unset $group $sort $limit $skip $count $unwind $lookup "
    "$sortByCount $facet $replaceRoot $replaceWith";

std::int64_t positive_integer(std::string_view stage, const json::value& v) {
  if (auto n = exact_int64(normalize_literal(v)); n && *n >= 0) return *n;
  throw_query_error(std::string(stage) + " needs a non-negative whole number, got " + dump(v));
}

const json::object& document_arg(std::string_view stage, const json::value& v) {
  if (!v.is_object()) throw_query_error(std::string(stage) + " needs a document, got " + dump(v));
  return v.get_object();
}

std::string field_path_arg(std::string_view stage, const json::value& v) {
  if (!v.is_string() || !v.get_string().starts_with("$") || v.get_string().size() < 2)
    throw_query_error(std::string(stage) + " needs a field path such as \"$assignee\", got " + dump(v));
  return std::string(v.get_string().subview(1));
}

struct MatchStage : Pipeline::Stage {
  Filter filter;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    std::erase_if(docs, [&](const json::value& d) { return !filter.matches(d); });
  }
};

// $project, $addFields/$set: fields set from expressions; $project may also include/exclude.
struct ProjectStage : Pipeline::Stage {
  bool add_fields = false;  // $addFields/$set keep the input document
  std::optional<Projection> inclusion_or_exclusion;
  bool exclude_id = false;
  std::vector<std::pair<std::vector<std::string>, Expression>> computed;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    for (auto& d : docs) {
      json::value out = add_fields ? d : (inclusion_or_exclusion ? inclusion_or_exclusion->apply(d) : json::value(json::object()));
      if (!add_fields && !inclusion_or_exclusion && !exclude_id && d.is_object()) {
        if (auto it = d.get_object().find("_id"); it != d.get_object().end()) out.get_object()["_id"] = it->value();
      }
      for (auto& [parts, expr] : computed) {
        if (auto v = expr.evaluate(d)) set_path(out, parts, std::move(*v));
      }
      d = std::move(out);
    }
  }
};

std::shared_ptr<const Pipeline::Stage> compile_project(const json::value& arg) {
  auto& spec = document_arg("$project", arg);
  if (spec.empty()) throw_query_error("$project needs at least one field");
  auto stage = std::make_shared<ProjectStage>();
  json::object flags;
  bool has_inclusion = false;
  for (auto& [k, v] : spec) {
    bool is_flag = v.is_bool() || is_number(v);
    if (is_flag) {
      bool on = v.is_bool() ? v.get_bool() : to_double(v) != 0;
      if (k == "_id" && !on) stage->exclude_id = true;
      has_inclusion |= on && k != "_id";
      flags[k] = v;
    } else {
      stage->computed.emplace_back(split_path(k), Expression::compile(v));
    }
  }
  bool exclusion = !flags.empty() && !has_inclusion && !(flags.size() == 1 && flags.contains("_id"));
  if (exclusion && !stage->computed.empty())
    throw_query_error("$project cannot mix excluded fields with computed fields");
  if (has_inclusion || exclusion) stage->inclusion_or_exclusion = Projection::compile(flags);
  return stage;
}

std::shared_ptr<const Pipeline::Stage> compile_add_fields(std::string_view name, const json::value& arg) {
  auto stage = std::make_shared<ProjectStage>();
  stage->add_fields = true;
  for (auto& [k, v] : document_arg(name, arg)) stage->computed.emplace_back(split_path(k), Expression::compile(v));
  return stage;
}

struct UnsetStage : Pipeline::Stage {
  std::vector<std::vector<std::string>> paths;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    for (auto& d : docs) for (auto& p : paths) remove_path(d, p);
  }
};

enum class AccKind { sum, avg, min, max, first, last, push, add_to_set, count };

struct Accumulator {
  std::string field;
  AccKind kind;
  Expression expr;
};

struct AccState {
  double sum = 0;
  bool sum_is_int = true;
  std::int64_t n = 0;
  std::optional<json::value> value;
  json::array list;
};

json::value whole_or_double(double d, bool is_int) {
  if (is_int && d >= -9.0e15 && d <= 9.0e15) return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}

struct GroupStage : Pipeline::Stage {
  Expression key;
  std::vector<Accumulator> accs;

  void apply(Docs& docs, const CollectionReader&, const CancelToken* cancel) const override {
    std::map<json::value, std::size_t, ValueLess> index;
    std::vector<std::pair<json::value, std::vector<AccState>>> groups;
    std::size_t seen = 0;
    for (auto& d : docs) {
      if ((++seen & 1023) == 0) throw_if_cancelled(cancel);
      json::value k = key.evaluate(d).value_or(nullptr);
      auto [it, inserted] = index.try_emplace(k, groups.size());
      if (inserted) groups.emplace_back(std::move(k), std::vector<AccState>(accs.size()));
      auto& states = groups[it->second].second;
      for (std::size_t i = 0; i < accs.size(); ++i) update(accs[i], states[i], d);
    }
    Docs out;
    out.reserve(groups.size());
    for (auto& [k, states] : groups) {
      json::object o;
      o["_id"] = std::move(k);
      for (std::size_t i = 0; i < accs.size(); ++i) o[accs[i].field] = finish(accs[i], states[i]);
      out.push_back(std::move(o));
    }
    docs = std::move(out);
  }

  static void update(const Accumulator& acc, AccState& s, const json::value& doc) {
    if (acc.kind == AccKind::count) { ++s.n; return; }
    auto v = acc.expr.evaluate(doc);
    switch (acc.kind) {
      case AccKind::sum:
      case AccKind::avg:
        if (v && is_number(*v)) {
          s.sum += to_double(*v);
          s.sum_is_int &= !v->is_double();
          ++s.n;
        }
        break;
      case AccKind::min:
      case AccKind::max:
        if (v && !v->is_null()) {
          int c = s.value ? compare_values(*v, *s.value) : 0;
          if (!s.value || (acc.kind == AccKind::min ? c < 0 : c > 0)) s.value = std::move(*v);
        }
        break;
      case AccKind::first:
        if (s.n++ == 0) s.value = v.value_or(nullptr);
        break;
      case AccKind::last:
        s.value = v.value_or(nullptr);
        break;
      case AccKind::push:
        if (v) s.list.push_back(std::move(*v));
        break;
      case AccKind::add_to_set:
        if (v && std::none_of(s.list.begin(), s.list.end(), [&](auto& x) { return values_equal(x, *v); }))
          s.list.push_back(std::move(*v));
        break;
      case AccKind::count: break;
    }
  }

  static json::value finish(const Accumulator& acc, AccState& s) {
    switch (acc.kind) {
      case AccKind::sum: return whole_or_double(s.sum, s.sum_is_int);
      case AccKind::avg: return s.n ? json::value(s.sum / static_cast<double>(s.n)) : json::value(nullptr);
      case AccKind::min:
      case AccKind::max:
      case AccKind::first:
      case AccKind::last: return s.value.value_or(nullptr);
      case AccKind::push:
      case AccKind::add_to_set: return std::move(s.list);
      case AccKind::count: return json::value(s.n);
    }
    return nullptr;
  }
};

std::shared_ptr<const Pipeline::Stage> compile_group(const json::value& arg) {
  auto& spec = document_arg("$group", arg);
  if (!spec.contains("_id"))
    throw_query_error("$group needs an _id (use null to group everything), e.g. {\"_id\": \"$state.name\", \"count\": {\"$sum\": 1}}");
  static const std::map<std::string, AccKind, std::less<>> kinds = {
      {"$sum", AccKind::sum}, {"$avg", AccKind::avg}, {"$min", AccKind::min}, {"$max", AccKind::max},
      {"$first", AccKind::first}, {"$last", AccKind::last}, {"$push", AccKind::push},
      {"$addToSet", AccKind::add_to_set}, {"$count", AccKind::count}};
  auto stage = std::make_shared<GroupStage>();
  for (auto& [k, v] : spec) {
    if (k == "_id") {
      stage->key = Expression::compile(v);
      continue;
    }
    if (!v.is_object() || v.get_object().size() != 1)
      throw_query_error("$group field '" + std::string(k) + "' needs one accumulator, e.g. {\"$sum\": 1}");
    auto& [op, operand] = *v.get_object().begin();
    auto it = kinds.find(op);
    if (it == kinds.end())
      throw_query_error("unsupported $group accumulator '" + std::string(op) + "'; supported: $sum $avg $min $max $first $last $push $addToSet $count");
    stage->accs.push_back({std::string(k), it->second, Expression::compile(operand)});
  }
  return stage;
}

struct SortStage : Pipeline::Stage {
  SortSpec spec;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override { spec.sort(docs); }
};

struct LimitSkipStage : Pipeline::Stage {
  bool is_limit;
  std::int64_t n;
  LimitSkipStage(bool l, std::int64_t count) : is_limit(l), n(count) {}
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    auto k = static_cast<std::size_t>(n);
    if (is_limit) {
      if (docs.size() > k) docs.resize(k);
    } else {
      docs.erase(docs.begin(), docs.begin() + static_cast<std::ptrdiff_t>(std::min(k, docs.size())));
    }
  }
};

struct CountStage : Pipeline::Stage {
  std::string field;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    auto n = static_cast<std::int64_t>(docs.size());
    docs.clear();
    if (n > 0) docs.push_back(json::object{{field, n}});
  }
};

struct UnwindStage : Pipeline::Stage {
  std::vector<std::string> path;
  bool preserve = false;
  std::optional<std::vector<std::string>> index_field;
  void apply(Docs& docs, const CollectionReader&, const CancelToken* cancel) const override {
    Docs out;
    FieldPath fp(join());
    for (auto& d : docs) {
      const json::value* v = fp.lookup(d);
      if (v && v->is_array() && !v->get_array().empty()) {
        json::array items = v->get_array();
        for (std::size_t i = 0; i < items.size(); ++i) {
          json::value copy = d;
          set_path(copy, path, std::move(items[i]));
          if (index_field) set_path(copy, *index_field, json::value(static_cast<std::int64_t>(i)));
          out.push_back(std::move(copy));
        }
      } else if (v && !v->is_array() && !v->is_null()) {
        json::value copy = d;  // a scalar unwinds to itself
        if (index_field) set_path(copy, *index_field, nullptr);
        out.push_back(std::move(copy));
      } else if (preserve) {
        json::value copy = d;
        if (v && v->is_array()) remove_path(copy, path);
        if (index_field) set_path(copy, *index_field, nullptr);
        out.push_back(std::move(copy));
      }
      if ((out.size() & 4095) == 0) throw_if_cancelled(cancel);
    }
    docs = std::move(out);
  }
  std::string join() const {
    std::string s;
    for (auto& p : path) s += (s.empty() ? "" : ".") + p;
    return s;
  }
};

std::shared_ptr<const Pipeline::Stage> compile_unwind(const json::value& arg) {
  auto stage = std::make_shared<UnwindStage>();
  if (arg.is_string()) {
    stage->path = split_path(field_path_arg("$unwind", arg));
    return stage;
  }
  auto& spec = document_arg("$unwind", arg);
  for (auto& [k, v] : spec) {
    if (k == "path") stage->path = split_path(field_path_arg("$unwind", v));
    else if (k == "preserveNullAndEmptyArrays") stage->preserve = v.is_bool() && v.get_bool();
    else if (k == "includeArrayIndex" && v.is_string()) stage->index_field = split_path(v.get_string());
    else throw_query_error("unsupported $unwind option '" + std::string(k) + "'");
  }
  if (stage->path.empty()) throw_query_error("$unwind needs a path, e.g. {\"path\": \"$assignee\"}");
  return stage;
}

struct LookupStage : Pipeline::Stage {
  std::string from;
  FieldPath local_field{"_id"};
  FieldPath foreign_field{"_id"};
  std::vector<std::string> as;
  std::optional<Pipeline> pipeline;  // run on each document's matches (MongoDB 5.0's concise form)
  void apply(Docs& docs, const CollectionReader& reader, const CancelToken* cancel) const override {
    Docs foreign = reader(from);
    // The sub-pipeline's leading $match cannot depend on the local document (no `let`): apply it once.
    if (pipeline && pipeline->leading_filter())
      std::erase_if(foreign, [&](const json::value& f) { return !pipeline->leading_filter()->matches(f); });
    // Index the foreign documents by every value their foreignField reaches.
    std::multimap<json::value, std::size_t, ValueLess> by_value;
    std::vector<const json::value*> cands;
    for (std::size_t i = 0; i < foreign.size(); ++i) {
      cands.clear();
      foreign_field.collect(foreign[i], cands);
      for (auto* c : cands) {
        if (!c) by_value.emplace(json::value(nullptr), i);
        else if (c->is_array()) for (auto& el : c->get_array()) by_value.emplace(el, i);
        else by_value.emplace(*c, i);
      }
    }
    for (auto& d : docs) {
      throw_if_cancelled(cancel);
      cands.clear();
      local_field.collect(d, cands);
      std::vector<json::value> keys;
      for (auto* c : cands) {
        if (!c) keys.emplace_back(nullptr);
        else if (c->is_array()) for (auto& el : c->get_array()) keys.push_back(el);
        else keys.push_back(*c);
      }
      if (keys.empty()) keys.emplace_back(nullptr);
      std::vector<std::size_t> hits;
      for (auto& k : keys) {
        auto [lo, hi] = by_value.equal_range(k);
        for (auto it = lo; it != hi; ++it) hits.push_back(it->second);
      }
      std::sort(hits.begin(), hits.end());
      hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
      Docs matched;
      for (auto i : hits) matched.push_back(foreign[i]);
      if (pipeline) matched = pipeline->run(std::move(matched), reader, cancel);
      set_path(d, as, json::array(matched.begin(), matched.end()));
    }
  }
};

std::shared_ptr<const Pipeline::Stage> compile_lookup(const json::value& arg) {
  auto& spec = document_arg("$lookup", arg);
  auto stage = std::make_shared<LookupStage>();
  auto need = [&](std::string_view key) -> std::string {
    auto s = string_member(spec, key);
    if (!s) throw_query_error("$lookup needs '" + std::string(key) + "' (from, localField, foreignField, as)");
    return std::string(*s);
  };
  for (auto& [k, v] : spec) {
    if (k != "from" && k != "localField" && k != "foreignField" && k != "as" && k != "pipeline")
      throw_query_error("unsupported $lookup option '" + std::string(k) + "'; use from, localField, foreignField, as and pipeline");
  }
  if (auto* p = spec.if_contains("pipeline")) stage->pipeline = Pipeline::compile(*p);
  stage->from = need("from");
  stage->local_field = FieldPath(need("localField"));
  stage->foreign_field = FieldPath(need("foreignField"));
  stage->as = split_path(need("as"));
  return stage;
}

struct FacetStage : Pipeline::Stage {
  std::vector<std::pair<std::string, Pipeline>> facets;
  void apply(Docs& docs, const CollectionReader& reader, const CancelToken* cancel) const override {
    json::object out;
    for (auto& [name, p] : facets) {
      Docs input = docs;
      if (auto* f = p.leading_filter()) std::erase_if(input, [&](const json::value& d) { return !f->matches(d); });
      auto result = p.run(std::move(input), reader, cancel);
      out[name] = json::array(result.begin(), result.end());
    }
    docs.clear();
    docs.push_back(std::move(out));
  }
};

struct ReplaceRootStage : Pipeline::Stage {
  Expression root;
  void apply(Docs& docs, const CollectionReader&, const CancelToken*) const override {
    for (auto& d : docs) {
      auto v = root.evaluate(d);
      if (!v || !v->is_object()) throw_query_error("$replaceRoot: newRoot must evaluate to a document, got " + (v ? dump(*v) : std::string("a missing field")));
      d = std::move(*v);
    }
  }
};

std::shared_ptr<const Pipeline::Stage> compile_stage(std::string_view name, const json::value& arg) {
  if (name == "$match") {
    auto s = std::make_shared<MatchStage>();
    s->filter = Filter::compile(document_arg(name, arg));
    return s;
  }
  if (name == "$project") return compile_project(arg);
  if (name == "$addFields" || name == "$set") return compile_add_fields(name, arg);
  if (name == "$unset") {
    auto s = std::make_shared<UnsetStage>();
    if (arg.is_string()) s->paths.push_back(split_path(arg.get_string()));
    else if (arg.is_array()) for (auto& x : arg.get_array()) {
      if (!x.is_string()) throw_query_error("$unset needs field names, got " + dump(x));
      s->paths.push_back(split_path(x.get_string()));
    }
    else throw_query_error("$unset needs a field name or an array of them");
    return s;
  }
  if (name == "$group") return compile_group(arg);
  if (name == "$sort") {
    auto s = std::make_shared<SortStage>();
    s->spec = SortSpec::compile(document_arg(name, arg));
    if (s->spec.empty()) throw_query_error("$sort needs at least one field");
    return s;
  }
  if (name == "$limit") {
    auto n = positive_integer(name, arg);
    if (n == 0) throw_query_error("$limit must be positive");
    return std::make_shared<LimitSkipStage>(true, n);
  }
  if (name == "$skip") return std::make_shared<LimitSkipStage>(false, positive_integer(name, arg));
  if (name == "$count") {
    if (!arg.is_string() || arg.get_string().empty() || arg.get_string().starts_with("$"))
      throw_query_error("$count needs the output field name, e.g. {\"$count\": \"total\"}");
    auto s = std::make_shared<CountStage>();
    s->field = std::string(arg.get_string());
    return s;
  }
  if (name == "$unwind") return compile_unwind(arg);
  if (name == "$lookup") return compile_lookup(arg);
  if (name == "$sortByCount") {
    auto g = std::make_shared<GroupStage>();
    g->key = Expression::compile(arg);
    g->accs.push_back({"count", AccKind::count, Expression()});
    auto sort = std::make_shared<SortStage>();
    sort->spec = SortSpec::compile(json::object{{"count", -1}});
    struct Both : Pipeline::Stage {
      std::shared_ptr<const Pipeline::Stage> a, b;
      void apply(Docs& d, const CollectionReader& r, const CancelToken* c) const override { a->apply(d, r, c); b->apply(d, r, c); }
    };
    auto both = std::make_shared<Both>();
    both->a = g;
    both->b = sort;
    return both;
  }
  if (name == "$facet") {
    auto s = std::make_shared<FacetStage>();
    for (auto& [k, v] : document_arg(name, arg)) s->facets.emplace_back(std::string(k), Pipeline::compile(v));
    return s;
  }
  if (name == "$replaceRoot" || name == "$replaceWith") {
    auto s = std::make_shared<ReplaceRootStage>();
    if (name == "$replaceRoot") {
      auto& spec = document_arg(name, arg);
      auto it = spec.find("newRoot");
      if (it == spec.end()) throw_query_error("$replaceRoot needs newRoot");
      s->root = Expression::compile(it->value());
    } else {
      s->root = Expression::compile(arg);
    }
    return s;
  }
  if (name == "$out" || name == "$merge")
    throw_query_error(std::string(name) + " is not allowed: the assistant's queries are read-only");
  throw_query_error("unsupported pipeline stage '" + std::string(name) + "'; supported: " + kStages);
}

}  // namespace

Pipeline Pipeline::compile(const json::value& stages) {
  if (!stages.is_array()) throw_query_error("a pipeline must be a JSON array of stages, got " + dump(stages));
  Pipeline p;
  bool first = true;
  for (auto& st : stages.get_array()) {
    if (!st.is_object() || st.get_object().size() != 1)
      throw_query_error("each pipeline stage must be a document with exactly one stage name, got " + dump(st));
    auto& [name, arg] = *st.get_object().begin();
    if (first && name == "$match") {
      p.leading_filter_ = Filter::compile(document_arg(name, arg));
    } else {
      p.stages_.push_back(compile_stage(name, arg));
      if (p.stages_.size() == 1 && name == "$limit") p.leading_limit_ = static_cast<std::size_t>(positive_integer(name, arg));
      if (p.stages_.size() == 1 && name == "$sort") p.leading_sorted_limit_ = SortedLimit{arg, 0};
      if (p.stages_.size() == 2 && name == "$limit" && p.leading_sorted_limit_)
        p.leading_sorted_limit_->limit = static_cast<std::size_t>(positive_integer(name, arg));
    }
    first = false;
  }
  if (p.leading_sorted_limit_ && p.leading_sorted_limit_->limit == 0) p.leading_sorted_limit_.reset();
  return p;
}

std::vector<json::value> Pipeline::run(std::vector<json::value> docs, const CollectionReader& reader,
                                       const CancelToken* cancel) const {
  for (auto& s : stages_) {
    throw_if_cancelled(cancel);
    s->apply(docs, reader, cancel);
  }
  return docs;
}

}  // namespace pms::store
