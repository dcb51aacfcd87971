#include "store/query/filter.hpp"

#include "store/extended_json.hpp"
#include "store/query/field_path.hpp"
#include "store/query/query_error.hpp"
#include "store/query/regex.hpp"
#include "store/query/value_compare.hpp"

#include <algorithm>
#include <cctype>

namespace pms::store {

namespace detail {
struct MatchNode {
  virtual ~MatchNode() = default;
  virtual bool matches(const json::value& doc, QueryBudget& budget) const = 0;
};
}  // namespace detail

namespace {

using Candidates = std::vector<const json::value*>;  // nullptr: the path is missing on a branch

bool is_operator_object(const json::object& o) {
  if (o.empty()) return false;
  bool first = o.begin()->key().starts_with("$");
  for (auto& kv : o) {
    if (kv.key().starts_with("$") != first)
      throw_query_error("a filter document may not mix operators and field names: " + dump(o));
  }
  return first;
}

// ---- regular expressions (regex.hpp: compiled here, once per query) ------------------------

// A regex written as a value: {"$regex": "...", "$options": "i"} or {"$regularExpression": {...}}.
std::optional<Regex> regex_literal(const json::value& v) {
  auto* o = v.if_object();
  if (!o) return std::nullopt;
  if (auto it = o->find("$regularExpression"); it != o->end() && o->size() == 1 && it->value().is_object()) {
    auto& re = it->value().get_object();
    return Regex::compile(string_member(re, "pattern").value_or(""), string_member(re, "options").value_or(""));
  }
  auto pattern = string_member(*o, "$regex");
  if (!pattern) return std::nullopt;
  if (o->size() > 2 || (o->size() == 2 && !o->contains("$options"))) return std::nullopt;
  return Regex::compile(*pattern, string_member(*o, "$options").value_or(""));
}

// ---- operators on the values a path reaches -----------------------------------------------

struct Op {
  virtual ~Op() = default;
  virtual bool test(const Candidates& cands, QueryBudget& budget) const = 0;
};
using OpPtr = std::unique_ptr<Op>;

// True if `pred` holds for a reached value, or for an element of a reached array.
// Each value tested is a unit of the query's work (an array of millions is as much as many documents).
template <class Pred>
bool any_value_or_element(const Candidates& cands, QueryBudget& budget, Pred&& pred) {
  for (auto* c : cands) {
    if (!c) continue;
    budget.spend();
    if (pred(*c)) return true;
    if (auto* arr = c->if_array()) {
      for (auto& el : *arr) {
        budget.spend();
        if (pred(el)) return true;
      }
    }
  }
  return false;
}

struct EqOp : Op {
  json::value operand;
  explicit EqOp(json::value v) : operand(std::move(v)) {}
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    // {x: null} matches documents where x is null, missing, or an array holding null.
    if (operand.is_null() && std::any_of(cands.begin(), cands.end(), [](auto* c) { return c == nullptr; }))
      return true;
    return any_value_or_element(cands, budget, [&](const json::value& v) { return values_equal(v, operand); });
  }
};

struct RegexOp : Op {
  Regex regex;
  explicit RegexOp(Regex r) : regex(std::move(r)) {}
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    return any_value_or_element(cands, budget, [&](const json::value& v) {
      return v.is_string() && regex.search(std::string_view(v.get_string()), budget);
    });
  }
};

enum class Cmp { lt, lte, gt, gte };

struct CompareOp : Op {
  Cmp cmp;
  json::value operand;
  CompareOp(Cmp c, json::value v) : cmp(c), operand(std::move(v)) {}
  bool holds(const json::value& v) const {
    if (type_rank(v) != type_rank(operand)) return false;  // type bracketing
    int c = compare_values(v, operand);
    switch (cmp) {
      case Cmp::lt: return c < 0;
      case Cmp::lte: return c <= 0;
      case Cmp::gt: return c > 0;
      case Cmp::gte: return c >= 0;
    }
    return false;
  }
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    // $gte/$lte null are equality with null, which includes missing fields.
    if (operand.is_null() && (cmp == Cmp::gte || cmp == Cmp::lte) &&
        std::any_of(cands.begin(), cands.end(), [](auto* c) { return c == nullptr; }))
      return true;
    return any_value_or_element(cands, budget, [&](const json::value& v) { return holds(v); });
  }
};

struct InOp : Op {
  std::vector<json::value> values;
  std::vector<Regex> regexes;
  bool has_null = false;
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    if (has_null && std::any_of(cands.begin(), cands.end(), [](auto* c) { return c == nullptr; }))
      return true;
    return any_value_or_element(cands, budget, [&](const json::value& v) {
      budget.spend(values.size());
      for (auto& x : values) if (values_equal(v, x)) return true;
      if (v.is_string()) {
        for (auto& r : regexes) if (r.search(std::string_view(v.get_string()), budget)) return true;
      }
      return false;
    });
  }
};

struct NotOp : Op {
  std::vector<OpPtr> inner;
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    for (auto& op : inner) if (!op->test(cands, budget)) return true;
    return false;
  }
};

