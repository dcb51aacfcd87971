#include "store/sqlite/value_range.hpp"

#include "store/query/filter.hpp"

namespace pms::store::sqlite {

namespace {

bool is_text(const ValueIndex::Bind& b) { return std::holds_alternative<std::string>(b); }

// Exact for every int64: a long double holds 64 bits of mantissa.
long double number(const ValueIndex::Bind& b) {
  return std::holds_alternative<std::int64_t>(b) ? static_cast<long double>(std::get<std::int64_t>(b)) : std::get<double>(b);
}
long double number(const json::value& v) {
  if (v.is_int64()) return static_cast<long double>(v.get_int64());
  if (v.is_uint64()) return static_cast<long double>(v.get_uint64());
  return v.get_double();
}

// SQLite's order between two values of one kind: strings by bytes, numbers by value.
int compare(const json::value& a, const ValueIndex::Bind& b) {
  if (is_text(b)) {
    auto c = std::string_view(a.get_string()).compare(std::get<std::string>(b));
    return c < 0 ? -1 : c > 0;
  }
  auto x = number(a), y = number(b);
  return x < y ? -1 : x > y;
}

}  // namespace

std::optional<ValueRange> ValueRange::of(std::string_view op, const json::value& arg) {
  auto key = ValueIndex::key(normalize_literal(arg));
  if (!key) return std::nullopt;
  ValueRange r;
  if (op == "$gt" || op == "$gte") r.lower = Bound{*key, op == "$gte"};
  else if (op == "$lt" || op == "$lte") r.upper = Bound{*key, op == "$lte"};
  else return std::nullopt;
  return r;
}

std::optional<ValueRange> ValueRange::of(const json::object& ops) {
  ValueRange r;
  for (auto& [op, arg] : ops) {
    auto one = of(op, arg);
    if (!one || (one->lower && r.lower) || (one->upper && r.upper)) return std::nullopt;
    if (one->lower) r.lower = one->lower;
    if (one->upper) r.upper = one->upper;
  }
  if (!r.lower && !r.upper) return std::nullopt;
  if (r.lower && r.upper && is_text(r.lower->value) != is_text(r.upper->value)) return std::nullopt;
  return r;
}

bool ValueRange::text() const { return is_text((lower ? lower : upper)->value); }

bool ValueRange::above_lower(const json::value& value) const {
  if (value.is_string() != text()) return false;
  if (!lower) return true;
  int c = compare(value, lower->value);
  return c > 0 || (c == 0 && lower->inclusive);
}

bool ValueRange::below_upper(const json::value& value) const {
  if (value.is_string() != text()) return false;
  if (!upper) return true;
  int c = compare(value, upper->value);
  return c < 0 || (c == 0 && upper->inclusive);
}

std::string ValueRange::sql(int first) const {
  std::string out = text() ? " AND typeof(value) = 'text'" : " AND typeof(value) IN ('integer', 'real')";
  if (lower) out += std::string(" AND value ") + (lower->inclusive ? ">=" : ">") + " ?" + std::to_string(first++);
  if (upper) out += std::string(" AND value ") + (upper->inclusive ? "<=" : "<") + " ?" + std::to_string(first);
  return out;
}

void ValueRange::bind(Statement& st, int first) const {
  if (lower) bind_key(st, first++, lower->value);
  if (upper) bind_key(st, first, upper->value);
}

}  // namespace pms::store::sqlite
