#include "store/query/pipeline.hpp"

#include "store/query/expression.hpp"
#include "store/query/group_stage.hpp"
#include "store/query/pipeline_stage.hpp"
#include "store/query/field_path.hpp"
#include "store/query/projection.hpp"
#include "store/query/query_error.hpp"
#include "store/query/sort_spec.hpp"
#include "store/query/value_compare.hpp"

#include <map>

namespace pms::store {

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
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    std::erase_if(docs, [&](const json::value& d) { return !filter.matches(d, budget); });
  }
  bool per_document() const override { return true; }
};

// $project, $addFields/$set: fields set from expressions; $project may also include/exclude.
struct ProjectStage : Pipeline::Stage {
  bool add_fields = false;  // $addFields/$set keep the input document
  std::optional<Projection> inclusion_or_exclusion;
  bool exclude_id = false;
  std::vector<std::pair<std::vector<std::string>, Expression>> computed;
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    for (auto& d : docs) {
      budget.spend();
      json::value out = add_fields ? d : (inclusion_or_exclusion ? inclusion_or_exclusion->apply(d) : json::value(json::object()));
      if (!add_fields && !inclusion_or_exclusion && !exclude_id && d.is_object()) {
        if (auto it = d.get_object().find("_id"); it != d.get_object().end()) out.get_object()["_id"] = it->value();
      }
      for (auto& [parts, expr] : computed) {
        if (auto v = expr.evaluate(d, budget)) {
          budget.hold(footprint(*v));  // a computed value may be larger than its input ($$ROOT)
          set_path(out, parts, std::move(*v));
        }
      }
      d = std::move(out);
    }
  }
  bool per_document() const override { return true; }
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
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    budget.spend(docs.size());
    for (auto& d : docs) for (auto& p : paths) remove_path(d, p);
  }
  bool per_document() const override { return true; }
};

struct SortStage : Pipeline::Stage {
  SortSpec spec;
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    budget.spend(docs.size());
    spec.sort(docs);
    budget.spend(docs.size());  // and the comparisons, counted once they are done
  }
};

