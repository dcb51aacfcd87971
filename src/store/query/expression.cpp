#include "store/query/expression.hpp"

#include "core/time_util.hpp"
#include "store/query/field_path.hpp"
#include "store/query/filter.hpp"
#include "store/query/query_error.hpp"
#include "store/query/regex.hpp"
#include "store/query/value_compare.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace pms::store {

using Value = std::optional<json::value>;  // nullopt: missing
using Args = std::vector<Value>;

struct Expression::Node {
  virtual ~Node() = default;
  virtual Value eval(const json::value& root, QueryBudget& budget) const = 0;
};

namespace {

// "$a.b" on {a: [{b: 1}, {b: 2}]} is [1, 2]: aggregation paths map over arrays.
Value eval_path(const json::value& v, const std::vector<std::string>& parts, std::size_t i, QueryBudget& budget) {
  if (i == parts.size()) return v;
  if (auto* obj = v.if_object()) {
    auto it = obj->find(parts[i]);
    if (it == obj->end()) return std::nullopt;
    return eval_path(it->value(), parts, i + 1, budget);
  }
  if (auto* arr = v.if_array()) {
    json::array out;
    budget.spend(arr->size());
    for (auto& el : *arr) {
      if (!el.is_object() && !el.is_array()) continue;
      if (auto r = eval_path(el, parts, i, budget)) out.push_back(std::move(*r));
    }
    return json::value(std::move(out));
  }
  return std::nullopt;
}

struct LiteralNode : Expression::Node {
  json::value value;
  explicit LiteralNode(json::value v) : value(std::move(v)) {}
  Value eval(const json::value&, QueryBudget&) const override { return value; }
};

struct PathNode : Expression::Node {
  std::string dotted;
  std::vector<std::string> parts;  // empty: $$ROOT
  PathNode(std::string d, std::vector<std::string> p) : dotted(std::move(d)), parts(std::move(p)) {}
  Value eval(const json::value& root, QueryBudget& budget) const override { return eval_path(root, parts, 0, budget); }
};

struct ObjectNode : Expression::Node {
  std::vector<std::pair<std::string, Expression>> fields;
  Value eval(const json::value& root, QueryBudget& budget) const override {
    json::object out;
    for (auto& [k, e] : fields) {
      if (auto v = e.evaluate(root, budget)) out[k] = std::move(*v);
    }
    return json::value(std::move(out));
  }
};

struct ArrayNode : Expression::Node {
  std::vector<Expression> items;
  Value eval(const json::value& root, QueryBudget& budget) const override {
    json::array out;
    for (auto& e : items) out.push_back(e.evaluate(root, budget).value_or(nullptr));
    return json::value(std::move(out));
  }
};

// {"$regexMatch": {"input": <expression>, "regex": "<constant pattern>", "options": "i"}}: the
// pattern is compiled once, with the query.
struct RegexMatchNode : Expression::Node {
  Expression input;
  Regex regex;
  RegexMatchNode(Expression in, Regex re) : input(std::move(in)), regex(std::move(re)) {}
  Value eval(const json::value& root, QueryBudget& budget) const override {
    auto v = input.evaluate(root, budget);
    if (!v || v->is_null()) return json::value(false);
    if (!v->is_string()) throw_query_error("$regexMatch needs a string input, got " + dump(*v));
    return json::value(regex.search(std::string_view(v->get_string()), budget));
  }
};

std::shared_ptr<const Expression::Node> compile_regex_match(const json::value& arg) {
  auto* spec = arg.if_object();
  if (!spec || !spec->contains("input") || !spec->contains("regex"))
    throw_query_error("$regexMatch needs a document {\"input\": \"$field\", \"regex\": \"pattern\", \"options\": \"i\"}");
  std::string pattern, options;
  for (auto& [k, v] : *spec) {
    if (k == "input") continue;
    if (k == "regex" && v.is_string()) pattern = std::string(v.get_string());
    else if (k == "regex" && v.is_object() && string_member(v.get_object(), "$regex")) {
      pattern = std::string(*string_member(v.get_object(), "$regex"));
      options = std::string(string_member(v.get_object(), "$options").value_or(""));
    } else if (k == "options" && v.is_string()) options += std::string(v.get_string());
    else throw_query_error("$regexMatch: '" + std::string(k) + "' must be a constant string (input, regex, options)");
  }
  return std::make_shared<RegexMatchNode>(Expression::compile(spec->at("input")), Regex::compile(pattern, options, "$regexMatch"));
}

using OpFn = Value (*)(const Args&);

struct OperatorNode : Expression::Node {
  std::string name;
  OpFn fn;
  std::vector<Expression> args;
  Value eval(const json::value& root, QueryBudget& budget) const override {
    Args values;
    values.reserve(args.size());
    for (auto& a : args) values.push_back(a.evaluate(root, budget));
    // The operators are linear in their arguments: an array argument is as much work as its elements.
    std::size_t work = 1;
    for (auto& v : values)
      if (v && v->is_array()) work += v->get_array().size();
    budget.spend(work);
    return fn(values);
  }
};

bool is_nullish(const Value& v) { return !v || v->is_null(); }

bool truthy(const Value& v) {
  if (is_nullish(v)) return false;
  if (v->is_bool()) return v->get_bool();
  if (is_number(*v)) return to_double(*v) != 0;
  return true;
}

json::value number(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return json::value(static_cast<std::int64_t>(d));
  return json::value(d);
}

[[noreturn]] void bad_arg(std::string_view op, std::string_view what) {
  throw_query_error(std::string(op) + ": " + std::string(what));
}

double numeric(std::string_view op, const Value& v) {
  if (!v || !is_number(*v)) bad_arg(op, "needs numbers, got " + (v ? dump(*v) : std::string("a missing field")));
  return to_double(*v);
}

Value arith(const Args& a, std::string_view op, double (*f)(double, double)) {
  for (auto& v : a) if (is_nullish(v)) return json::value(nullptr);
  if (a.empty()) bad_arg(op, "needs at least one argument");
  bool all_int = std::all_of(a.begin(), a.end(), [](auto& v) { return v->is_int64() || v->is_uint64(); });
  double acc = numeric(op, a[0]);
  for (std::size_t i = 1; i < a.size(); ++i) acc = f(acc, numeric(op, a[i]));
  return all_int ? number(acc) : json::value(acc);
}

std::optional<SystemTime> as_date(std::string_view op, const Value& v) {
  if (is_nullish(v)) return std::nullopt;
  if (v->is_string()) {
    if (auto t = parse_iso8601(std::string_view(v->get_string()))) return t;
  }
  bad_arg(op, "needs a date (an ISO-8601 string), got " + dump(*v));
}

Value date_part(std::string_view op, const Value& v, int which) {
  auto t = as_date(op, v);
  if (!t) return json::value(nullptr);
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(*t);
  year_month_day ymd{days};
  hh_mm_ss hms{floor<milliseconds>(*t - days)};
  switch (which) {
    case 0: return json::value(std::int64_t(int(ymd.year())));
    case 1: return json::value(std::int64_t(unsigned(ymd.month())));
    case 2: return json::value(std::int64_t(unsigned(ymd.day())));
    case 3: return json::value(std::int64_t(hms.hours().count()));
    case 4: return json::value(std::int64_t(weekday{days}.c_encoding() + 1));  // 1 = Sunday
  }
  return json::value(nullptr);
}

std::string to_lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string to_upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

std::string stringify(const Value& v) {
  if (is_nullish(v)) return "";
  if (v->is_string()) return std::string(v->get_string());
  return dump(*v);
}

int cmp(const Args& a) { return compare_values(a[0].value_or(nullptr), a[1].value_or(nullptr)); }

// Accumulator-style operators over one array argument or several arguments.
std::vector<json::value> numeric_inputs(const Args& a) {
  std::vector<json::value> out;
  auto add = [&](const json::value& v) { if (is_number(v)) out.push_back(v); };
  if (a.size() == 1 && a[0] && a[0]->is_array()) {
    for (auto& v : a[0]->get_array()) add(v);
  } else {
    for (auto& v : a) if (v) add(*v);
  }
  return out;
}

Value date_to_string(const Args& a) {
  // args: format, date (built by the $dateToString compiler from the document form)
  auto t = as_date("$dateToString", a[1]);
  if (!t) return json::value(nullptr);
  std::string fmt = a[0] && a[0]->is_string() ? std::string(a[0]->get_string()) : "%Y-%m-%dT%H:%M:%S.%LZ";
  std::string iso = format_iso8601(*t);  // YYYY-MM-DDTHH:MM:SS.mmmZ
  std::string out;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%' || i + 1 == fmt.size()) { out += fmt[i]; continue; }
    switch (fmt[++i]) {
      case 'Y': out += iso.substr(0, 4); break;
      case 'm': out += iso.substr(5, 2); break;
      case 'd': out += iso.substr(8, 2); break;
      case 'H': out += iso.substr(11, 2); break;
      case 'M': out += iso.substr(14, 2); break;
      case 'S': out += iso.substr(17, 2); break;
      case 'L': out += iso.substr(20, 3); break;
      case '%': out += '%'; break;
      default: bad_arg("$dateToString", std::string("unsupported format specifier %") + fmt[i] + " (use %Y %m %d %H %M %S %L)");
    }
  }
  return json::value(out);
}