struct ExistsOp : Op {
  bool want;
  explicit ExistsOp(bool w) : want(w) {}
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    bool exists = std::any_of(cands.begin(), cands.end(), [](auto* c) { return c != nullptr; });
    return exists == want;
  }
};

struct SizeOp : Op {
  std::int64_t size;
  explicit SizeOp(std::int64_t n) : size(n) {}
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    for (auto* c : cands) {
      if (c && c->is_array() && static_cast<std::int64_t>(c->get_array().size()) == size) return true;
    }
    return false;
  }
};

struct AllOp : Op {
  std::vector<OpPtr> each;  // every one must hold
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    if (each.empty()) return false;
    for (auto& op : each) if (!op->test(cands, budget)) return false;
    return true;
  }
};

struct ElemMatchOp : Op {
  std::vector<OpPtr> value_ops;  // {"$elemMatch": {"$gte": 80}}: applied to each element
  std::optional<Filter> doc_filter;  // {"$elemMatch": {"name": "x"}}: each element as a document
  bool element_matches(const json::value& el, QueryBudget& budget) const {
    budget.spend();
    if (doc_filter) return el.is_object() && doc_filter->matches(el, budget);
    Candidates one{&el};
    for (auto& op : value_ops) if (!op->test(one, budget)) return false;
    return true;
  }
  bool test(const Candidates& cands, QueryBudget& budget) const override {
    for (auto* c : cands) {
      if (!c || !c->is_array()) continue;
      for (auto& el : c->get_array()) if (element_matches(el, budget)) return true;
    }
    return false;
  }
};

// ---- compiling ----------------------------------------------------------------------------

const std::string kOperators =
    "$eq $ne $gt $gte $lt $lte $in $nin $exists $regex (with $options) $not $size $all "
    "$elemMatch $and $or $nor";

std::int64_t integer_operand(std::string_view op, const json::value& v) {
  if (auto n = exact_int64(normalize_literal(v))) return *n;
  throw_query_error(std::string(op) + " needs a whole number, got " + dump(v));
}

const json::array& array_operand(std::string_view op, const json::value& v) {
  if (!v.is_array()) throw_query_error(std::string(op) + " needs an array, got " + dump(v));
  return v.get_array();
}

OpPtr equality_op(const json::value& operand) {
  if (auto re = regex_literal(operand)) return std::make_unique<RegexOp>(std::move(*re));
  return std::make_unique<EqOp>(normalize_literal(operand));
}

std::unique_ptr<InOp> in_op(std::string_view op, const json::value& v) {
  auto in = std::make_unique<InOp>();
  for (auto& x : array_operand(op, v)) {
    if (auto re = regex_literal(x)) {
      in->regexes.push_back(std::move(*re));
    } else {
      in->values.push_back(normalize_literal(x));
      if (in->values.back().is_null()) in->has_null = true;
    }
  }
  return in;
}

std::shared_ptr<const detail::MatchNode> compile_node(const json::object& spec);

void compile_operators(const json::object& spec, std::vector<OpPtr>& ops) {
  for (auto& [key, v] : spec) {
    if (key == "$eq") {
      ops.push_back(std::make_unique<EqOp>(normalize_literal(v)));
    } else if (key == "$ne") {
      auto n = std::make_unique<NotOp>();
      n->inner.push_back(std::make_unique<EqOp>(normalize_literal(v)));
      ops.push_back(std::move(n));
    } else if (key == "$gt" || key == "$gte" || key == "$lt" || key == "$lte") {
      Cmp c = key == "$gt" ? Cmp::gt : key == "$gte" ? Cmp::gte : key == "$lt" ? Cmp::lt : Cmp::lte;
      if (auto re = regex_literal(v)) throw_query_error(std::string(key) + " cannot take a regular expression");
      ops.push_back(std::make_unique<CompareOp>(c, normalize_literal(v)));
    } else if (key == "$in") {
      ops.push_back(in_op(key, v));
    } else if (key == "$nin") {
      auto n = std::make_unique<NotOp>();
      n->inner.push_back(in_op(key, v));
      ops.push_back(std::move(n));
    } else if (key == "$exists") {
      bool want = v.is_bool() ? v.get_bool() : !(v.is_null() || (is_number(v) && to_double(v) == 0));
      ops.push_back(std::make_unique<ExistsOp>(want));
    } else if (key == "$regex") {
      std::string_view options = string_member(spec, "$options").value_or("");
      if (v.is_string()) {
        ops.push_back(std::make_unique<RegexOp>(Regex::compile(std::string_view(v.get_string()), options)));
      } else if (auto re = regex_literal(v)) {
        ops.push_back(std::make_unique<RegexOp>(std::move(*re)));
      } else {
        throw_query_error("$regex needs a string pattern, got " + dump(v));
      }
    } else if (key == "$options") {
      if (!spec.contains("$regex")) throw_query_error("$options is only valid together with $regex");
    } else if (key == "$not") {
      auto n = std::make_unique<NotOp>();
      if (auto re = regex_literal(v)) {
        n->inner.push_back(std::make_unique<RegexOp>(std::move(*re)));
      } else if (v.is_object() && is_operator_object(v.get_object())) {
        compile_operators(v.get_object(), n->inner);
      } else {
        throw_query_error("$not needs an operator document or a regular expression, e.g. {\"$not\": {\"$in\": [...]}}");
      }
      ops.push_back(std::move(n));
    } else if (key == "$size") {
      ops.push_back(std::make_unique<SizeOp>(integer_operand(key, v)));
    } else if (key == "$all") {
      auto all = std::make_unique<AllOp>();
      for (auto& x : array_operand(key, v)) all->each.push_back(equality_op(x));
      ops.push_back(std::move(all));
    } else if (key == "$elemMatch") {
      if (!v.is_object()) throw_query_error("$elemMatch needs a document, got " + dump(v));
      auto em = std::make_unique<ElemMatchOp>();
      auto& o = v.get_object();
      if (is_operator_object(o) && !o.contains("$and") && !o.contains("$or") && !o.contains("$nor")) {
        compile_operators(o, em->value_ops);
      } else {
        em->doc_filter = Filter::compile(o);
      }
      ops.push_back(std::move(em));
    } else if (key == "$where" || key == "$function" || key == "$accumulator") {
      throw_query_error(std::string(key) + " is not allowed: queries are read-only and cannot run code");
    } else {
      throw_query_error("unsupported query operator '" + std::string(key) + "'; supported: " + kOperators);
    }
  }
}

