#include "store/sqlite/index_filter.hpp"

#include "store/query/filter.hpp"

namespace pms::store::sqlite {

namespace {

class IndexFilter {
 public:
  IndexFilter(PostingLists& sets, const ValueIndex& index, const std::vector<std::string>& hidden, DocumentSet all)
      : sets_(sets), index_(index), hidden_(hidden), all_(std::move(all)) {}

  IndexMatch filter(const json::value& spec) {
    if (spec.is_null()) return {all_, true};
    auto* o = spec.if_object();
    if (!o) return everything();
    IndexMatch out{all_, true};
    for (auto& [key, arg] : *o) and_with(out, key.starts_with("$") ? logical(key, arg) : field(std::string(key), arg));
    return out;
  }

 private:
  IndexMatch everything() const { return {all_, false}; }

  static void and_with(IndexMatch& out, const IndexMatch& part) {
    out.documents &= part.documents;
    out.exact = out.exact && part.exact;
  }

  IndexMatch logical(std::string_view op, const json::value& arg) {
    auto* list = arg.if_array();
    if (!list || list->empty() || (op != "$and" && op != "$or" && op != "$nor")) return everything();
    if (op == "$and") {
      IndexMatch out{all_, true};
      for (auto& f : *list) and_with(out, filter(f));
      return out;
    }
    // A union of supersets is a superset of the union.
    IndexMatch any{DocumentSet(), true};
    for (auto& f : *list) {
      auto part = filter(f);
      any.documents |= part.documents;
      any.exact = any.exact && part.exact;
    }
    if (op == "$or") return any;
    if (!any.exact) return everything();
    return {all_ - any.documents, true};
  }

  IndexMatch field(const std::string& path, const json::value& raw) {
    if (!index_.covers(path, hidden_)) return everything();
    json::value value = normalize_literal(raw);
    auto* ops = value.if_object();
    if (!ops || ops->empty() || !ops->begin()->key().starts_with("$")) {
      if (auto key = ValueIndex::key(value)) return {sets_.equal(path, *key), true};
      return everything();
    }
    return operators(path, *ops);
  }

  IndexMatch operators(const std::string& path, const json::object& ops) {
    // Where each document holds one value, a lower and an upper bound are one range (with arrays,
    // different elements may meet them: each is a set of its own).
    if (auto range = ValueRange::of(ops); range && range->lower && range->upper && !sets_.mixed(path))
      return {sets_.range(path, *range), true};
    IndexMatch out{all_, true};
    for (auto& [op, arg] : ops) {
      if (op == "$options") continue;  // read with $regex
      if (op == "$regex") {
        json::object regex{{"$regex", arg}};
        if (auto it = ops.find("$options"); it != ops.end()) regex["$options"] = it->value();
        and_with(out, values_matching(path, regex));
      } else {
        and_with(out, condition(path, op, arg));
      }
    }
    return out;
  }

  // The documents holding a value the query engine's own test accepts, each distinct value tested
  // once: exact for a condition on one value at a time ($regex, $in with regular expressions).
  IndexMatch values_matching(const std::string& path, const json::object& condition) {
    auto test = Filter::compile(json::object{{"v", condition}});
    auto accept = [&](const json::value& v) { return test.matches(json::object{{"v", v}}, sets_.budget()); };
    return {sets_.matching(path, accept), true};
  }

  static bool regex_literal(const json::value& v) {
    auto* o = v.if_object();
    return o && (o->contains("$regex") || o->contains("$regularExpression"));
  }

  IndexMatch condition(const std::string& path, std::string_view op, const json::value& arg) {
    if (op == "$eq" || op == "$ne") {
      auto key = ValueIndex::key(arg);
      if (!key) return everything();
      auto matching = sets_.equal(path, *key);
      return {op == "$eq" ? std::move(matching) : all_ - matching, true};
    }
    if (op == "$in" || op == "$nin") {
      auto* list = arg.if_array();
      if (!list) return everything();
      bool regexes = false;
      for (auto& x : *list) {
        if (ValueIndex::key(x)) continue;
        if (!regex_literal(x)) return everything();  // null, a document, an array: the engine decides
        regexes = true;
      }
      // With regular expressions, every distinct value is tested; else each listed value is looked up.
      DocumentSet matching;
      if (regexes) {
        matching = values_matching(path, json::object{{"$in", arg}}).documents;
      } else {
        for (auto& x : *list) matching |= sets_.equal(path, *ValueIndex::key(x));
      }
      return {op == "$in" ? std::move(matching) : all_ - matching, true};
    }
    if (op == "$not" && arg.is_object() && !arg.get_object().empty()) {
      auto inner = operators(path, arg.get_object());
      if (!inner.exact) return everything();
      return {all_ - inner.documents, true};
    }
    if (op == "$gt" || op == "$gte" || op == "$lt" || op == "$lte") {
      auto range = ValueRange::of(op, arg);
      if (!range) return everything();
      return {sets_.range(path, *range), true};
    }
    return everything();
  }

  PostingLists& sets_;
  const ValueIndex& index_;
  const std::vector<std::string>& hidden_;
  DocumentSet all_;
};

}  // namespace

std::optional<IndexMatch> match_from_index(PostingLists& sets, const ValueIndex& index, const json::value& filter,
                                           const std::vector<std::string>& hidden) {
  auto all = sets.all();
  if (!all) return std::nullopt;
  auto of = all->cardinality();
  auto match = IndexFilter(sets, index, hidden, std::move(*all)).filter(filter);
  match.of = of;
  return match;
}

}  // namespace pms::store::sqlite