Value date_trunc(const Args& a) {
  // args: date, unit
  auto t = as_date("$dateTrunc", a[0]);
  if (!t) return json::value(nullptr);
  std::string unit = a[1] && a[1]->is_string() ? std::string(a[1]->get_string()) : "";
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(*t);
  if (unit == "day") return json::value(format_iso8601(days));
  if (unit == "week") {  // weeks start on Sunday, as MongoDB's default
    auto wd = weekday{days}.c_encoding();
    return json::value(format_iso8601(days - std::chrono::days{wd}));
  }
  if (unit == "month") {
    year_month_day ymd{days};
    return json::value(format_iso8601(sys_days{ymd.year() / ymd.month() / 1}));
  }
  if (unit == "year") {
    year_month_day ymd{days};
    return json::value(format_iso8601(sys_days{ymd.year() / January / 1}));
  }
  bad_arg("$dateTrunc", "unit must be day, week, month or year");
}

struct OpInfo {
  OpFn fn;
  int min_args;
  int max_args;  // -1: any
};

const std::map<std::string, OpInfo, std::less<>>& operator_table() {
  static const std::map<std::string, OpInfo, std::less<>> table = {
      {"$add", {[](const Args& a) { return arith(a, "$add", [](double x, double y) { return x + y; }); }, 1, -1}},
      {"$subtract", {[](const Args& a) { return arith(a, "$subtract", [](double x, double y) { return x - y; }); }, 2, 2}},
      {"$multiply", {[](const Args& a) { return arith(a, "$multiply", [](double x, double y) { return x * y; }); }, 1, -1}},
      {"$divide", {[](const Args& a) -> Value {
         if (is_nullish(a[0]) || is_nullish(a[1])) return json::value(nullptr);
         double d = numeric("$divide", a[1]);
         if (d == 0) bad_arg("$divide", "division by zero");
         return json::value(numeric("$divide", a[0]) / d);
       }, 2, 2}},
      {"$mod", {[](const Args& a) -> Value {
         if (is_nullish(a[0]) || is_nullish(a[1])) return json::value(nullptr);
         double d = numeric("$mod", a[1]);
         if (d == 0) bad_arg("$mod", "division by zero");
         return number(std::fmod(numeric("$mod", a[0]), d));
       }, 2, 2}},
      {"$round", {[](const Args& a) -> Value {
         if (is_nullish(a[0])) return json::value(nullptr);
         double places = a.size() > 1 && a[1] ? numeric("$round", a[1]) : 0;
         double scale = std::pow(10.0, places);
         double r = std::nearbyint(numeric("$round", a[0]) * scale) / scale;
         return places <= 0 ? number(r) : json::value(r);
       }, 1, 2}},
      {"$abs", {[](const Args& a) -> Value {
         if (is_nullish(a[0])) return json::value(nullptr);
         return number(std::fabs(numeric("$abs", a[0])));
       }, 1, 1}},
      {"$eq", {[](const Args& a) -> Value { return json::value(cmp(a) == 0); }, 2, 2}},
      {"$ne", {[](const Args& a) -> Value { return json::value(cmp(a) != 0); }, 2, 2}},
      {"$gt", {[](const Args& a) -> Value { return json::value(cmp(a) > 0); }, 2, 2}},
      {"$gte", {[](const Args& a) -> Value { return json::value(cmp(a) >= 0); }, 2, 2}},
      {"$lt", {[](const Args& a) -> Value { return json::value(cmp(a) < 0); }, 2, 2}},
      {"$lte", {[](const Args& a) -> Value { return json::value(cmp(a) <= 0); }, 2, 2}},
      {"$cmp", {[](const Args& a) -> Value { return json::value(std::int64_t(cmp(a))); }, 2, 2}},
      {"$and", {[](const Args& a) -> Value { return json::value(std::all_of(a.begin(), a.end(), truthy)); }, 0, -1}},
      {"$or", {[](const Args& a) -> Value { return json::value(std::any_of(a.begin(), a.end(), truthy)); }, 0, -1}},
      {"$not", {[](const Args& a) -> Value { return json::value(!truthy(a[0])); }, 1, 1}},
      {"$cond", {[](const Args& a) -> Value { return truthy(a[0]) ? a[1] : a[2]; }, 3, 3}},
      {"$ifNull", {[](const Args& a) -> Value {
         for (std::size_t i = 0; i + 1 < a.size(); ++i) if (!is_nullish(a[i])) return a[i];
         return a.back();
       }, 2, -1}},
      {"$size", {[](const Args& a) -> Value {
         if (!a[0] || !a[0]->is_array()) bad_arg("$size", "needs an array, got " + (a[0] ? dump(*a[0]) : std::string("a missing field")) + " (use {\"$ifNull\": [\"$field\", []]} for optional arrays)");
         return json::value(std::int64_t(a[0]->get_array().size()));
       }, 1, 1}},
      {"$in", {[](const Args& a) -> Value {
         if (!a[1] || !a[1]->is_array()) bad_arg("$in", "second argument must be an array");
         auto& arr = a[1]->get_array();
         json::value needle = a[0].value_or(nullptr);
         return json::value(std::any_of(arr.begin(), arr.end(), [&](auto& x) { return values_equal(x, needle); }));
       }, 2, 2}},
      {"$arrayElemAt", {[](const Args& a) -> Value {
         if (is_nullish(a[0])) return json::value(nullptr);
         if (!a[0]->is_array()) bad_arg("$arrayElemAt", "first argument must be an array");
         auto& arr = a[0]->get_array();
         auto i = static_cast<std::int64_t>(numeric("$arrayElemAt", a[1]));
         if (i < 0) i += static_cast<std::int64_t>(arr.size());
         if (i < 0 || i >= static_cast<std::int64_t>(arr.size())) return std::nullopt;
         return arr[static_cast<std::size_t>(i)];
       }, 2, 2}},
      {"$concat", {[](const Args& a) -> Value {
         std::string out;
         for (auto& v : a) {
           if (is_nullish(v)) return json::value(nullptr);
           if (!v->is_string()) bad_arg("$concat", "needs strings, got " + dump(*v));
           out += std::string_view(v->get_string());
         }
         return json::value(out);
       }, 0, -1}},
      {"$toLower", {[](const Args& a) -> Value { return json::value(to_lower(stringify(a[0]))); }, 1, 1}},
      {"$toUpper", {[](const Args& a) -> Value { return json::value(to_upper(stringify(a[0]))); }, 1, 1}},
      {"$toString", {[](const Args& a) -> Value { return is_nullish(a[0]) ? json::value(nullptr) : json::value(stringify(a[0])); }, 1, 1}},
      {"$substrCP", {[](const Args& a) -> Value {
         std::string s = stringify(a[0]);
         auto start = static_cast<std::size_t>(std::max(0.0, numeric("$substrCP", a[1])));
         auto len = static_cast<std::size_t>(std::max(0.0, numeric("$substrCP", a[2])));
         return json::value(start < s.size() ? s.substr(start, len) : std::string());
       }, 3, 3}},
      {"$year", {[](const Args& a) { return date_part("$year", a[0], 0); }, 1, 1}},
      {"$month", {[](const Args& a) { return date_part("$month", a[0], 1); }, 1, 1}},
      {"$dayOfMonth", {[](const Args& a) { return date_part("$dayOfMonth", a[0], 2); }, 1, 1}},
      {"$hour", {[](const Args& a) { return date_part("$hour", a[0], 3); }, 1, 1}},
      {"$dayOfWeek", {[](const Args& a) { return date_part("$dayOfWeek", a[0], 4); }, 1, 1}},
      {"$dateToString", {date_to_string, 2, 2}},
      {"$dateTrunc", {date_trunc, 2, 2}},
      {"$sum", {[](const Args& a) -> Value {
         double s = 0;
         bool all_int = true;
         for (auto& v : numeric_inputs(a)) { s += to_double(v); all_int &= !v.is_double(); }
         return all_int ? number(s) : json::value(s);
       }, 1, -1}},
      {"$avg", {[](const Args& a) -> Value {
         auto xs = numeric_inputs(a);
         if (xs.empty()) return json::value(nullptr);
         double s = 0;
         for (auto& v : xs) s += to_double(v);
         return json::value(s / static_cast<double>(xs.size()));
       }, 1, -1}},
      {"$min", {[](const Args& a) -> Value {
         auto xs = numeric_inputs(a);
         if (xs.empty()) return json::value(nullptr);
         return *std::min_element(xs.begin(), xs.end(), ValueLess{});
       }, 1, -1}},
      {"$max", {[](const Args& a) -> Value {
         auto xs = numeric_inputs(a);
         if (xs.empty()) return json::value(nullptr);
         return *std::max_element(xs.begin(), xs.end(), ValueLess{});
       }, 1, -1}},
  };
  return table;
}