struct PathNode : detail::MatchNode {
  FieldPath path;
  std::vector<OpPtr> ops;
  explicit PathNode(std::string_view p) : path(p) {}
  bool matches(const json::value& doc, QueryBudget& budget) const override {
    Candidates cands;
    path.collect(doc, cands);
    budget.spend(cands.size());
    for (auto& op : ops) if (!op->test(cands, budget)) return false;
    return true;
  }
};

enum class Logic { all, any, none };

struct LogicNode : detail::MatchNode {
  Logic logic;
  std::vector<std::shared_ptr<const detail::MatchNode>> kids;
  explicit LogicNode(Logic l) : logic(l) {}
  bool matches(const json::value& doc, QueryBudget& budget) const override {
    switch (logic) {
      case Logic::all:
        for (auto& k : kids) if (!k->matches(doc, budget)) return false;
        return true;
      case Logic::any:
        for (auto& k : kids) if (k->matches(doc, budget)) return true;
        return false;
      case Logic::none:
        for (auto& k : kids) if (k->matches(doc, budget)) return false;
        return true;
    }
    return false;
  }
};

std::shared_ptr<const detail::MatchNode> compile_node(const json::object& spec) {
  auto root = std::make_shared<LogicNode>(Logic::all);
  for (auto& [key, v] : spec) {
    if (key == "$and" || key == "$or" || key == "$nor") {
      auto& arr = array_operand(key, v);
      if (arr.empty()) throw_query_error(std::string(key) + " needs a non-empty array of filters");
      auto node = std::make_shared<LogicNode>(key == "$and" ? Logic::all : key == "$or" ? Logic::any : Logic::none);
      for (auto& sub : arr) {
        if (!sub.is_object()) throw_query_error(std::string(key) + " entries must be filter documents, got " + dump(sub));
        node->kids.push_back(compile_node(sub.get_object()));
      }
      root->kids.push_back(std::move(node));
    } else if (key == "$comment") {
      continue;
    } else if (key == "$where" || key == "$function" || key == "$accumulator") {
      throw_query_error(std::string(key) + " is not allowed: queries are read-only and cannot run code");
    } else if (key.starts_with("$")) {
      throw_query_error("unsupported top-level operator '" + std::string(key) + "'; supported: $and $or $nor");
    } else {
      auto node = std::make_shared<PathNode>(key);
      if (v.is_object() && !is_extended_json_literal(v.get_object()) && !regex_literal(v) && is_operator_object(v.get_object())) {
        compile_operators(v.get_object(), node->ops);
      } else {
        node->ops.push_back(equality_op(v));
      }
      root->kids.push_back(std::move(node));
    }
  }
  return root;
}

}  // namespace

json::value normalize_literal(const json::value& v) {
  try {
    return from_extended_json(v);
  } catch (const ExtendedJsonError& e) {
    throw_query_error(e.what());
  }
}

Filter::Filter() : root_(std::make_shared<LogicNode>(Logic::all)) {}

Filter Filter::compile(const json::object& spec) { return Filter(compile_node(spec)); }

Filter Filter::compile(const json::value& spec) {
  if (spec.is_null()) return Filter();
  if (!spec.is_object()) throw_query_error("a filter must be a JSON object, got " + dump(spec));
  return compile(spec.get_object());
}

bool Filter::matches(const json::value& doc) const {
  QueryBudget unbounded;
  return root_->matches(doc, unbounded);
}

bool Filter::matches(const json::value& doc, QueryBudget& budget) const { return root_->matches(doc, budget); }

}  // namespace pms::store