struct LimitSkipStage : Pipeline::Stage {
  bool is_limit;
  std::int64_t n;
  LimitSkipStage(bool l, std::int64_t count) : is_limit(l), n(count) {}
  void apply(Docs& docs, const CollectionReader&, QueryBudget&) const override {
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
  void apply(Docs& docs, const CollectionReader&, QueryBudget&) const override {
    auto n = static_cast<std::int64_t>(docs.size());
    docs.clear();
    if (n > 0) docs.push_back(json::object{{field, n}});
  }
};

struct UnwindStage : Pipeline::Stage {
  std::vector<std::string> path;
  bool preserve = false;
  std::optional<std::vector<std::string>> index_field;
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    Docs out;
    FieldPath fp(join());
    for (auto& d : docs) {
      budget.spend();
      const json::value* v = fp.lookup(d);
      if (v && v->is_array() && !v->get_array().empty()) {
        // The array leaves the document before it is copied: each copy holds one element, not all.
        json::array items = v->get_array();
        set_path(d, path, nullptr);
        auto bytes = footprint(d);
        for (std::size_t i = 0; i < items.size(); ++i) {
          budget.spend();
          budget.hold(bytes);
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
    }
    docs = std::move(out);
  }
  bool per_document() const override { return true; }
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
  void apply(Docs& docs, const CollectionReader& reader, QueryBudget& budget) const override {
    Docs foreign = reader(from);  // charged to the budget as it is read
    // The sub-pipeline's leading $match cannot depend on the local document (no `let`): apply it once.
    if (pipeline && pipeline->leading_filter())
      std::erase_if(foreign, [&](const json::value& f) { return !pipeline->leading_filter()->matches(f, budget); });
    // Index the foreign documents by every value their foreignField reaches.
    std::multimap<json::value, std::size_t, ValueLess> by_value;
    std::vector<const json::value*> cands;
    std::vector<std::size_t> bytes(foreign.size());
    for (std::size_t i = 0; i < foreign.size(); ++i) {
      budget.spend();
      bytes[i] = footprint(foreign[i]);
      cands.clear();
      foreign_field.collect(foreign[i], cands);
      for (auto* c : cands) {
        if (!c) by_value.emplace(json::value(nullptr), i);
        else if (c->is_array()) for (auto& el : c->get_array()) by_value.emplace(el, i);
        else by_value.emplace(*c, i);
      }
    }
    for (auto& d : docs) {
      budget.spend();
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
      // Every match is a copy of a foreign document: a join on a field many share multiplies them.
      Docs matched;
      for (auto i : hits) {
        budget.spend();
        budget.hold(bytes[i]);
        matched.push_back(foreign[i]);
      }
      if (pipeline) matched = pipeline->run(std::move(matched), reader, budget);
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
  void apply(Docs& docs, const CollectionReader& reader, QueryBudget& budget) const override {
    json::object out;
    std::size_t bytes = 0;
    for (auto& d : docs) bytes += footprint(d);
    for (auto& [name, p] : facets) {
      budget.spend(docs.size());
      budget.hold(bytes);  // each facet works on a copy of the input
      Docs input = docs;
      if (auto* f = p.leading_filter()) std::erase_if(input, [&](const json::value& d) { return !f->matches(d, budget); });
      auto result = p.run(std::move(input), reader, budget);
      out[name] = json::array(result.begin(), result.end());
    }
    docs.clear();
    docs.push_back(std::move(out));
  }
};

struct ReplaceRootStage : Pipeline::Stage {
  Expression root;
  void apply(Docs& docs, const CollectionReader&, QueryBudget& budget) const override {
    for (auto& d : docs) {
      auto v = root.evaluate(d, budget);
      if (!v || !v->is_object()) throw_query_error("$replaceRoot: newRoot must evaluate to a document, got " + (v ? dump(*v) : std::string("a missing field")));
      d = std::move(*v);
    }
  }
  bool per_document() const override { return true; }
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
  if (name == "$group") return GroupStage::compile(arg);
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
    auto g = GroupStage::counting(Expression::compile(arg), "count");
    auto sort = std::make_shared<SortStage>();
    sort->spec = SortSpec::compile(json::object{{"count", -1}});
    struct Both : Pipeline::Stage {
      std::shared_ptr<const Pipeline::Stage> a, b;
      void apply(Docs& d, const CollectionReader& r, QueryBudget& q) const override { a->apply(d, r, q); b->apply(d, r, q); }
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

std::vector<json::value> Pipeline::run(std::vector<json::value> docs, const CollectionReader& reader) const {
  QueryBudget unbounded;
  return run(std::move(docs), reader, unbounded);
}

std::vector<json::value> Pipeline::run(std::vector<json::value> docs, const CollectionReader& reader, QueryBudget& budget) const {
  std::size_t live = 0;
  for (auto& d : docs) live += footprint(d);
  return run_stages(std::move(docs), live, 0, reader, budget);
}

std::vector<json::value> Pipeline::run_stages(Docs docs, std::size_t live, std::size_t from, const CollectionReader& reader,
                                              QueryBudget& budget) const {
  for (std::size_t i = from; i < stages_.size(); ++i) {
    budget.spend();
    auto before = budget.held();
    stages_[i]->apply(docs, reader, budget);
    // What the stage built is held now instead of its input (`live` of what was held before).
    if (budget.held() != before) {
      auto outside = before > live ? before - live : 0;
      live = 0;
      for (auto& d : docs) live += footprint(d);
      budget.set_held(outside + live);
    }
  }
  return docs;
}

std::vector<json::value> Pipeline::run(const DocumentSource& source, const CollectionReader& reader, QueryBudget& budget) const {
  std::size_t prefix = 0;  // the stages that see each document alone
  while (prefix < stages_.size() && stages_[prefix]->per_document()) ++prefix;
  auto* group = prefix < stages_.size() ? dynamic_cast<const GroupStage*>(stages_[prefix].get()) : nullptr;
  auto outside = budget.held();
  Docs docs;
  if (group) {
    // Each document goes through the stages before the $group, then into its groups: only the
    // groups (and what one document becomes) are held, however many documents are read.
    GroupStage::Groups groups(*group);
    source([&](json::value&& d) {
      auto before = budget.held();
      docs.clear();
      docs.push_back(std::move(d));
      for (std::size_t i = 0; i < prefix; ++i) stages_[i]->apply(docs, reader, budget);
      budget.set_held(before);
      for (auto& out : docs) groups.add(out, budget);
      return true;
    });
    docs = groups.finish();
    std::size_t live = 0;
    for (auto& d : docs) live += footprint(d);
    budget.set_held(outside + live);
    return run_stages(std::move(docs), live, prefix + 1, reader, budget);
  }
  // A leading $sort and $limit keep only the first documents so far whenever twice as many are held.
  std::optional<SortSpec> top;
  std::size_t keep = 0;
  if (leading_sorted_limit_) {
    top = SortSpec::compile(leading_sorted_limit_->sort);
    keep = leading_sorted_limit_->limit;
  }
  std::size_t live = 0;
  source([&](json::value&& d) {
    auto bytes = footprint(d);
    budget.hold(bytes);
    live += bytes;
    docs.push_back(std::move(d));
    if (top && docs.size() >= 2 * keep + 1024) {
      budget.spend(docs.size());
      top->sort(docs, keep);
      live = 0;
      for (auto& x : docs) live += footprint(x);
      budget.set_held(outside + live);
    }
    return true;
  });
  return run_stages(std::move(docs), live, 0, reader, budget);
}

}  // namespace pms::store