std::string operator_list() {
  std::string s = "$literal $regexMatch";
  for (auto& [name, info] : operator_table()) s += " " + name;
  return s;
}

// Named-argument operators take a document; they are rewritten to positional arguments.
std::vector<json::value> positional_args(std::string_view op, const json::value& arg) {
  auto doc = [&]() -> const json::object& {
    if (!arg.is_object()) bad_arg(op, "needs a document argument");
    return arg.get_object();
  };
  auto get = [&](std::string_view key) -> json::value {
    auto it = doc().find(key);
    return it == doc().end() ? json::value(nullptr) : it->value();
  };
  if (op == "$cond" && arg.is_object()) return {get("if"), get("then"), get("else")};
  if (op == "$dateToString") return {get("format"), get("date")};
  if (op == "$dateTrunc") return {get("date"), get("unit")};
  if (arg.is_array()) return {arg.get_array().begin(), arg.get_array().end()};
  return {arg};
}

}  // namespace

Expression::Expression() : node_(std::make_shared<LiteralNode>(nullptr)) {}

Expression Expression::compile(const json::value& spec) {
  if (auto* s = spec.if_string()) {
    std::string_view sv = *s;
    if (sv == "$$ROOT" || sv == "$$CURRENT") return Expression(std::make_shared<PathNode>(std::string(sv), std::vector<std::string>{}));
    if (sv.starts_with("$$")) throw_query_error("unsupported variable '" + std::string(sv) + "' (only $$ROOT)");
    if (sv.starts_with("$")) {
      auto path = std::string(sv.substr(1));
      return Expression(std::make_shared<PathNode>(path, FieldPath(path).parts()));
    }
    return Expression(std::make_shared<LiteralNode>(spec));
  }
  if (auto* arr = spec.if_array()) {
    auto node = std::make_shared<ArrayNode>();
    for (auto& x : *arr) node->items.push_back(compile(x));
    return Expression(node);
  }
  if (auto* obj = spec.if_object()) {
    if (obj->size() == 1 && obj->begin()->key().starts_with("$")) {
      std::string_view op = obj->begin()->key();
      const json::value& arg = obj->begin()->value();
      if (op == "$literal") return Expression(std::make_shared<LiteralNode>(arg));
      if (op == "$regexMatch") return Expression(compile_regex_match(arg));
      json::value lit = normalize_literal(spec);
      if (!lit.is_object()) return Expression(std::make_shared<LiteralNode>(lit));  // {"$date": ...}
      auto& table = operator_table();
      auto it = table.find(op);
      if (it == table.end()) {
        if (op == "$function" || op == "$accumulator" || op == "$where")
          throw_query_error(std::string(op) + " is not allowed: queries are read-only and cannot run code");
        throw_query_error("unsupported expression operator '" + std::string(op) + "'; supported: " + operator_list());
      }
      auto node = std::make_shared<OperatorNode>();
      node->name = std::string(op);
      node->fn = it->second.fn;
      for (auto& a : positional_args(op, arg)) node->args.push_back(compile(a));
      int n = static_cast<int>(node->args.size());
      if (n < it->second.min_args || (it->second.max_args >= 0 && n > it->second.max_args))
        throw_query_error(std::string(op) + " got " + std::to_string(n) + " argument(s), expected " +
                          std::to_string(it->second.min_args) +
                          (it->second.max_args == it->second.min_args ? "" : it->second.max_args < 0 ? " or more" : " to " + std::to_string(it->second.max_args)));
      return Expression(node);
    }
    auto node = std::make_shared<ObjectNode>();
    for (auto& [k, v] : *obj) {
      if (k.starts_with("$")) throw_query_error("unsupported expression operator '" + std::string(k) + "' inside a document with several fields");
      node->fields.emplace_back(std::string(k), compile(v));
    }
    return Expression(node);
  }
  return Expression(std::make_shared<LiteralNode>(spec));
}

std::optional<json::value> Expression::evaluate(const json::value& root) const {
  QueryBudget unbounded;
  return node_->eval(root, unbounded);
}

std::optional<json::value> Expression::evaluate(const json::value& root, QueryBudget& budget) const {
  return node_->eval(root, budget);
}

}  // namespace pms::store
